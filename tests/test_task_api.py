"""The task API (`/api/v1/tasks`): list my tasks, read one, complete one, with a personal token.

The caller sees and works exactly what its pages let it: a family its own steps, staff the
lanes of their role at their facility. Another's task is a 404, as on the task page; the form
that validates is the task page's own, so a decision through the API equals one on the page.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domain.account_tokens import AccountToken, revoke_own_token
from domain.accounts import Account, AccountStatus
from domain.api_tokens import digest
from domain.audit import AuditEvent
from domain.posts import Post, PostStatus
from tests.api_support import api, ids, token_of
from tests.application_support import FAMILY, make_family, open_tasks, png
from tests.conftest import read
from tests.post_support import (
    family_with_book,
    photo_jobs_done,
    posts,
    review_task,
    send_post,
    staff_email,
    start_post,
)
from workflows import clock
from workflows.models import HumanTask, TaskStatus

CJK = re.compile(r"[\u4e00-\u9fff]")


def staff_token(app, role: str, short: str) -> str:
    return token_of(app, staff_email(role, short))


def sent_post(app) -> str:
    """The demo family's post to Dunpin 1201, sent; the guid of its review task."""
    family, book_id = family_with_book(app)
    assert send_post(family, book_id).status_code == 302
    photo_jobs_done(app)
    return review_task(app)


def compose_task(app) -> tuple[str, int]:
    """The demo family's open compose task (a post started, not written); (guid, book id)."""
    family, book_id = family_with_book(app)
    location = start_post(family, book_id).headers["Location"]
    return location.rsplit("/", 1)[1], book_id


def test_missing_unknown_and_revoked_tokens_get_the_same_401(app):
    seed_task, _book = compose_task(app)
    token = token_of(app, FAMILY[0])
    assert ids(api(app, token)) == [seed_task]
    database = app.extensions["db"]
    with database.transaction() as session:
        row = session.scalar(select(AccountToken).where(AccountToken.token_hash == digest(token)))
        assert revoke_own_token(session, row.account_id, row.id) == (row, True)
    database.remove()
    answers = [
        api(app, None),
        api(app, "fb_not-a-real-token"),
        api(app, "something else"),
        api(app, token),  # revoked now
        api(app, token, "GET", f"/api/v1/tasks/{seed_task}"),
        api(app, token, "POST", f"/api/v1/tasks/{seed_task}", json={"title": "x"}),
    ]
    assert {r.status_code for r in answers} == {401}
    assert len({r.get_data() for r in answers}) == 1
    assert all(r.headers["WWW-Authenticate"].startswith("Bearer") for r in answers)


def test_a_token_stops_working_with_its_disabled_account(app):
    _guid, _book = compose_task(app)
    token = token_of(app, FAMILY[0])
    database = app.extensions["db"]
    with database.transaction() as session:
        account = session.scalar(select(Account).where(Account.email == FAMILY[0]))
        account.status = AccountStatus.DISABLED
    database.remove()
    assert api(app, token).status_code == 401


def test_the_session_cookie_does_not_authenticate_the_api(app):
    family, book_id = family_with_book(app)
    assert start_post(family, book_id).status_code == 302
    assert family.get("/api/v1/tasks").status_code == 401


def test_a_family_lists_only_its_own_tasks(app):
    guid, _book = compose_task(app)
    other, _password = make_family(app, "other@example.tw")
    listed = api(app, token_of(app, FAMILY[0])).get_json()
    assert [t["id"] for t in listed["tasks"]] == [guid]
    [task] = listed["tasks"]
    assert task["form_key"] == "PostComposeForm" and task["process"] == "post_review"
    assert task["created"] and task["url"].endswith(f"/api/v1/tasks/{guid}")
    assert (listed["page"], listed["pages"], listed["total"]) == (1, 1, 1)
    assert ids(api(app, token_of(app, other))) == []


def test_another_familys_task_is_a_404_and_stays_open(app):
    guid, _book = compose_task(app)
    other, _password = make_family(app, "other@example.tw")
    stranger = token_of(app, other)
    url = f"/api/v1/tasks/{guid}"
    assert api(app, stranger, "GET", url).status_code == 404
    sent = api(app, stranger, "POST", url, json={"title": "偷寫", "body": "偷寫"})
    assert sent.status_code == 404 and sent.get_json()["error"] == "not_found"
    assert api(app, stranger, "GET", "/api/v1/tasks/no-such-task").status_code == 404
    assert [t.task_guid for t in open_tasks(app, bpmn_id="compose")] == [guid]


