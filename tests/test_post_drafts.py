"""A draft the family never sends: choosing the book again continues it, and the compose
task's boundary timer (7 days in post_review.bpmn) ends it without anything counting."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domain.posts import PostStatus
from tests.api_support import api, ids, token_of
from tests.application_support import FAMILY, make_family, open_tasks
from tests.file_support import encode, marked
from tests.post_support import (
    compose,
    family_with_book,
    give_book,
    lose_photo_jobs,
    posts,
    review_task,
    start_post,
)
from tests.web_support import csrf_token
from webapp.ticking import tick_once
from workflows import clock
from workflows.models import HumanTask, InstanceStatus, ProcessInstance, TaskStatus

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
PERIOD = timedelta(days=7)


def instances(app) -> list[ProcessInstance]:
    database = app.extensions["db"]
    try:
        query = select(ProcessInstance).where(ProcessInstance.process_id == "post_review")
        return database.session.scalars(query.order_by(ProcessInstance.id)).all()
    finally:
        database.remove()


def task_row(app, guid: str) -> HumanTask:
    database = app.extensions["db"]
    try:
        return database.session.scalar(select(HumanTask).where(HumanTask.task_guid == guid))
    finally:
        database.remove()


def started_draft(app):
    """The demo family with a book and a draft started at START; (client, book id, task URL)."""
    clock.freeze(START)
    family, book_id = family_with_book(app)
    started = start_post(family, book_id)
    assert started.status_code == 302 and "/tasks/" in started.headers["Location"]
    return family, book_id, started.headers["Location"]


def test_choosing_the_book_again_continues_the_open_draft(app):
    family, book_id, url = started_draft(app)
    again = start_post(family, book_id)
    assert again.status_code == 302 and again.headers["Location"] == url
    assert len(instances(app)) == 1
    assert len(open_tasks(app, bpmn_id="compose")) == 1


def test_a_draft_past_its_deadline_is_not_continued_even_before_the_tick(app):
    family, book_id, url = started_draft(app)
    clock.advance(PERIOD + timedelta(minutes=1))  # no tick has run
    again = start_post(family, book_id)
    assert again.status_code == 302 and "/tasks/" in again.headers["Location"]
    assert again.headers["Location"] != url
    assert family.get(again.headers["Location"]).status_code == 200  # a fresh compose form


def test_another_familys_draft_is_never_offered(app):
    from tests.application_support import logged_in

    _family, book_id, url = started_draft(app)
    email, password = make_family(app, "other@example.tw")
    other_book = give_book(app, email, "taichung-detention", "0612")
    other = logged_in(app, email, password)
    assert start_post(other, book_id).status_code == 200  # not among their choices
    started = start_post(other, other_book)
    assert started.status_code == 302 and started.headers["Location"] != url
    assert other.get(url).status_code == 404
    assert len(open_tasks(app, bpmn_id="compose")) == 2


def test_an_unsent_draft_ends_after_the_period_and_not_before(app):
    _family, _book_id, url = started_draft(app)
    guid = url.rsplit("/", 1)[1]
    clock.advance(PERIOD - timedelta(minutes=1))
    tick_once(app)
    [instance] = instances(app)
    assert instance.status == InstanceStatus.RUNNING
    assert task_row(app, guid).status == TaskStatus.OPEN
    clock.advance(timedelta(minutes=2))
    tick_once(app)
    [instance] = instances(app)
    assert instance.status == InstanceStatus.COMPLETED and instance.next_timer_at is None
    assert task_row(app, guid).status == TaskStatus.CANCELLED
    assert open_tasks(app) == [] and posts(app) == []


def test_the_expired_draft_page_says_so_and_offers_a_new_post(app):
    family, book_id, url = started_draft(app)
    clock.advance(PERIOD + timedelta(minutes=1))
    tick_once(app)
    opened = family.get(url, follow_redirects=True)
    page = opened.get_data(as_text=True)
    assert opened.status_code == 200 and "/posts/new" in page
    assert "草稿已逾期" in page
    again = start_post(family, book_id)
    assert again.status_code == 302 and again.headers["Location"] != url
    assert "/tasks/" in again.headers["Location"]


def test_sending_an_expired_draft_before_the_tick_is_refused_with_the_same_page(app):
    family, _book_id, url = started_draft(app)
    token = csrf_token(family, url)  # the page was open while the draft still was
    clock.advance(PERIOD + timedelta(minutes=1))
    data = {"csrf_token": token, "title": "家裡一切都好", "body": "爸爸，我們很想你。"}
    sent = family.post(url, data=data, content_type="multipart/form-data")
    assert sent.status_code == 302 and "/posts/outcome/" in sent.headers["Location"]
    assert "草稿已逾期" in family.get(sent.headers["Location"]).get_data(as_text=True)
    assert posts(app) == []


def test_opening_an_expired_draft_before_the_tick_shows_it_ended(app):
    """The page does not offer a form its deadline has closed: opening it fires the timer."""
    family, _book_id, url = started_draft(app)
    guid = url.rsplit("/", 1)[1]
    clock.advance(PERIOD + timedelta(minutes=1))  # no tick has run
    opened = family.get(url)
    assert opened.status_code == 302 and "/posts/outcome/" in opened.headers["Location"]
    assert "草稿已逾期" in family.get(opened.headers["Location"]).get_data(as_text=True)
    assert task_row(app, guid).status == TaskStatus.CANCELLED
    [instance] = instances(app)
    assert instance.status == InstanceStatus.COMPLETED and instance.next_timer_at is None
    assert open_tasks(app) == [] and posts(app) == []


def test_the_task_api_calls_an_expired_draft_closed_before_the_tick(app):
    _family, _book_id, url = started_draft(app)
    token = token_of(app, FAMILY[0])
    clock.advance(PERIOD + timedelta(minutes=1))
    answered = api(app, token, url=f"/api/v1/tasks/{url.rsplit('/', 1)[1]}")
    assert answered.status_code == 409 and answered.get_json()["error"] == "closed"
    assert ids(api(app, token)) == []


def test_a_draft_sent_in_time_goes_to_review_and_its_timer_is_gone(app):
    family, _book_id, url = started_draft(app)
    clock.advance(PERIOD - timedelta(hours=1))
    assert compose(family, url).status_code == 302
    [instance] = instances(app)
    assert instance.next_timer_at is None
    clock.advance(timedelta(days=2))
    tick_once(app)
    [post] = posts(app)
    assert post.status == PostStatus.PENDING
    assert review_task(app)
    [instance] = instances(app)
    assert instance.status == InstanceStatus.RUNNING


def test_a_refused_photo_post_left_unsent_is_closed_when_its_draft_expires(app, monkeypatch):
    lose_photo_jobs(monkeypatch)
    family, _book_id, url = started_draft(app)
    photo = (io.BytesIO(encode(marked((120, 80)))), "a.jpg")
    assert compose(family, url, body="畢業典禮", photo=photo).status_code == 302
    _refuse_photo(app)
    [back] = open_tasks(app, bpmn_id="compose")
    clock.advance(PERIOD + timedelta(minutes=1))
    tick_once(app)
    [post] = posts(app)
    assert post.status == PostStatus.WITHDRAWN
    page = family.get(f"/tasks/{back.task_guid}", follow_redirects=True).get_data(as_text=True)
    assert "草稿已逾期" in page and "畢業典禮" in page


def _refuse_photo(app) -> None:
    """The photo job reports the photo unusable (as when its file cannot be read)."""
    [post] = posts(app)
    engine, database = app.extensions["engine"], app.extensions["db"]
    with database.transaction() as session:
        engine.send_event(
            session,
            "photo_processed",
            {"refused": "failed"},
            correlation={"post_id": post.id},
        )
    database.remove()
    assert posts(app)[0].status == PostStatus.PHOTO_REFUSED
