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
from ..ids import MAX_ID
from ..main.navigation import add_nav_item
from ..paging import page_arg
from . import bp
from .view import action_label, actor_names, distinct_values, object_label, staff_choices

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
    return int(text) if len(text) <= len(str(MAX_ID)) and int(text) <= MAX_ID else 0


def query_from_request() -> AuditQuery:
    """The filters asked for, limited to what this reader may see."""
    args = request.args
    actor = args.get("actor", "").strip()
    return AuditQuery(
        facility_id=current_user.facility_id,  # an auditor without a facility reads them all
        action=args.get("action", "").strip(),
        actor_account_id=_account_id(actor),
        object_type=args.get("object_type", "").strip(),
        object_id=args.get("object_id", "").strip(),
        since=_day(args.get("from", "").strip()),
        until=_day(args.get("to", "").strip(), next_day=True),
        page=page_arg(args),
    )


def date_errors() -> dict[str, str]:
    """A message for each date field that holds something other than a day (it is not applied)."""
    return {
        name: _("Enter a date as YYYY-MM-DD, e.g. 2026-12-05.")
        for name in ("from", "to")
        if request.args.get(name, "").strip() and _date(request.args[name].strip()) is None
    }


@bp.route("/audit")
@staff_only(*READERS)
def audit_log():
    """Who did what, when, with the fields before and after."""
    session = get_db().session
    q = query_from_request()
    events, total = search(session, q)
    facilities = {f.id: facility_name(f) for f in session.scalars(select(Facility))}
    args = request.args
    return render_template(
        "audit/index.html",
        events=events,
        total=total,
        q=q,
        args=args,
        errors=date_errors(),
        pages=max(1, -(-total // PAGE_SIZE)),
        facilities=facilities,
        actors=actor_names(session, events),
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