def test_staff_list_their_facilitys_tasks_of_their_lanes_only(app):
    review = sent_post(app)
    assert ids(api(app, staff_token(app, "reviewer", "dunpin"))) == [review]
    assert ids(api(app, staff_token(app, "supervisor", "dunpin"))) == [review]
    assert ids(api(app, staff_token(app, "reviewer", "taichung"))) == []
    assert ids(api(app, staff_token(app, "facility_admin", "dunpin"))) == []
    assert ids(api(app, token_of(app, FAMILY[0]))) == []
    url = f"/api/v1/tasks/{review}"
    assert api(app, staff_token(app, "reviewer", "taichung"), "GET", url).status_code == 404
    admin = staff_token(app, "facility_admin", "dunpin")
    assert api(app, admin, "POST", url, json={"decision": "approve"}).status_code == 404
    assert [t.task_guid for t in open_tasks(app, bpmn_id="review")] == [review]


def test_the_list_is_paged_with_the_page_argument(app):
    review = sent_post(app)
    token = staff_token(app, "reviewer", "dunpin")
    assert ids(api(app, token, "GET", "/api/v1/tasks?page=1")) == [review]
    second = api(app, token, "GET", "/api/v1/tasks?page=2").get_json()
    assert (second["tasks"], second["page"], second["total"]) == ([], 2, 1)
    assert api(app, token, "GET", "/api/v1/tasks?page=x").get_json()["page"] == 1


def test_a_task_is_described_by_its_page_form(app):
    review = sent_post(app)
    answer = api(app, staff_token(app, "reviewer", "dunpin"), "GET", f"/api/v1/tasks/{review}")
    assert answer.status_code == 200
    body = answer.get_json()
    fields = {f["name"]: f for f in body["fields"]}
    assert list(fields) == ["decision", "reason_template", "reason"]
    assert fields["decision"]["required"] is True
    assert [c["value"] for c in fields["decision"]["choices"]] == ["approve", "reject"]
    assert fields["reason"]["max_length"] == 1000
    assert body["multipart"] is False and body["data"]["post_id"]


