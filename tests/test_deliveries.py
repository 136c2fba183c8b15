"""`/deliveries`: a facility admin lists approved posts, prints their sheets, records delivery."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domain.accounts import Account
from domain.posts import Post, PostStatus
from tests.application_support import open_tasks, png
from tests.conftest import read
from tests.file_support import pdf_bytes
from tests.post_support import (
    approved_post,
    family_with_book,
    pdf_text,
    posts,
    send_post,
    staff,
    staff_email,
)
from tests.web_support import csrf_token, switch_language
from workflows import clock


def mark(client, post_id: int):
    """Confirm the delivery as staff do: open the confirm page, press its button."""
    url = f"/deliveries/{post_id}/delivered"
    # Where the confirm page is refused, the session's token from the list still posts.
    token = csrf_token(client, url if client.get(url).status_code == 200 else "/deliveries")
    return client.post(url, data={"csrf_token": token})


def section(page: str, name: str) -> str:
    """One section of the delivery page: `awaiting` or `recent`."""
    return page.split(f'<section id="{name}"', 1)[1].split("</section>", 1)[0]


def test_the_admin_sees_approved_posts_awaiting_delivery(app):
    _family, post = approved_post(app, title="家裡一切都好")
    admin = staff(app, "facility_admin", "dunpin")
    page = admin.get("/deliveries").get_data(as_text=True)
    assert "1201" in page and "林小偉" in page and "家裡一切都好" in page
    assert f"/deliveries/{post.id}/sheet.pdf" in page and "/deliveries/today.pdf" in page
    assert f'href="/deliveries/{post.id}/delivered"' in page  # to the confirm page
    assert 'href="/deliveries"' in admin.get("/").get_data(as_text=True)  # the header link


def test_an_attached_pdf_is_linked_for_the_admin_to_download(app):
    letter = pdf_bytes()
    _family, post = approved_post(app, photo=(io.BytesIO(letter), "letter.pdf"))
    admin = staff(app, "facility_admin", "dunpin")
    page = admin.get("/deliveries").get_data(as_text=True)
    link = f"/files/{post.attachment_file_id}?download=1"
    assert f'href="{link}"' in page
    with admin.get(link) as response:
        assert response.status_code == 200 and response.data == letter
    with staff(app, "facility_admin", "taichung").get(link) as response:
        assert response.status_code == 404


def test_the_sheet_holds_the_post_and_its_photo(app):
    _family, post = approved_post(app, photo=(io.BytesIO(png()), "kids.png"), body="弟弟長高了")
    assert post.photo_file_id
    admin = staff(app, "facility_admin", "dunpin")
    response = admin.get(f"/deliveries/{post.id}/sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "1201" in text and "林小偉" in text and "弟弟長高了" in text
    assert "家裡一切都好" in text and "敦品中學" in text
    assert "撰寫人" in text and "王小美 (父母)" in text  # who wrote it, and what they are to him
    assert b"/Subtype /Image" in response.data


def test_todays_batch_has_every_post_awaiting_delivery_one_a_page(app):
    approved_post(app, title="第一封")
    approved_post(app, "dunpin-school", "1202", title="第二封")
    admin = staff(app, "facility_admin", "dunpin")
    response = admin.get("/deliveries/today.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "第一封" in text and "第二封" in text and "1202" in text
    assert text.count("王小美 (父母)") == 2
    assert response.data.count(b"/Type /Page\n") == 2


def test_marking_delivered_completes_the_task_and_tells_the_family(app, mailbox):
    family, post = approved_post(app)
    before = len(mailbox.messages())
    admin = staff(app, "facility_admin", "dunpin")
    response = mark(admin, post.id)
    assert response.status_code == 302 and response.headers["Location"] == "/deliveries"
    [post] = posts(app)
    assert post.delivered_at is not None and post.delivered_via == "staff"
    assert open_tasks(app, bpmn_id="deliver") == []
    assert "已送達" in family.get("/posts?tab=approved").get_data(as_text=True)
    assert "已送達" in mailbox.last()["Subject"]
    page = admin.get("/deliveries").get_data(as_text=True)
    assert "林小偉" not in section(page, "awaiting") and "林小偉" in section(page, "recent")
    # Again (a second tab, a double click): nothing is recorded or mailed twice.
    again = admin.post(
        f"/deliveries/{post.id}/delivered", data={"csrf_token": csrf_token(admin, "/deliveries")}
    )
    assert again.status_code == 302
    assert posts(app)[0].delivered_at == post.delivered_at
    assert len(mailbox.messages()) == before + 1


def test_mark_delivered_asks_first_and_records_only_on_the_confirm_button(app, mailbox):
    _family, post = approved_post(app, title="家裡一切都好")
    admin = staff(app, "facility_admin", "dunpin")
    listing = admin.get("/deliveries").get_data(as_text=True)
    assert f'action="/deliveries/{post.id}/delivered"' not in listing  # no one-tap form
    before = len(mailbox.messages())
    confirm = admin.get(f"/deliveries/{post.id}/delivered")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "家裡一切都好" in page and "王小美" in page
    assert f'method="post" action="/deliveries/{post.id}/delivered"' in page
    assert posts(app)[0].delivered_at is None and len(mailbox.messages()) == before
    mark(admin, post.id)
    assert posts(app)[0].delivered_at is not None
    # The confirm page of a delivered post goes back to the list and says so.
    switch_language(admin, "en")
    again = admin.get(f"/deliveries/{post.id}/delivered", follow_redirects=True)
    assert "This post was already recorded as delivered." in again.get_data(as_text=True)


def test_recently_delivered_lists_the_last_seven_days_newest_first(app):
    clock.freeze(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    _f, old = approved_post(app, title="舊的一封")
    admin = staff(app, "facility_admin", "dunpin")
    mark(admin, old.id)
    clock.advance(timedelta(days=3))
    _f, newer = approved_post(app, "dunpin-school", "1202", title="新的一封")
    mark(admin, newer.id)
    recent = section(admin.get("/deliveries").get_data(as_text=True), "recent")
    assert recent.index("新的一封") < recent.index("舊的一封")
    assert "2026-12-04" in recent and f"/deliveries/{newer.id}/sheet.pdf" in recent
    clock.advance(timedelta(days=4, hours=1))  # the first is now 7 days and 1 hour old
    recent = section(admin.get("/deliveries").get_data(as_text=True), "recent")
    assert "新的一封" in recent and "舊的一封" not in recent
    clock.advance(timedelta(days=3))
    switch_language(admin, "en")
    recent = section(admin.get("/deliveries").get_data(as_text=True), "recent")
    assert "新的一封" not in recent and "No post was delivered in the last 7 days." in recent


def test_the_recent_list_names_the_staff_member_who_recorded_it_and_the_family_never(app):
    family, post = approved_post(app, title="家裡一切都好")
    admin = staff(app, "facility_admin", "dunpin")
    mark(admin, post.id)
    [admin_id] = read(
        app, select(Account.id).where(Account.email == staff_email("facility_admin", "dunpin"))
    )
    [post] = posts(app)
    assert post.delivered_by == admin_id and post.delivered_via == "staff"
    recent = section(admin.get("/deliveries").get_data(as_text=True), "recent")
    assert "送達者" in recent and "劉美玲（機關管理者）" in recent
    # The family sees that it was delivered, never by whom: not on its posts, not in its data.
    approved_tab = family.get("/posts?tab=approved").get_data(as_text=True)
    assert "已送達" in approved_tab and "劉美玲" not in approved_tab
    assert "劉美玲" not in family.get("/account").get_data(as_text=True)
    archive = zipfile.ZipFile(io.BytesIO(family.get("/account/export", buffered=True).data))
    [exported] = json.loads(archive.read("data.json"))["posts"]
    assert exported["delivered_at"] and "delivered_by" not in exported


def test_a_delivery_recorded_before_its_recorder_was_kept_names_nobody(app):
    _family, post = approved_post(app)
    admin = staff(app, "facility_admin", "dunpin")
    mark(admin, post.id)
    with app.extensions["db"].transaction() as session:
        session.get(Post, post.id).delivered_by = None  # as migration 0016 leaves older rows
    app.extensions["db"].remove()
    recent = section(admin.get("/deliveries").get_data(as_text=True), "recent")
    assert "劉美玲" not in recent and "API" not in recent and "—" in recent


def test_marking_needs_the_form_token(app):
    _family, post = approved_post(app)
    admin = staff(app, "facility_admin", "dunpin")
    assert admin.post(f"/deliveries/{post.id}/delivered").status_code == 400
    assert posts(app)[0].delivered_at is None


def test_another_facility_and_other_roles_get_404(app):
    _family, post = approved_post(app)
    other_admin = staff(app, "facility_admin", "taichung")
    assert other_admin.get(f"/deliveries/{post.id}/sheet.pdf").status_code == 404
    assert other_admin.get(f"/deliveries/{post.id}/delivered").status_code == 404
    assert mark(other_admin, post.id).status_code == 404
    assert "林小偉" not in other_admin.get("/deliveries").get_data(as_text=True)
    assert posts(app)[0].delivered_at is None
    reviewer = staff(app, "reviewer", "dunpin")
    for url in (
        "/deliveries",
        "/deliveries/today.pdf",
        f"/deliveries/{post.id}/sheet.pdf",
        f"/deliveries/{post.id}/delivered",
    ):
        assert reviewer.get(url).status_code == 404
    visitor = app.test_client()
    assert visitor.get("/deliveries").headers["Location"].startswith("/login")


def test_a_post_in_review_is_not_awaiting_delivery(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    [post] = posts(app)
    assert post.status == PostStatus.PENDING
    admin = staff(app, "facility_admin", "dunpin")
    assert "1201" not in admin.get("/deliveries").get_data(as_text=True)
    assert admin.get(f"/deliveries/{post.id}/sheet.pdf").status_code == 404
