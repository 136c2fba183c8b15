"""What the post pages tell the family and the reviewer: the next date, a restriction's end, the
rejections toward a suspension, and a title the database can hold."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from domain.applications import Application, ContactBook
from domain.roster import Inmate, Restriction
from tests.application_support import field_error
from tests.conftest import read
from tests.post_support import (
    compose,
    decide,
    drafts_at_once,
    family_with_book,
    posts,
    review_task,
    send_post,
    staff,
    start_post,
)
from workflows import clock
from workflows.models import InstanceStatus, ProcessInstance

FAMILY_EMOJI = (
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 1 character, 7 code points
)


def rules_box(page: str) -> str:
    """The compose page's box of rules, above the form."""
    return re.search(r'<section class="callout".*?</section>', page, re.S).group(0)


def test_the_compose_page_shows_the_date_after_this_post(app):
    family, book_id = family_with_book(app)  # Dunpin: one post per 2 days
    clock.freeze(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))  # 10:00 in Taipei
    page = family.get(start_post(family, book_id).headers["Location"]).get_data(as_text=True)
    assert "2026-12-03" in rules_box(page) and "2026-12-01" not in rules_box(page)
    # The limit is the live counter's (it counts what a person sees), not the browser's.
    [body] = re.findall(r'<textarea[^>]*name="body"[^>]*>', page)
    assert 'data-max-chars="' in body and "maxlength" not in body
    send_post(family, book_id)
    clock.advance(timedelta(days=5))
    page = family.get(start_post(family, book_id).headers["Location"]).get_data(as_text=True)
    assert "2026-12-08" in rules_box(page)


def add_restriction(app, starts_on: date, ends_on: date | None, call_number="1201") -> None:
    database = app.extensions["db"]
    with database.transaction() as session:
        inmate = session.scalar(select(Inmate).where(Inmate.call_number == call_number))
        session.add(
            Restriction(
                inmate_id=inmate.id, kind="discipline", starts_on=starts_on, ends_on=ends_on
            )
        )
    database.remove()


def test_a_restriction_refusal_shows_the_day_it_ends(app):
    family, book_id = family_with_book(app)
    clock.freeze(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    add_restriction(app, date(2026, 11, 20), date(2026, 12, 5))
    add_restriction(app, date(2026, 12, 6), date(2026, 12, 9))  # follows at once: one closure
    page = family.get(start_post(family, book_id).headers["Location"]).get_data(as_text=True)
    assert "限制" in page and "2026-12-10 00:00" in page


def test_an_open_ended_restriction_gives_no_date(app):
    family, book_id = family_with_book(app)
    clock.freeze(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    add_restriction(app, date(2026, 11, 20), date(2026, 12, 5))
    add_restriction(app, date(2026, 12, 3), None)
    page = family.get(start_post(family, book_id).headers["Location"]).get_data(as_text=True)
    assert "限制" in page and "2026-12-06" not in page and "起再次發佈" not in page


def test_the_reviewer_sees_the_rejections_toward_a_suspension(app):
    family, book_id = family_with_book(app)
    clock.freeze(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    reviewer = staff(app, "reviewer", "dunpin")
    for _ in range(2):
        send_post(family, book_id)
        assert decide(reviewer, review_task(app), "reject", "請勿談公務").status_code == 302
    send_post(family, book_id)
    page = reviewer.get(f"/tasks/{review_task(app)}").get_data(as_text=True)
    assert "目前 2 次 / 門檻 3 次" in page  # Dunpin: suspended at 3 rejections


def test_the_reviewer_sees_the_familys_relationship_from_the_application(app):
    family, book_id = family_with_book(app)
    database = app.extensions["db"]
    with database.transaction() as session:  # the book's application, as the family filed it
        book = session.get(ContactBook, book_id)
        session.get(Application, book.application_id).relationship = "sibling"
    database.remove()
    send_post(family, book_id)
    reviewer = staff(app, "reviewer", "dunpin")
    page = reviewer.get(f"/tasks/{review_task(app)}").get_data(as_text=True)
    assert re.search(r"<dt>關係</dt><dd>兄弟姊妹</dd>", page)


def test_the_reason_hint_is_the_lists_help_text_in_full_and_its_empty_choice_is_short(app):
    """A phone cut the hint off when it was the list's empty choice (a closed list is one line)."""
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    reviewer = staff(app, "reviewer", "dunpin")
    page = reviewer.get(f"/tasks/{review_task(app)}").get_data(as_text=True)
    help_text = '<p class="field-help" id="reason_template-help">'
    assert help_text + "可選擇常用的退件原因、在下方欄位自行填寫，或兩者並用。</p>" in page
    assert re.search(r'<select[^>]*aria-describedby="reason_template-help"', page)
    assert re.search(r'<option selected value="">－ 選擇退件原因 －</option>', page)


def test_a_plain_title_over_the_limit_is_told_the_limit_not_about_emoji(app):
    family, book_id = family_with_book(app)
    task_url = start_post(family, book_id).headers["Location"]
    assert "最多 50 字" in family.get(task_url).get_data(as_text=True)  # said before typing
    page = compose(family, task_url, title="T" * 400, body="我們都好").get_data(as_text=True)
    error = field_error(page, "title")
    assert "400" in error and "50" in error
    assert "表情" not in error  # the storage limit's words about emoji do not apply here


def test_a_title_longer_than_the_column_is_refused_beside_the_field(app):
    family, book_id = family_with_book(app)
    title = FAMILY_EMOJI * 50  # 50 characters as a person counts them, 350 code points
    response = send_post(family, book_id, title=title, body="我們都好")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and field_error(page, "title")
    assert title in page and "我們都好" in page
    assert posts(app) == []
    assert not read(
        app, select(ProcessInstance).where(ProcessInstance.status == InstanceStatus.INCIDENT)
    )
    accepted = send_post(family, book_id, title=FAMILY_EMOJI * 28)  # 196 code points
    assert accepted.status_code == 302
    [post] = posts(app)
    assert post.title == FAMILY_EMOJI * 28


def test_a_compose_page_left_open_says_posting_is_closed_before_anything_is_typed(app):
    """Two compose pages opened, one sent: the other no longer offers a form that would fail."""
    family, book_id = family_with_book(app)  # Dunpin: one post per 2 days
    clock.freeze(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))  # 10:00 in Taipei
    first, second = drafts_at_once(app, book_id, 2)
    compose(family, first)
    page = family.get(second).get_data(as_text=True)
    assert "2026-12-03 10:00" in page and 'name="body"' not in page
    # Sent anyway (a page loaded before the other post): refused, and the text comes back.
    refused = compose(family, second, title="第二篇", body="這段文字不能不見")
    page = family.get(refused.headers["Location"]).get_data(as_text=True)
    assert "第二篇" in page and "這段文字不能不見" in page and "2026-12-03 10:00" in page
    assert len(posts(app)) == 1


def test_a_second_compose_page_is_a_form_again_once_the_period_is_over(app):
    family, book_id = family_with_book(app)
    clock.freeze(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    first, second = drafts_at_once(app, book_id, 2)
    compose(family, first)
    clock.advance(timedelta(days=2))  # the period is over: the page is a form again
    assert 'name="body"' in family.get(second).get_data(as_text=True)
