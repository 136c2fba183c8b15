"""The /inbox page and its claim / unclaim / reassign forms, as staff and strangers use them."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.accounts import Account, Facility
from domain.audit import AuditEvent
from domain.demo import FAMILY_EMAIL, FAMILY_PASSWORD, STAFF_PASSWORD, seed_demo
from tests.conftest import read
from tests.inbox_support import add_task, dummy_instance
from tests.web_support import csrf_token, login, switch_language
from webapp.inbox.filters import PROCESS_LABELS
from workflows import clock
from workflows.models import HumanTask

SUBJECT_RE = re.compile(r'class="inbox-subject">([^<]+)<')


@pytest.fixture
def demo(app):
    """Demo facilities and staff; returns {facility code: id} and {e-mail: account id}."""
    database = app.extensions["db"]
    with database.transaction() as session:
        seed_demo(session)
        facilities = {f.code: f.id for f in session.scalars(select(Facility))}
        accounts = {a.email: a.id for a in session.scalars(select(Account))}
    database.remove()
    return facilities, accounts


@pytest.fixture
def tasks(app, demo):
    """Make tasks with add_task(facility code, call number, **fields); returns the task_guid."""
    facilities, _ = demo
    database = app.extensions["db"]
    with database.transaction() as session:
        instance_id = dummy_instance(session)
    database.remove()

    def make(code: str, call: str, **fields) -> str:
        with database.transaction() as session:
            guid = add_task(session, instance_id, facilities[code], call, **fields).task_guid
        database.remove()
        return guid

    return make


def as_staff(client, who: str = "reviewer.taichung@example.tw"):
    response = login(client, who, STAFF_PASSWORD)
    assert response.status_code == 302, response.get_data(as_text=True)
    switch_language(client, "en")


def subjects(client, url: str = "/inbox") -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return SUBJECT_RE.findall(response.get_data(as_text=True))


def assignee(app, guid: str) -> int | None:
    [row] = read(app, select(HumanTask).where(HumanTask.task_guid == guid))
    return row.assignee_id


def post(client, url: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/inbox"), **data})


def test_strangers_get_404_and_see_no_link(app, client, demo):
    assert client.get("/inbox").status_code == 404
    login(client, FAMILY_EMAIL, FAMILY_PASSWORD)
    assert client.get("/inbox").status_code == 404
    assert 'href="/inbox"' not in client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "owner@example.tw", STAFF_PASSWORD)  # a process owner works no facility inbox
    assert client.get("/inbox").status_code == 404


@pytest.mark.parametrize("who", ["reviewer", "supervisor", "admin"])
def test_facility_staff_see_the_inbox_in_their_menu(client, demo, who):
    as_staff(client, f"{who}.yunlin@example.tw")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/inbox"' in page and "Task inbox" in page
    assert client.get("/inbox").status_code == 200


def test_tabs_show_counts_and_only_this_facility(client, demo, tasks):
    _, accounts = demo
    me = accounts["reviewer.taichung@example.tw"]
    tasks("taichung-detention", "0609", assignee_id=me)
    tasks("taichung-detention", "0610")
    tasks("taichung-detention", "0611", lane="Supervisor")
    tasks("yunlin-second-prison", "2301")
    as_staff(client)
    page = client.get("/inbox").get_data(as_text=True)
    counts = re.findall(r'class="inbox-count">(\d+)<', page)
    assert counts == ["1", "1", "2"]
    assert subjects(client) == ["0609 李〇〇", "0610 李〇〇"]
    assert subjects(client, "/inbox?tab=mine") == ["0609 李〇〇"]
    assert subjects(client, "/inbox?tab=unassigned") == ["0610 李〇〇"]
    assert 'href="/tasks/' in page


def test_each_row_links_to_its_task_and_shows_dates_in_taipei_and_assignee(
    client, demo, tasks, app
):
    _, accounts = demo
    created = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)  # 2026-03-02 01:30 in Taipei
    guid = tasks(
        "taichung-detention",
        "0609",
        created_at=created,
        due_at=created + timedelta(days=30),
        assignee_id=accounts["supervisor.taichung@example.tw"],
    )
    as_staff(client)
    page = client.get("/inbox").get_data(as_text=True)
    assert f'href="/tasks/{guid}"' in page
    assert "2026-03-02 01:30" in page and "2026-04-01" in page  # the time tells same-day rows apart
    assert "林志明 (Supervisor)" in page  # the assignee's own name and role, in English
    reviewer = accounts["reviewer.taichung@example.tw"]
    assert f'<option value="{reviewer}">陳怡君 (Reviewer)</option>' in page
    assert "法務部矯正署" not in page
    assert "Service application" in page and "Review the application" in page


def test_overdue_badge_follows_the_clock(client, demo, tasks):
    tasks("taichung-detention", "0609", due_at=clock.now() + timedelta(days=10))
    as_staff(client)
    assert "badge--overdue" not in client.get("/inbox").get_data(as_text=True)
    clock.advance(timedelta(days=11))
    page = client.get("/inbox").get_data(as_text=True)
    assert "badge--overdue" in page and "Overdue" in page


def test_search_by_call_number(client, demo, tasks):
    for call in ("0609", "06091", "0610", "1609"):
        tasks("taichung-detention", call)
    as_staff(client)
    assert subjects(client, "/inbox?q=0609") == ["0609 李〇〇", "06091 李〇〇"]
    assert subjects(client, "/inbox?q=0610") == ["0610 李〇〇"]
    assert subjects(client, "/inbox?q=0613") == []


def test_filter_by_process_and_task(client, demo, tasks):
    tasks("taichung-detention", "0609")
    tasks("taichung-detention", "0610", bpmn_id="supervisor_review", title="Decide the project")
    as_staff(client, "supervisor.taichung@example.tw")
    page = client.get("/inbox").get_data(as_text=True)
    assert (
        '<option value="service_application:supervisor_review">Decide the project</option>' in page
    )
    assert subjects(client, "/inbox?task=service_application:supervisor_review") == ["0610 李〇〇"]
    assert subjects(client, "/inbox?process=service_application") == ["0609 李〇〇", "0610 李〇〇"]
    assert subjects(client, "/inbox?process=registration") == []


def test_sort_by_due_date_or_age(client, demo, tasks):
    now = clock.now()
    tasks("taichung-detention", "0001", created_at=now - timedelta(days=4), due_at=None)
    tasks("taichung-detention", "0002", created_at=now - timedelta(days=3), due_at=now)
    tasks("taichung-detention", "0003", created_at=now - timedelta(days=2), due_at=now)
    as_staff(client)
    assert subjects(client) == ["0002 李〇〇", "0003 李〇〇", "0001 李〇〇"]
    assert subjects(client, "/inbox?sort=due") == subjects(client)
    assert subjects(client, "/inbox?sort=age") == ["0001 李〇〇", "0002 李〇〇", "0003 李〇〇"]


def test_overdue_only_lists_the_tasks_past_their_deadline(client, demo, tasks):
    now = clock.now()
    tasks("taichung-detention", "0001", due_at=now - timedelta(days=2))
    tasks("taichung-detention", "0002", due_at=now + timedelta(days=2))
    tasks("taichung-detention", "0003", due_at=None)
    as_staff(client)
    assert subjects(client, "/inbox?overdue=1") == ["0001 李〇〇"]
    clock.advance(timedelta(days=3))  # the second one's deadline passes too
    assert subjects(client, "/inbox?overdue=1") == ["0001 李〇〇", "0002 李〇〇"]
    page = client.get("/inbox?overdue=1").get_data(as_text=True)
    assert 'id="filter-overdue" name="overdue" value="1" checked' in page
    assert "Clear filters" in page
    assert len(subjects(client, "/inbox?overdue=yes")) == 3  # not a value it knows: no filter


def test_pages_and_their_links_keep_the_filters(client, demo, tasks):
    start = clock.now() - timedelta(days=1)
    for n in range(30):
        tasks("taichung-detention", f"06{n:02d}", created_at=start + timedelta(minutes=n))
    tasks("taichung-detention", "0700")
    as_staff(client)
    page = client.get("/inbox?q=06&sort=age").get_data(as_text=True)
    assert len(SUBJECT_RE.findall(page)) == 25 and "Page 1 of 2" in page
    link = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert link.startswith("/inbox?") and {"q=06", "sort=age", "page=2"} <= set(
        link.split("?")[1].split("&")
    )
    assert subjects(client, link) == [f"06{n:02d} 李〇〇" for n in range(25, 30)]


def test_claim_unclaim_and_return_to_the_same_filters(app, client, demo, tasks):
    _, accounts = demo
    guid = tasks("taichung-detention", "0609")
    as_staff(client)
    back = "/inbox?tab=unassigned&q=0609"
    response = post(client, f"/inbox/tasks/{guid}/claim", next=back)
    assert (response.status_code, response.headers["Location"]) == (303, back)
    assert assignee(app, guid) == accounts["reviewer.taichung@example.tw"]
    assert subjects(client, "/inbox?tab=mine") == ["0609 李〇〇"]
    response = post(client, f"/inbox/tasks/{guid}/unclaim", next="https://evil.example/")
    assert response.headers["Location"] == "/inbox"
    assert assignee(app, guid) is None


def test_a_claim_leaves_a_colleagues_task_with_them_and_says_who_holds_it(app, client, demo, tasks):
    _, accounts = demo
    holder = accounts["supervisor.taichung@example.tw"]
    guid = tasks("taichung-detention", "0609", assignee_id=holder)
    as_staff(client)  # the reviewer's inbox may have been loaded before the supervisor claimed
    response = post(client, f"/inbox/tasks/{guid}/claim")
    assert response.status_code == 303
    assert assignee(app, guid) == holder
    page = client.get("/inbox").get_data(as_text=True)
    assert "林志明 (Supervisor) is already working on this task" in page
    assert f'formaction="/inbox/tasks/{guid}/claim"' not in page  # no "Assign to me" offered
    me = accounts["reviewer.taichung@example.tw"]
    assert f'<option value="{me}">' in page  # taking it over is the explicit reassign
    post(client, f"/inbox/tasks/{guid}/assign", assignee=me)
    assert assignee(app, guid) == me
    post(client, f"/inbox/tasks/{guid}/claim")  # claiming one's own task again is harmless
    assert assignee(app, guid) == me


def test_two_claims_at_the_same_moment_give_the_task_to_one_and_tell_the_other(app, demo, tasks):
    _, accounts = demo
    guid = tasks("taichung-detention", "0609")
    people = ["reviewer.taichung@example.tw", "supervisor.taichung@example.tw"]
    clients = [app.test_client() for _ in people]
    for client, who in zip(clients, people, strict=True):
        as_staff(client, who)
    tokens = [csrf_token(client, "/inbox") for client in clients]
    app.extensions["db"].remove()
    barrier, pages = threading.Barrier(len(clients)), [""] * len(clients)

    def claim(n: int) -> None:
        barrier.wait()
        url = f"/inbox/tasks/{guid}/claim"
        clients[n].post(url, data={"csrf_token": tokens[n]})
        pages[n] = clients[n].get("/inbox").get_data(as_text=True)
        app.extensions["db"].remove()

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    [winner] = [n for n, page in enumerate(pages) if "now assigned to you" in page]
    [loser] = [n for n, page in enumerate(pages) if "already working on this task" in page]
    assert {winner, loser} == {0, 1}
    assert assignee(app, guid) == accounts[people[winner]]


def test_the_held_task_message_is_in_traditional_chinese(app, client, demo, tasks):
    _, accounts = demo
    guid = tasks(
        "taichung-detention", "0609", assignee_id=accounts["supervisor.taichung@example.tw"]
    )
    login(client, "reviewer.taichung@example.tw", STAFF_PASSWORD)
    post(client, f"/inbox/tasks/{guid}/claim")
    assert "林志明（主管） 正在處理這項工作" in client.get("/inbox").get_data(as_text=True)


def test_reassign_only_to_fitting_staff_of_the_same_facility(app, client, demo, tasks):
    _, accounts = demo
    guid = tasks("taichung-detention", "0609")
    as_staff(client)
    menu = client.get("/inbox").get_data(as_text=True)
    supervisor = accounts["supervisor.taichung@example.tw"]
    assert f'<option value="{supervisor}">' in menu
    assert f'<option value="{accounts["admin.taichung@example.tw"]}">' not in menu
    for refused in ("reviewer.yunlin@example.tw", FAMILY_EMAIL, "admin.taichung@example.tw"):
        response = post(client, f"/inbox/tasks/{guid}/assign", assignee=accounts[refused])
        assert response.status_code == 303
        assert assignee(app, guid) is None, refused
    assert "cannot be handed to that person" in client.get("/inbox").get_data(as_text=True)
    post(client, f"/inbox/tasks/{guid}/assign", assignee="not a number")
    assert assignee(app, guid) is None
    for crafted in ("99999999999999999999", "-1", "0"):  # no account: the same message, no 500
        response = post(client, f"/inbox/tasks/{guid}/assign", assignee=crafted)
        assert response.status_code == 303, crafted
        assert assignee(app, guid) is None
    post(client, f"/inbox/tasks/{guid}/assign", assignee=supervisor)
    assert assignee(app, guid) == supervisor


def test_tasks_of_another_facility_or_lane_answer_404(app, client, demo, tasks):
    elsewhere = tasks("yunlin-second-prison", "2301")
    supervisor_lane = tasks("taichung-detention", "0609", lane="Supervisor")
    family_lane = tasks("taichung-detention", "0610", lane="Family")
    as_staff(client)
    for guid in (elsewhere, supervisor_lane, family_lane, "no-such-task"):
        for action in ("claim", "unclaim", "assign"):
            response = post(client, f"/inbox/tasks/{guid}/{action}", assignee=1)
            assert response.status_code == 404, (guid, action)
    assert assignee(app, elsewhere) is None


def test_families_cannot_use_the_actions(app, client, demo, tasks):
    guid = tasks("taichung-detention", "0609")
    login(client, FAMILY_EMAIL, FAMILY_PASSWORD)
    token = csrf_token(client, "/")
    for action in ("claim", "unclaim", "assign"):
        response = client.post(f"/inbox/tasks/{guid}/{action}", data={"csrf_token": token})
        assert response.status_code == 404
    assert assignee(app, guid) is None


def test_a_completed_task_cannot_be_claimed(app, client, demo, tasks):
    guid = tasks("taichung-detention", "0609", status="completed")
    as_staff(client)
    response = post(client, f"/inbox/tasks/{guid}/claim")
    assert response.status_code == 303
    assert "already been completed" in client.get("/inbox").get_data(as_text=True)
    assert assignee(app, guid) is None


def test_post_without_csrf_is_refused(app, client, demo, tasks):
    guid = tasks("taichung-detention", "0609")
    as_staff(client)
    assert client.post(f"/inbox/tasks/{guid}/claim").status_code == 400
    assert assignee(app, guid) is None


def test_inbox_in_traditional_chinese(client, demo, tasks):
    tasks("taichung-detention", "0609", due_at=clock.now() - timedelta(days=1))
    login(client, "reviewer.taichung@example.tw", STAFF_PASSWORD)
    page = client.get("/inbox").get_data(as_text=True)
    for words in ("待辦工作", "指派給我", "未指派", "全部", "呼號", "已逾期"):
        assert words in page, words


def test_every_process_has_a_name_staff_can_read():
    bpmn = Path(__file__).resolve().parent.parent / "bpmn"
    ids = {
        match
        for path in bpmn.rglob("*.bpmn")
        for match in re.findall(r'<bpmn:process id="([^"]+)"', path.read_text(encoding="utf-8"))
    }
    assert ids and ids <= set(PROCESS_LABELS), sorted(ids - set(PROCESS_LABELS))


def test_a_claim_or_assignment_sent_twice_is_recorded_once(app, client, demo, tasks):
    _, accounts = demo
    guid = tasks("taichung-detention", "0609")
    as_staff(client)
    token = csrf_token(client, "/inbox")
    supervisor = accounts["supervisor.taichung@example.tw"]
    for url, data in (
        (f"/inbox/tasks/{guid}/claim", {}),
        (f"/inbox/tasks/{guid}/assign", {"assignee": supervisor}),
    ):
        for _ in range(2):  # the same form, token and all, sent twice
            assert client.post(url, data={"csrf_token": token, **data}).status_code == 303
    assert assignee(app, guid) == supervisor
    events = read(app, select(AuditEvent.after).where(AuditEvent.action == "task.assign"))
    assert events == [
        {"assignee_id": accounts["reviewer.taichung@example.tw"]},
        {"assignee_id": supervisor},
    ]
