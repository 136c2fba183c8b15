"""The audit log page: filters in the query string, 50 events a page, newest first."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from domain.accounts import Facility
from domain.audit import PAGE_SIZE, AuditEvent, AuditQuery, search
from domain.roster import TAIPEI

from ..access import staff_only
from ..extensions import get_db
from ..i18n import facility_name
from ..ids import id_arg
from ..main.navigation import add_nav_item
from ..paging import page_arg
from . import bp
from .fields import shown_fields
from .view import (
    action_label,
    actor_label,
    actor_names,
    distinct_values,
    object_label,
    staff_choices,
)

READERS = ("facility_admin", "auditor")


def _date(text: str | None) -> date | None:
    """The YYYY-MM-DD day typed, None if it is not one."""
    try:
        return datetime.strptime(text or "", "%Y-%m-%d").date()
    except ValueError:
        return None


def _day(text: str | None, *, next_day: bool = False) -> datetime | None:
    """Midnight in Taiwan of a YYYY-MM-DD day (or of the day after), None if not a date.

    A day at the calendar's ends (0001-01-01 has no UTC moment, 9999-12-31 no next day) is
    no bound at all: nothing was logged before or after it.
    """
    day = _date(text)
    if day is None:
        return None
    try:
        moment = datetime.combine(day + timedelta(days=1 if next_day else 0), time(0), TAIPEI)
        moment.astimezone(UTC)  # the database keeps UTC
    except OverflowError:
        return None
    return moment


def _account_id(text: str) -> int | None:
    """The account id typed in the actor filter; None (no filter) if it is not a number.

    A number beyond the 32-bit id column would fail the whole query on PostgreSQL; no account
    has it, so it becomes 0, which no account has either: the filter matches no event.
    """
    if not (text.isascii() and text.isdigit()):
        return None
    return id_arg(text) or 0


def _facility_id(text: str, facilities: dict[int, str]) -> int | None:
    """The facility chosen in the filter; None (every facility) if it is not one of them."""
    facility_id = id_arg(text)
    return facility_id if facility_id in facilities else None


def date_range() -> tuple[datetime | None, datetime | None, dict[str, str]]:
    """The from and until moments asked for, and a message for each date field that is not
    applied: one that holds something other than a day, or a start after the end (neither
    bound is then applied: the page says why, rather than list no event)."""
    texts = {name: request.args.get(name, "").strip() for name in ("from", "to")}
    errors = {
        name: _("Enter a date as YYYY-MM-DD, e.g. 2026-12-05.")
        for name, text in texts.items()
        if text and _date(text) is None
    }
    start, end = _date(texts["from"]), _date(texts["to"])
    if start is not None and end is not None and start > end:
        errors["from"] = _("The start date is after the end date.")
        return None, None, errors
    return _day(texts["from"]), _day(texts["to"], next_day=True), errors


def query_from_request(facilities: dict[int, str]) -> tuple[AuditQuery, dict[str, str]]:
    """The filters asked for, limited to what this reader may see, and the date errors.

    A reader of one facility reads it only, whatever the query string says; an auditor of
    every facility may choose one of them.
    """
    args = request.args
    actor = args.get("actor", "").strip()
    facility_id = current_user.facility_id
    if facility_id is None:
        facility_id = _facility_id(args.get("facility", "").strip(), facilities)
    since, until, errors = date_range()
    query = AuditQuery(
        facility_id=facility_id,
        action=args.get("action", "").strip(),
        actor_account_id=_account_id(actor),
        object_type=args.get("object_type", "").strip(),
        object_id=args.get("object_id", "").strip(),
        since=since,
        until=until,
        page=page_arg(args),
    )
    return query, errors


@bp.route("/audit")
@staff_only(*READERS)
def audit_log():
    """Who did what, when, with the fields before and after."""
    session = get_db().session
    # Every facility's name, once a page: the facility column, the fields and the filter.
    rows = session.scalars(select(Facility).order_by(Facility.id))
    facilities = {f.id: facility_name(f) for f in rows}
    q, errors = query_from_request(facilities)
    events, total = search(session, q)
    # Only a reader of every facility chooses one; the others read their own.
    everyone = current_user.facility_id is None
    choices = [(str(i), name) for i, name in facilities.items()] if everyone else None
    args = request.args
    return render_template(
        "audit/index.html",
        events=events,
        total=total,
        q=q,
        args=args,
        errors=errors,
        pages=max(1, -(-total // PAGE_SIZE)),
        facilities=facilities,
        facility_choices=choices,
        actors=actor_names(session, events),
        actor_label=actor_label,
        shown_fields=shown_fields,
        actions=distinct_values(session, AuditEvent.action, q.facility_id, q.action, action_label),
        object_types=distinct_values(
            session, AuditEvent.object_type, q.facility_id, q.object_type, object_label
        ),
        action_label=action_label,
        object_label=object_label,
        staff=staff_choices(session, q.facility_id, args.get("actor", "").strip()),
    )


def _reads_audit(user) -> bool:
    return user.is_authenticated and user.role in READERS


@bp.record_once
def _add_nav(state) -> None:
    add_nav_item(
        state.app, "audit.audit_log", _l("Audit log"), visible=_reads_audit, secondary=True
    )
