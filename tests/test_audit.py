"""The audit log: staff decisions and admin changes are recorded, searchable, and append-only."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from domain.accounts import Account, Facility
from domain.audit import COMMAND_LINE, WITHHELD, AuditEvent, record
from domain.audit_catalog import ACTIONS, OBJECT_TYPES
from tests.application_support import FAMILY, STAFF_PASSWORD, logged_in
from tests.conftest import read
from tests.post_support import (
    decide,
    family_with_book,
    review_task,
    send_post,
    staff,
    staff_email,
)
from tests.web_support import csrf_token, switch_language
from webapp.audit.view import actor_names
from workflows.clock import clock


def events(app, action: str) -> list[AuditEvent]:
    return read(app, select(AuditEvent).where(AuditEvent.action == action))


def test_a_post_decision_is_recorded_with_who_when_and_what(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    reviewer = staff(app, "reviewer", "dunpin")
    decide(reviewer, review_task(app), "reject", "與家庭關懷無關")
    [event] = events(app, "post.reject")
    assert event.actor.startswith("account:") and event.actor_role == "reviewer"
    assert event.after["reason"] == "與家庭關懷無關" and event.object_type == "post"
    assert event.facility_id is not None and event.at is not None


def test_a_roster_edit_keeps_before_and_after(app):
    family_with_book(app)
    admin = staff(app, "facility_admin", "dunpin")
    [inmate_id] = read(app, text("SELECT id FROM inmate WHERE call_number = '1202'"))
    url = f"/admin/roster/{inmate_id}"
    data = {"csrf_token": csrf_token(admin, url), "call_number": "1202", "name": "吳俊傑改"}
    assert admin.post(url, data=data).status_code == 302
    [event] = events(app, "roster.edit")
    assert event.object_id == str(inmate_id)
    # The changed field is named, its values withheld: the log holds no person's name.
    assert event.before["name"] == WITHHELD and event.after["name"] == WITHHELD
    assert "call_number" not in event.after  # unchanged fields are left out
    page = admin.get(f"/audit?object_type=inmate&object_id={inmate_id}").get_data(as_text=True)
    assert "roster.edit" in page and WITHHELD in page
    assert "吳俊傑" not in page


def test_a_roster_addition_names_the_fields_but_not_the_name(app):
    family_with_book(app)
    admin = staff(app, "facility_admin", "dunpin")
    url = "/admin/roster/new"
    data = {"csrf_token": csrf_token(admin, url), "call_number": "3301", "name": "林美玲"}
    assert admin.post(url, data=data).status_code == 302
    [event] = events(app, "roster.add")
    assert event.before is None
    assert event.after["call_number"] == "3301" and event.after["name"] == WITHHELD
    assert all("林美玲" not in str(e.after) for e in read(app, select(AuditEvent)))


def test_facility_admins_search_their_facility_and_auditors_all(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    decide(staff(app, "reviewer", "dunpin"), review_task(app), "approve")
    dunpin_admin = staff(app, "facility_admin", "dunpin")
    page = dunpin_admin.get("/audit?action=post.").get_data(as_text=True)
    assert "post.approve" in page
    taichung_admin = staff(app, "facility_admin", "taichung")
    assert "post.approve" not in taichung_admin.get("/audit").get_data(as_text=True)
    from tests.application_support import STAFF_PASSWORD, logged_in

    auditor = logged_in(app, "auditor@example.tw", STAFF_PASSWORD)
    assert "post.approve" in auditor.get("/audit").get_data(as_text=True)
    # The filter's choices list every action; the results, only the roster's.
    roster_page = auditor.get("/audit?action=roster.").get_data(as_text=True)
    assert "<code>post.approve</code>" not in roster_page
    assert staff(app, "reviewer", "dunpin").get("/audit").status_code == 404
    assert family.get("/audit").status_code == 404


def test_the_log_refuses_updates_and_deletes(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    decide(staff(app, "reviewer", "dunpin"), review_task(app), "approve")
    database = app.extensions["db"]
    with pytest.raises(DBAPIError):
        with database.transaction() as session:
            session.execute(text("UPDATE audit_event SET action = 'forged'"))
    database.remove()
    with pytest.raises(DBAPIError):
        with database.transaction() as session:
            session.execute(text("DELETE FROM audit_event"))
    database.remove()
    assert [e.action for e in read(app, select(AuditEvent))] == ["post.approve"]


def test_an_announcement_change_is_recorded(app):
    from tests.application_support import STAFF_PASSWORD, logged_in, seed

    seed(app)
    admin = logged_in(app, "admin.dunpin@example.tw", STAFF_PASSWORD)
    page = admin.get("/admin/announcements/new").get_data(as_text=True)
    import re

    values = dict(re.findall(r'name="(publish_at|expires_at)"[^>]*value="([^"]*)"', page))
    data = {
        "csrf_token": csrf_token(admin, "/admin/announcements/new"),
        "title": "會客時間調整",
        "body": "本週六暫停會客。",
        **values,
    }
    assert admin.post("/admin/announcements/new", data=data).status_code == 302
    [event] = events(app, "announcement.add")
    assert event.after["title"] == "會客時間調整" and event.actor_role == "facility_admin"


def test_the_facility_column_follows_the_page_language(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    decide(staff(app, "reviewer", "dunpin"), review_task(app), "approve")
    admin = staff(app, "facility_admin", "dunpin")
    switch_language(admin, "en")
    english = admin.get("/audit?action=post.").get_data(as_text=True)
    assert ">Dunpin Juvenile School</td>" in english and "法務部矯正署敦品中學" not in english
    switch_language(admin, "vi")
    assert ">Dunpin Juvenile School</td>" in admin.get("/audit?action=post.").get_data(as_text=True)
    switch_language(admin, "zh_Hant")
    chinese = admin.get("/audit?action=post.").get_data(as_text=True)
    assert ">法務部矯正署敦品中學</td>" in chinese


def _account(app, email: str) -> Account:
    return read(app, select(Account).where(Account.email == email))[0]


def test_the_page_names_actors_and_lists_the_fields_before_and_after(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    decide(staff(app, "reviewer", "dunpin"), review_task(app), "reject", "與家庭關懷無關")
    reviewer = _account(app, staff_email("reviewer", "dunpin"))
    admin = staff(app, "facility_admin", "dunpin")
    page = admin.get("/audit?action=post.reject").get_data(as_text=True)
    # The actor by name and role, not "account:4"; the fields as "label: value", not JSON.
    assert reviewer.name in page and f"account:{reviewer.id}" not in page
    assert "<dt>原因</dt><dd>與家庭關懷無關</dd>" in page
    assert '{"' not in page and "&#34;" not in page
    # The bookmark with the account number still filters, and the select shows the name.
    by_actor = admin.get(f"/audit?actor={reviewer.id}").get_data(as_text=True)
    assert f'<option value="{reviewer.id}" selected>{reviewer.name}' in by_actor
    assert "<code>post.reject</code>" in by_actor
    # Another facility's admin sees neither the events, their actions nor the staff.
    other = staff(app, "facility_admin", "taichung").get("/audit").get_data(as_text=True)
    assert reviewer.name not in other and "post.reject" not in other


def test_a_family_actor_is_a_number_and_filters_offer_what_occurs(app):
    family, book_id = family_with_book(app)
    send_post(family, book_id)
    decide(staff(app, "reviewer", "dunpin"), review_task(app), "approve")
    member = _account(app, FAMILY[0])
    page = staff(app, "facility_admin", "dunpin").get("/audit").get_data(as_text=True)
    assert member.name not in page
    with app.test_request_context("/"), app.extensions["db"].transaction() as session:
        names = actor_names(session, [AuditEvent(actor_account_id=member.id)])
    assert str(member.id) in names[member.id] and member.name not in names[member.id]
    assert '<option value="post.approve">家庭聯絡簿審核通過</option>' in page
    assert '<option value="post">家庭聯絡簿</option>' in page


def test_a_date_that_is_not_a_day_is_named_beside_its_field(app):
    family_with_book(app)
    admin = staff(app, "facility_admin", "dunpin")
    page = admin.get("/audit?from=2026-13-45&to=2026-12-05").get_data(as_text=True)
    assert 'type="date" id="from"' in page and 'id="from-error"' in page
    assert 'id="to-error"' not in page and 'value="2026-12-05"' in page
    assert 'id="from-error"' not in admin.get("/audit?from=2026-12-01").get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "actor=²",  # a digit to str.isdigit, not to int()
        "actor=99999999999999999999",  # more than the database's integer holds
        "page=99999999999999999999",
        "to=9999-12-31",  # the day after is past the last date
        "from=0001-01-01",  # midnight in Taipei is the year 0 in UTC
    ],
)
def test_a_crafted_filter_is_a_page_not_a_server_error(app, query):
    family_with_book(app)
    auditor = logged_in(app, "auditor@example.tw", STAFF_PASSWORD)
    for reader in (staff(app, "facility_admin", "dunpin"), auditor):
        assert reader.get(f"/audit?{query}").status_code == 200, query


def test_recording_an_action_or_object_type_the_catalog_does_not_name_fails(app):
    with app.extensions["db"].transaction() as session:
        with pytest.raises(ValueError, match="visit.book"):
            record(session, COMMAND_LINE, "visit.book", "post")
        with pytest.raises(ValueError, match="visit"):
            record(session, COMMAND_LINE, "post.approve", "visit")
        assert record(session, COMMAND_LINE, "post.approve", "post").action == "post.approve"
        # What PostgreSQL's column cannot hold fails on SQLite too, before the change is lost.
        with pytest.raises(ValueError, match="longer than 60"):
            record(session, COMMAND_LINE, "bpmn.deploy", "process_version", "f" * 64)
    assert set(ACTIONS) >= {"post.approve", "post.reject", "post.deliver", "roster.transfer"}
    assert "inmate_reply" in OBJECT_TYPES


def _logged_before(app, facility: str, *codes: tuple[str, str]) -> None:
    """Events as older versions wrote them, bypassing `record` (whose catalog may refuse them)."""
    with app.extensions["db"].transaction() as session:
        facility_id = session.scalar(select(Facility.id).where(Facility.code == facility))
        for action, object_type in codes:
            event = AuditEvent(at=clock.now(), actor="system", facility_id=facility_id)
            event.action, event.object_type, event.object_id = action, object_type, "7"
            session.add(event)


def test_the_log_shows_actions_and_objects_by_label_with_their_codes(app):
    family_with_book(app)
    _logged_before(app, "dunpin-school", ("application.approve", "application"))
    _logged_before(app, "dunpin-school", ("post.deliver", "post"))
    admin = staff(app, "facility_admin", "dunpin")
    page = admin.get("/audit").get_data(as_text=True)
    assert "家庭聯絡簿已送達<br><small><code>post.deliver</code></small>" in page
    assert "家庭聯絡簿 7<br><small><code>post</code></small>" in page
    # The choices are in the order of their labels (家… before 服…), not of their codes.
    delivered = page.index('<option value="post.deliver">家庭聯絡簿已送達</option>')
    approved = page.index('<option value="application.approve">服務項目申請審核通過</option>')
    assert delivered < approved
    # A bookmarked prefix is still a choice, selected, and filters by it.
    by_prefix = admin.get("/audit?action=post.").get_data(as_text=True)
    assert '<option value="post." selected>post.</option>' in by_prefix
    assert "<code>post.deliver</code>" in by_prefix
    assert "<code>application.approve</code>" not in by_prefix
    switch_language(admin, "en")
    english = admin.get("/audit").get_data(as_text=True)
    assert "Post delivered<br><small><code>post.deliver</code></small>" in english
    assert '<option value="application">Service application</option>' in english


def test_an_older_code_the_catalog_does_not_know_shows_as_it_is(app):
    family_with_book(app)
    _logged_before(app, "dunpin-school", ("visit.book", "visit"))
    page = staff(app, "facility_admin", "dunpin").get("/audit?action=visit.book")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<code>visit.book</code>" in text and "<code>visit</code> 7" in text
    assert '<option value="visit.book" selected>visit.book</option>' in text
    assert '<option value="visit">visit</option>' in text


def test_a_changes_empty_values_are_left_out_and_the_others_shown(app):
    family_with_book(app)
    with app.extensions["db"].transaction() as session:
        facility_id = session.scalar(select(Facility.id).where(Facility.code == "dunpin-school"))
        after = {"via": "staff", "note": "", "reasons": {}, "count": 0, "urgent": False}
        session.add(
            AuditEvent(
                at=clock.now(),
                actor="system",
                facility_id=facility_id,
                action="post.deliver",
                object_type="post",
                object_id="7",
                after=after,
            )
        )
    page = staff(app, "facility_admin", "dunpin").get("/audit").get_data(as_text=True)
    assert "<dt>方式</dt><dd>staff</dd>" in page and "<dt>count</dt><dd>0</dd>" in page
    assert "<dt>urgent</dt><dd>否</dd>" in page
    assert "<dt>備註</dt>" not in page and "<dt>reasons</dt>" not in page
