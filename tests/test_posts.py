"""Posts end to end: compose → (photo job) → review → delivery, and every refusal on the way."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domain.photos import PhotoRefused
from domain.posts import PostStatus
from domain.roster import TAIPEI, Inmate, Restriction, local_today
from tests.application_support import field_error, open_tasks, png
from tests.conftest import broker_state, read
from tests.post_support import (
    compose,
    decide,
    deliver,
    family_with_book,
    photo_jobs_done,
    posts,
    review_task,
    send_post,
    staff,
    start_post,
)
from tests.web_support import csrf_token, status_of
from workflows import SYSTEM, clock
from workflows.models import InstanceStatus


def test_text_post_is_reviewed_approved_and_delivered(app, mailbox):
    family, book_id = family_with_book(app)
    compose_page = family.get(start_post(family, book_id).headers["Location"])
    text = compose_page.get_data(as_text=True)
    assert "1201" in text and "150" in text  # the person, and Dunpin's limit
    response = send_post(family, book_id)
    assert response.status_code == 302
    [post] = posts(app)
    assert post.status == PostStatus.PENDING and post.title == "家裡一切都好"
    reviewer = staff(app, "reviewer", "dunpin")
    assert "1201" in reviewer.get("/inbox").get_data(as_text=True)
    review_page = reviewer.get(f"/tasks/{review_task(app)}").get_data(as_text=True)
    assert "爸爸，我們很想你。" in review_page
    assert decide(reviewer, review_task(app), "approve").status_code == 302
    [post] = posts(app)
    assert post.status == PostStatus.APPROVED and post.decided_at is not None
    assert "審核通過" in mailbox.last()["Subject"]
    [delivery] = open_tasks(app, bpmn_id="deliver")
    admin = staff(app, "facility_admin", "dunpin")
    assert deliver(admin, delivery.task_guid).status_code == 302
    [post] = posts(app)
    assert post.delivered_at is not None and post.delivered_via == "staff"
    approved_tab = family.get("/posts?tab=approved").get_data(as_text=True)
    assert "已送達" in approved_tab and "家裡一切都好" in approved_tab
    assert "已送達" in mailbox.last()["Subject"]


def test_photo_is_prepared_before_review(app, mailbox):
    family, book_id = family_with_book(app)
    response = send_post(family, book_id, photo=(io.BytesIO(png()), "kids.png"))
    assert response.status_code == 302
    photo_jobs_done(app)
    [post] = posts(app)
    assert post.status == PostStatus.PENDING, (post.status, post.photo_error, broker_state())
    assert post.photo_file_id and post.thumbnail_file_id and post.upload_file_id
    assert review_task(app)
    reviewer = staff(app, "reviewer", "dunpin")
    page = reviewer.get(f"/tasks/{review_task(app)}").get_data(as_text=True)
    assert f"/files/{post.photo_file_id}" in page
    assert status_of(reviewer, f"/files/{post.photo_file_id}") == 200
    other_reviewer = staff(app, "reviewer", "taichung")
    assert status_of(other_reviewer, f"/files/{post.photo_file_id}") == 404


def test_body_over_the_limit_is_refused_beside_the_field_and_kept(app):
    family, book_id = family_with_book(app, "taichung-detention", "0609")
    body = "想" * 101  # Taichung: 100 characters
    response = send_post(family, book_id, body=body)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "101" in field_error(page, "body") and body in page
    assert posts(app) == []


def test_characters_are_counted_as_people_see_them(app):
    family, book_id = family_with_book(app, "taichung-detention", "0609")
    family_emoji = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one person-visible character
    response = send_post(family, book_id, body=family_emoji * 100)
    assert response.status_code == 302
    assert len(posts(app)) == 1


def test_not_an_image_is_refused_and_the_text_kept(app):
    family, book_id = family_with_book(app)
    fake = (io.BytesIO(b"GIF89a not really a photo"), "photo.jpg")
    response = send_post(family, book_id, body="今天考試考得很好", photo=fake)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(page, "photo")
    assert "今天考試考得很好" in page and posts(app) == []


def test_html_in_a_post_is_shown_as_text(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id, title="<b>hi</b>", body="<script>alert(1)</script>")
    reviewer = staff(app, "reviewer", "dunpin")
    page = reviewer.get(f"/tasks/{review_task(app)}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_second_post_inside_the_interval_is_refused_with_the_next_date(app):
    family, book_id = family_with_book(app)
    clock.freeze(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))  # 10:00 in Taipei
    send_post(family, book_id)
    clock.advance(timedelta(days=1))
    refused = start_post(family, book_id)
    assert "/posts/outcome/" in refused.headers["Location"]
    page = family.get(refused.headers["Location"]).get_data(as_text=True)
    assert "2026-12-03 10:00" in page  # Dunpin: one post per 2 days
    assert posts(app)[0].status == PostStatus.PENDING and len(posts(app)) == 1
    clock.advance(timedelta(days=1, seconds=-1))
    assert "/posts/outcome/" in start_post(family, book_id).headers["Location"]
    clock.advance(timedelta(seconds=1))
    assert "/tasks/" in start_post(family, book_id).headers["Location"]


def test_a_rejected_post_does_not_use_up_the_interval(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    reviewer = staff(app, "reviewer", "dunpin")
    assert decide(reviewer, review_task(app), "reject", "請勿談公務").status_code == 302
    [post] = posts(app)
    assert post.status == PostStatus.REJECTED and "請勿談公務" in post.reason
    rejected_tab = family.get("/posts?tab=rejected").get_data(as_text=True)
    assert "請勿談公務" in rejected_tab
    assert "/tasks/" in start_post(family, book_id).headers["Location"]


def test_a_reason_template_reaches_the_family_in_its_language_and_own_words_as_typed(app, mailbox):
    """The reviewer works in English; the family reads the template in Chinese (page, mail)."""
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    reviewer = staff(app, "reviewer", "dunpin")
    url = f"/tasks/{review_task(app)}"
    data = {
        "csrf_token": csrf_token(reviewer, url),
        "decision": "reject",
        "reason_template": "photo_unrelated",
        "reason": "Please send a family photo.",
    }
    assert reviewer.post(url, data=data, headers={"Accept-Language": "en"}).status_code == 302
    [post] = posts(app)
    assert (post.reason_code, post.reason) == ("photo_unrelated", "Please send a family photo.")
    chinese = family.get("/posts?tab=rejected").get_data(as_text=True)
    assert "相片與家庭關懷支持無關" in chinese and "Please send a family photo." in chinese
    english = family.get("/posts?tab=rejected", headers={"Accept-Language": "en"})
    assert "The photo is not related to family care" in english.get_data(as_text=True)
    mail = mailbox.last().get_content()
    assert "相片與家庭關懷支持無關" in mail and "The photo is not related to family care" in mail


def test_a_rejection_needs_a_reason(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    reviewer = staff(app, "reviewer", "dunpin")
    response = decide(reviewer, review_task(app), "reject")
    assert response.status_code == 200 and field_error(response.get_data(as_text=True), "reason")


def test_a_restriction_after_filing_blocks_approval(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    database = app.extensions["db"]
    with database.transaction() as session:
        inmate = session.scalar(select(Inmate).where(Inmate.call_number == "1201"))
        session.add(Restriction(inmate_id=inmate.id, kind="discipline", starts_on=local_today()))
    database.remove()
    reviewer = staff(app, "reviewer", "dunpin")
    response = decide(reviewer, review_task(app), "approve")
    assert response.status_code == 200 and "限制" in response.get_data(as_text=True)
    assert posts(app)[0].status == PostStatus.PENDING


def test_a_restricted_person_cannot_be_written_to(app):
    family, book_id = family_with_book(app)
    database = app.extensions["db"]
    with database.transaction() as session:
        inmate = session.scalar(select(Inmate).where(Inmate.call_number == "1201"))
        session.add(Restriction(inmate_id=inmate.id, kind="court_ban", starts_on=local_today()))
    database.remove()
    refused = start_post(family, book_id)
    page = family.get(refused.headers["Location"]).get_data(as_text=True)
    assert "限制" in page and posts(app) == []


def test_a_photo_the_job_cannot_use_goes_back_with_the_text_kept(app, mailbox, monkeypatch):
    import tasks.posts

    def refuse(*_args, **_kwargs):
        raise PhotoRefused("corrupt", "damaged")

    monkeypatch.setattr(tasks.posts, "process_photo", refuse)
    family, book_id = family_with_book(app)
    send_post(family, book_id, body="照片是畢業典禮", photo=(io.BytesIO(png()), "grad.png"))
    photo_jobs_done(app)
    [post] = posts(app)
    assert post.status == PostStatus.PHOTO_REFUSED and post.photo_error == "corrupt"
    assert "相片" in mailbox.last()["Subject"]
    listing = family.get("/posts").get_data(as_text=True)
    [task] = open_tasks(app, bpmn_id="compose")
    assert f"/tasks/{task.task_guid}" in listing
    page = family.get(f"/tasks/{task.task_guid}").get_data(as_text=True)
    assert "照片是畢業典禮" in page and field_error(page, "photo")
    monkeypatch.undo()
    retry = compose(
        family,
        f"/tasks/{task.task_guid}",
        body="照片是畢業典禮",
        photo=(io.BytesIO(png((1, 2, 3))), "grad2.png"),
    )
    assert retry.status_code == 302
    photo_jobs_done(app)
    [post] = posts(app)  # the same post, filed again
    assert post.status == PostStatus.PENDING and post.photo_file_id


def test_a_special_project_lifts_the_interval_and_the_limit(app):
    family, book_id = family_with_book(app, "taichung-detention", "0609")
    supervisor = staff(app, "supervisor", "taichung")
    page = supervisor.get("/special-projects").get_data(as_text=True)
    assert "王小美" in page
    token = csrf_token(supervisor, "/special-projects")
    today = clock.now().astimezone(TAIPEI).date()
    granted = supervisor.post(
        "/special-projects",
        data={
            "csrf_token": token,
            "family": str(posts_family_id(app)),
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=30)).isoformat(),
            "no_interval": "y",
            "max_chars": "300",
            "reason": "親職教育活動",
        },
    )
    assert granted.status_code == 302
    assert send_post(family, book_id, body="想" * 250).status_code == 302  # over Taichung's 100
    assert send_post(family, book_id, body="再寫一篇").status_code == 302  # inside 30 days
    assert len(posts(app)) == 2
    listing = supervisor.get("/special-projects").get_data(as_text=True)
    assert "生效中" in listing  # its status, beside the button that revokes it
    clock.advance(timedelta(days=32))
    assert "已結束" in supervisor.get("/special-projects").get_data(as_text=True)


def posts_family_id(app) -> int:
    from domain.accounts import Account
    from tests.application_support import FAMILY

    [account_id] = read(app, select(Account.id).where(Account.email == FAMILY[0]))
    return account_id


def test_an_ended_contact_book_cannot_be_written_to(app):
    from domain.applications import ContactBook

    family, book_id = family_with_book(app)
    task_url = start_post(family, book_id).headers["Location"]  # open before the book ends
    database = app.extensions["db"]
    with database.transaction() as session:
        book = session.get(ContactBook, book_id)
        book.status, book.active_inmate_id = "ended", None
    database.remove()
    refused = compose(family, task_url)
    page = family.get(refused.headers["Location"]).get_data(as_text=True)
    assert "尚未開通" in page and posts(app) == []
    again = start_post(family, book_id)  # no longer offered at all
    assert again.status_code == 200 and posts(app) == []
    with database.transaction() as session:  # the process itself refuses a book not active
        instance = app.extensions["engine"].start(
            session, "post_review", SYSTEM, {"account_id": 1, "book_id": book_id}
        )
        assert instance.status == InstanceStatus.COMPLETED
    database.remove()


def test_an_empty_title_is_refused_beside_the_field(app):
    family, book_id = family_with_book(app)
    response = send_post(family, book_id, title="   ", body="內文還在")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(page, "title") and "內文還在" in page


def test_the_post_pages_show_when_each_book_can_be_posted_in_again(app):
    family, book_id = family_with_book(app)
    clock.freeze(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))  # 10:00 in Taipei
    chooser = family.get("/posts/new").get_data(as_text=True)
    assert "disabled" not in chooser and "2026-12-03" not in chooser
    send_post(family, book_id)
    clock.advance(timedelta(days=1))
    chooser = family.get("/posts/new").get_data(as_text=True)
    # Its only book is closed for now: the page says until when, with no button that cannot work.
    assert f'value="{book_id}"' not in chooser and "button--primary" not in chooser
    assert "2026-12-03 10:00" in chooser  # Dunpin: one post per 2 days
    listing = family.get("/posts").get_data(as_text=True)
    assert "2026-12-03 10:00" in listing and 'href="/posts/new"' not in listing
    clock.advance(timedelta(days=1))
    assert "disabled" not in family.get("/posts/new").get_data(as_text=True)
    assert 'href="/posts/new"' in family.get("/posts").get_data(as_text=True)


def test_the_review_page_lists_the_posts_sent_before_it_with_their_times(app):
    family, book_id = family_with_book(app)  # Dunpin: one post per 2 days
    clock.freeze(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))  # 10:00 in Taipei
    for n, title in enumerate(("第一篇", "第二篇", "第三篇")):
        clock.advance(timedelta(days=3) if n else timedelta(0))
        assert send_post(family, book_id, title=title).status_code == 302
    reviews = open_tasks(app, bpmn_id="review", process_id="post_review")
    [instance] = [p.instance_id for p in posts(app) if p.title == "第二篇"]
    [second] = [t for t in reviews if t.instance_id == instance]
    history = re.search(r'id="history-title".*?</section>', staff_page(app, second.task_guid), re.S)
    assert "2026-12-01 10:00 · 第一篇" in history.group(0)
    assert "第三篇" not in history.group(0)  # sent after it: not its history


def staff_page(app, guid: str) -> str:
    return staff(app, "reviewer", "dunpin").get(f"/tasks/{guid}").get_data(as_text=True)