def test_a_reviewer_approves_a_post_through_the_api_as_on_the_page(app):
    review = sent_post(app)
    token = staff_token(app, "reviewer", "dunpin")
    answer = api(app, token, "POST", f"/api/v1/tasks/{review}", json={"decision": "approve"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json() == {"completed": review, "next": None, "status": "running"}
    assert "Set-Cookie" not in answer.headers  # the token signs this request in, nothing else
    [post] = posts(app)
    reviewer = read(
        app, select(Account.id).where(Account.email == staff_email("reviewer", "dunpin"))
    )
    assert post.status == PostStatus.APPROVED and post.decided_at is not None
    assert post.decided_by == reviewer[0]
    [event] = read(app, select(AuditEvent).where(AuditEvent.action == "post.approve"))
    assert event.actor == f"account:{reviewer[0]}"
    assert [t.lane for t in open_tasks(app, process_id="post_review")] == ["FacilityAdmin"]
    again = api(app, token, "POST", f"/api/v1/tasks/{review}", json={"decision": "approve"})
    assert again.status_code == 409 and again.get_json()["error"] == "closed"
    assert api(app, token, "GET", f"/api/v1/tasks/{review}").status_code == 409


def test_an_invalid_decision_is_a_422_beside_its_field_in_the_requests_language(app):
    review = sent_post(app)
    token, url = staff_token(app, "reviewer", "dunpin"), f"/api/v1/tasks/{review}"
    chinese = api(app, token, "POST", url, json={"decision": "reject"})
    assert chinese.status_code == 422
    [message] = chinese.get_json()["errors"]["reason"]
    assert CJK.search(message), message
    english = api(app, token, "POST", url, json={}, headers={"Accept-Language": "en"})
    assert english.status_code == 422
    assert english.get_json()["errors"] == {"decision": ["Choose approve or reject."]}
    rejected = api(
        app, token, "POST", url, json={"decision": "reject"}, headers={"Accept-Language": "en"}
    )
    assert rejected.get_json()["errors"] == {"reason": ["A rejection needs a reason."]}
    assert [p.status for p in posts(app)] == [PostStatus.PENDING]


def test_a_body_that_is_not_a_json_object_is_a_400(app):
    review = sent_post(app)
    token, url = staff_token(app, "reviewer", "dunpin"), f"/api/v1/tasks/{review}"
    nested = "[" * 100_000 + "]" * 100_000  # deeper than the JSON parser recurses: was a 500
    for body in (
        {"data": "decision=approve", "content_type": "text/plain"},
        {"json": ["x"]},
        {"data": nested, "content_type": "application/json"},
    ):
        answer = api(app, token, "POST", url, **body)
        assert answer.status_code == 400 and answer.get_json()["error"] == "bad_request"
    form = api(
        app, token, "POST", url, data={"decision": "approve"}, content_type="multipart/form-data"
    )
    assert form.status_code == 400  # this form has no upload: it takes JSON
    assert [p.status for p in posts(app)] == [PostStatus.PENDING]


def test_a_family_composes_its_post_through_the_api_with_a_photo(app):
    guid, book_id = compose_task(app)
    token, url = token_of(app, FAMILY[0]), f"/api/v1/tasks/{guid}"
    described = api(app, token, "GET", url).get_json()
    assert described["multipart"] is True
    assert {f["name"]: f["type"] for f in described["fields"]}["photo"] == "FileField"
    data = {
        "title": "家裡一切都好",
        "body": "爸爸，我們很想你。",
        "photo": (io.BytesIO(png()), "kids.png"),
    }
    answer = api(app, token, "POST", url, data=data, content_type="multipart/form-data")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["completed"] == guid
    photo_jobs_done(app)
    [post] = posts(app)
    assert (post.book_id, post.title, post.status) == (book_id, "家裡一切都好", PostStatus.PENDING)
    assert post.photo_file_id is not None
    assert read(app, select(Post.id)) == [post.id]


def test_a_draft_sent_after_its_deadline_is_a_409_and_the_draft_is_closed(app):
    """Its timer fires first, in the request: the 409 keeps that step, as the task page does,
    so the draft is closed now rather than at the next tick."""
    clock.freeze(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    guid, _book_id = compose_task(app)
    clock.advance(timedelta(days=7, minutes=1))
    body = {"title": "家裡一切都好", "body": "爸爸，我們很想你。"}
    answer = api(app, token_of(app, FAMILY[0]), "POST", f"/api/v1/tasks/{guid}", json=body)
    assert answer.status_code == 409
    assert answer.get_json()["error"] == "closed"
    [status] = read(app, select(HumanTask.status).where(HumanTask.task_guid == guid))
    assert status == TaskStatus.CANCELLED
    assert posts(app) == []


def test_the_api_is_rate_limited_per_address(app):
    client = app.test_client()
    statuses = [client.get("/api/v1/tasks").status_code for _ in range(121)]
    assert statuses[:120] == [401] * 120
    assert statuses[120] == 429
    assert client.get("/api/v1/tasks").get_json()["error"] == "too_many_requests"


def test_error_messages_are_in_the_callers_language(app):
    """A code for programs, a message for people: 中文 by default, else Accept-Language."""
    family_with_book(app)
    token = token_of(app, FAMILY[0])
    unknown = "/api/v1/tasks/00000000-0000-0000-0000-000000000000"
    chinese = api(app, token, url=unknown)
    assert chinese.status_code == 404 and chinese.get_json()["error"] == "not_found"
    assert CJK.search(chinese.get_json()["message"])
    english = api(app, token, url=unknown, headers={"Accept-Language": "en"})
    assert english.get_json()["message"] == "No task with this id is yours to work."
    vietnamese = api(app, token, url=unknown, headers={"Accept-Language": "vi"})
    assert vietnamese.get_json()["message"] == "Không có việc nào với mã này do bạn thực hiện."
    nowhere = api(app, token, url="/api/v1/nothing-here", headers={"Accept-Language": "id"})
    assert nowhere.status_code == 404
    assert nowhere.get_json()["message"] == "Tidak ada apa pun di alamat ini."
    refused = api(app, None, headers={"Accept-Language": "vi"})
    assert refused.status_code == 401
    assert refused.get_json()["message"] == "Cần một mã truy cập API cá nhân hợp lệ."
