"""Input no form offers (a file where text is asked, a page or id beyond any column, a day at
the calendar's ends) gets a page with a message or a 404, never a server error; nothing is
written. Ids past 2**31 fail only on PostgreSQL, past 2**63 on SQLite too: both are tried."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from domain.announcements import Announcement
from domain.audit import AuditEvent
from domain.roster import Inmate
from domain.special_projects import SpecialProject
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


@pytest.mark.parametrize(
    "field, day", [("starts_on", "0001-01-01"), ("ends_on", "9999-12-31")], ids=["first", "last"]
)
def test_a_special_project_at_the_calendars_end_is_refused_beside_the_day(app, field, day):
    family_with_book(app)
    supervisor = staff(app, "supervisor", "dunpin")
    page = supervisor.get("/special-projects").get_data(as_text=True)
    [family] = re.findall(r'<option value="(\d+)"', page)
    data = {
        "csrf_token": csrf_token(supervisor, "/special-projects"),
        "family": family,
        "starts_on": "2026-12-05",
        "ends_on": "2026-12-31",
        "reason": "畢業典禮前的特別聯繫",
        field: day,
    }
    response = supervisor.post("/special-projects", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, field) == "請輸入 1900-01-01 至 9998-12-31 之間的日期。"
    assert "畢業典禮前的特別聯繫" in page
    assert read(app, select(SpecialProject)) == []


def test_an_announcement_shown_from_the_first_day_is_refused_beside_the_time(app):
    seed(app)
    admin = staff(app, "facility_admin", "dunpin")
    url = "/admin/announcements/new"
    data = {
        "csrf_token": csrf_token(admin, url),
        "title": "年節懇親",
        "body": "內容",
        "publish_at": "0001-01-01T00:00",
        "expires_at": "2026-12-31T10:00",
    }
    response = admin.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert field_error(page, "publish_at") == "請輸入 1900-01-01 至 9998-12-31 之間的日期。"
    assert 'value="年節懇親"' in page
    assert read(app, select(Announcement)) == []


@pytest.mark.parametrize(
    "body",
    [
        '{"email": {"a": 1}, "password": 5}',
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=["object-and-number", "nested-past-the-parser"],
)
def test_a_json_body_is_no_form_data(app, client, body):
    """Flask-WTF filled a form page's form from a JSON body, values of any type: /login's look-up
    got an object for the address (AttributeError), and brackets nested past Python's parser
    raised RecursionError: server errors for any visitor with a token in a header. A browser
    posts no JSON: the page asks again, as for an empty form."""
    seed(app)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data=body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200 and 'name="email"' in response.get_data(as_text=True)
