"""Input no form offers (a file where text is asked, a page or id beyond any column, a day at
the calendar's ends) gets a page with a message or a 404, never a server error; nothing is
written. Ids past 2**31 fail only on PostgreSQL, past 2**63 on SQLite too: both are tried."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from domain.audit import AuditEvent
from domain.roster import Inmate
from tests.application_support import FAMILY, field_error, logged_in, seed
from tests.conftest import read
from tests.post_support import family_with_book, review_task, send_post, staff
from tests.web_support import csrf_token
from workflows.models import HumanTask

HUGE = str(2**70)
BEYOND_IDS = [str(2**31), HUGE]  # past PostgreSQL's Integer; past SQLite's 64 bits


def test_a_file_sent_as_the_call_number_asks_for_the_call_number(app):
    seed(app)
    family = logged_in(app, *FAMILY)
    data = {
        "csrf_token": csrf_token(family, "/applications/new"),
        "facility": "dunpin-school",
        "call_number": (io.BytesIO(b"1201"), "1201.txt"),
        "relationship": "parent",
    }
    response = family.post("/applications/new", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, "call_number") == "請輸入呼號。"


def test_a_file_sent_as_a_name_on_the_roster_writes_nothing(app):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    before = len(read(app, select(Inmate)))
    data = {
        "csrf_token": csrf_token(admin, "/admin/roster/new"),
        "call_number": "9901",
        "name": (io.BytesIO("林小華".encode()), "name.txt"),
    }
    response = admin.post("/admin/roster/new", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, "name") and 'value="9901"' in page
    assert len(read(app, select(Inmate))) == before


@pytest.mark.parametrize("url", ["/notifications", "/inbox"])
def test_a_page_beyond_any_offset_is_a_page(app, url):
    seed(app)
    family = url == "/notifications"
    client = logged_in(app, *FAMILY) if family else staff(app, "reviewer", "dunpin")
    assert client.get(url, query_string={"page": HUGE}).status_code == 200


@pytest.mark.parametrize(
    "args",
    [{"page": HUGE}, {"actor": "²"}, {"from": "0001-01-01"}, {"to": "9999-12-31"}],
    ids=["page", "superscript-actor", "first-day", "last-day"],
)
def test_the_audit_log_reads_odd_filters(app, args):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    response = admin.get("/audit", query_string=args)
    assert response.status_code == 200
    assert "YYYY-MM-DD" not in response.get_data(as_text=True)  # a real day, no date error


@pytest.mark.parametrize("actor", [HUGE, str(10**18), "9" * 5000])
def test_an_actor_id_no_column_holds_matches_no_event(app, actor):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    url = "/admin/roster/new"
    added = {"csrf_token": csrf_token(admin, url), "call_number": "9901", "name": "林小華"}
    assert admin.post(url, data=added).status_code == 302
    assert read(app, select(AuditEvent))  # the addition is logged
    response = admin.get("/audit", query_string={"actor": actor})
    assert response.status_code == 200
    assert "共 0 筆" in response.get_data(as_text=True)


def test_the_audit_log_still_refuses_a_day_that_does_not_exist(app):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    page = admin.get("/audit", query_string={"from": "2026-02-30"}).get_data(as_text=True)
    assert "YYYY-MM-DD" in page


@pytest.mark.parametrize("number", BEYOND_IDS)
@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/files/{n}"),
        ("get", "/admin/roster/{n}"),
        ("get", "/institution-book/{n}"),
        ("post", "/admin/roster/{n}/restrictions/{n}/end"),
    ],
)
def test_an_id_no_column_holds_is_not_found(app, method, url, number):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    app.config["WTF_CSRF_ENABLED"] = False  # the address is refused before any form is read
    assert getattr(admin, method)(url.format(n=number)).status_code == 404


@pytest.mark.parametrize("number", BEYOND_IDS)
def test_a_task_handed_to_an_id_no_column_holds_stays_where_it_was(app, number):
    family, book_id = family_with_book(app)
    assert send_post(family, book_id).status_code == 302
    guid = review_task(app)
    supervisor = staff(app, "supervisor", "dunpin")
    data = {"csrf_token": csrf_token(supervisor, "/inbox"), "assignee": number}
    response = supervisor.post(f"/inbox/tasks/{guid}/assign", data=data)
    assert response.status_code == 303
    [task] = read(app, select(HumanTask).where(HumanTask.task_guid == guid))
    assert task.assignee_id is None
    assert "此工作無法改派給該人員" in supervisor.get("/inbox").get_data(as_text=True)
