"""The audit log page: filters in the query string, 50 events a page, newest first."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

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
from ..main.navigation import add_nav_item
from . import bp
from .view import action_label, actor_names, distinct_values, object_label, staff_choices

READERS = ("facility_admin", "auditor")
# A deeper page is a typo or a probe: its offset would overflow the database's integer.
MAX_PAGE = 10_000


def _day(text: str | None, *, next_day: bool = False) -> datetime | None:
    """Midnight in Taiwan of a YYYY-MM-DD day (or of the day after), None if not a date."""
    try:
        day = datetime.strptime(text or "", "%Y-%m-%d").date()
    except ValueError:
        return None
    if not date.min.year < day.year < date.max.year:  # the day after, or UTC, leaves the range
        return None
    return datetime.combine(day + timedelta(days=1 if next_day else 0), time(0), tzinfo=TAIPEI)


def query_from_request() -> AuditQuery:
    """The filters asked for, limited to what this reader may see."""
    args = request.args
    actor = args.get("actor", "").strip()
    return AuditQuery(
        facility_id=current_user.facility_id,  # an auditor without a facility reads them all
        action=args.get("action", "").strip(),
        actor_account_id=int(actor) if _is_account_id(actor) else None,
        object_type=args.get("object_type", "").strip(),
        object_id=args.get("object_id", "").strip(),
        since=_day(args.get("from", "").strip()),
        until=_day(args.get("to", "").strip(), next_day=True),
        page=min(max(1, args.get("page", 1, type=int)), MAX_PAGE),
    )


def _is_account_id(text: str) -> bool:
    """ASCII digits of an id the database can hold ("²" is a digit to str.isdigit, not to int)."""
    return text.isascii() and text.isdigit() and len(text) < 10


def date_errors() -> dict[str, str]:
    """A message for each date field that holds something other than a day (it is not applied)."""
    return {
        name: _("Enter a date as YYYY-MM-DD, e.g. 2026-12-05.")
        for name in ("from", "to")
        if request.args.get(name, "").strip() and _day(request.args[name].strip()) is None
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
    add_nav_item(state.app, "audit.audit_log", _l("Audit log"), visible=_reads_audit)
