"""The institution contact book (機關聯絡簿): written by the facility admin, approved by the
supervisor (or sent back to be corrected), then read by the families of that facility only."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.institution_posts import InstitutionPostStatus
from tests.application_support import FAMILY, logged_in, make_family, open_tasks, seed
from tests.institution_support import (
    a_photo,
    decide,
    desk,
    institution_posts,
    publish,
    task_of,
    write_post,
)
from tests.post_support import give_book, staff
from tests.web_support import csrf_token
from workflows import clock

BOOK = "/institution-book"


def _family_at(app, *books):
    """The demo family, logged in, with active books at these (facility, call number)."""
    seed(app)
    for facility, number in books:
        give_book(app, FAMILY[0], facility, number)
    return logged_in(app, *FAMILY)


def test_a_post_is_seen_by_the_facilitys_families_only_after_approval(app):
    family = _family_at(app, ("dunpin-school", "1201"))
    admin, supervisor = desk(app, "dunpin")
    assert write_post(admin, title="懇親活動報名").status_code == 302
    [post] = institution_posts(app)
    assert post.status == InstitutionPostStatus.PENDING
    assert "懇親活動報名" not in family.get(BOOK).get_data(as_text=True)
    assert family.get(f"{BOOK}/{post.id}").status_code == 404
    # The approval is the supervisor's: a reviewer of the facility cannot open it.
    guid = task_of(app, "approve")
    assert staff(app, "reviewer", "dunpin").get(f"/tasks/{guid}").status_code == 404
    assert staff(app, "supervisor", "taichung").get(f"/tasks/{guid}").status_code == 404
    approved = decide(supervisor, guid, "approve")
    [post] = institution_posts(app)
    assert approved.headers["Location"] == f"{BOOK}/{post.id}"
    assert post.status == InstitutionPostStatus.PUBLISHED and post.published_month
    page = family.get(BOOK).get_data(as_text=True)
    assert "懇親活動報名" in page and "敦品中學" in page
    detail = family.get(f"{BOOK}/{post.id}")
    assert detail.status_code == 200 and "歡迎家屬參加。" in detail.get_data(as_text=True)


def test_families_of_other_facilities_and_without_books_do_not_see_it(app):
    family = _family_at(app, ("taichung-detention", "0609"))
    post = publish(app, *desk(app, "dunpin"), title="敦品")
    assert family.get(f"{BOOK}/{post.id}").status_code == 404
    assert "敦品" not in family.get(BOOK).get_data(as_text=True)
    stranger = logged_in(app, *make_family(app, "stranger@example.tw"))
    assert stranger.get(f"{BOOK}/{post.id}").status_code == 404
    assert staff(app, "reviewer", "taichung").get(f"{BOOK}/{post.id}").status_code == 404
    assert logged_in(app, "owner@example.tw", "Staff-demo-2026").get(BOOK).status_code == 404
    assert staff(app, "reviewer", "dunpin").get(f"{BOOK}/{post.id}").status_code == 200


def test_a_family_with_books_at_two_facilities_sees_both_labelled(app):
    family = _family_at(app, ("dunpin-school", "1201"), ("taichung-detention", "0609"))
    publish(app, *desk(app, "dunpin"), title="甲")
    publish(app, *desk(app, "taichung"), title="乙")
    page = family.get(BOOK).get_data(as_text=True)
    assert "甲" in page and "乙" in page
    assert "來自 法務部矯正署敦品中學" in page and "來自 法務部矯正署臺中看守所" in page


def test_a_rejected_post_goes_back_to_the_admin_with_its_text_and_files(app):
    seed(app)
    admin, supervisor = desk(app, "dunpin")
    assert write_post(admin, title="初稿", photo=a_photo()).status_code == 302
    # Sending back needs a reason.
    page = decide(supervisor, task_of(app, "approve"), "reject").get_data(as_text=True)
    assert 'id="reason-error"' in page
    response = decide(supervisor, task_of(app, "approve"), "reject", "日期寫錯了")
    assert response.headers["Location"] == "/inbox"
    [post] = institution_posts(app)
    assert post.status == InstitutionPostStatus.REJECTED and post.reason == "日期寫錯了"
    [task] = open_tasks(app, process_id="institution_post")
    assert (task.bpmn_id, task.lane) == ("correct", "FacilityAdmin")
    listing = admin.get("/institution-book/manage").get_data(as_text=True)
    assert "日期寫錯了" in listing and f"/tasks/{task.task_guid}" in listing
    form = admin.get(f"/tasks/{task.task_guid}").get_data(as_text=True)
    assert "初稿" in form and "日期寫錯了" in form
    url = f"/tasks/{task.task_guid}"
    data = {"csrf_token": csrf_token(admin, url), "title": "修正稿", "body": "新的內容"}
    assert admin.post(url, data=data).status_code == 302
    [post] = institution_posts(app)
    assert post.status == InstitutionPostStatus.PENDING and post.photo_file_id  # photo kept
    assert decide(supervisor, task_of(app, "approve"), "approve").status_code == 302
    [post] = institution_posts(app)
    assert (post.status, post.title, post.reason) == ("published", "修正稿", "")
    listing = admin.get("/institution-book/manage").get_data(as_text=True)
    assert '<span class="badge badge--approved">已發佈</span>' in listing


def test_posts_are_browsed_by_month_newest_first(app):
    family = _family_at(app, ("dunpin-school", "1201"))
    admin, supervisor = desk(app, "dunpin")
    clock.freeze(datetime(2026, 10, 20, 3, tzinfo=UTC))
    publish(app, admin, supervisor, title="十月的消息")
    # 2026-10-31 17:00 UTC is already 1 November in Taipei.
    clock.freeze(datetime(2026, 10, 31, 17, tzinfo=UTC))
    publish(app, admin, supervisor, title="十一月第一則")
    clock.freeze(datetime(2026, 11, 12, 3, tzinfo=UTC))
    publish(app, admin, supervisor, title="十一月第二則")
    page = family.get(BOOK).get_data(as_text=True)
    assert "2026年11月" in page and "2026年10月" in page
    assert "十月的消息" not in page
    assert page.index("十一月第二則") < page.index("十一月第一則")
    october = family.get(f"{BOOK}?month=2026-10").get_data(as_text=True)
    assert "十月的消息" in october and "十一月第一則" not in october


def test_html_is_shown_as_text(app):
    family = _family_at(app, ("dunpin-school", "1201"))
    body = "<script>alert(1)</script><b>粗體</b>"
    post = publish(app, *desk(app, "dunpin"), body=body)
    page = family.get(f"{BOOK}/{post.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "<b>粗體</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
