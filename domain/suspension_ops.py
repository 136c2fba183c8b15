"""The operations the suspension BPMN calls: suspend a family at a facility, and lift it.

The period comes from facility_policy.dmn (`suspension_period`, e.g. "P1M"); the end is
computed here, by the calendar in Taiwan's time, so the date the family is told is the date the
timer fires.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from sqlalchemy.exc import IntegrityError

from workflows.operations import context, operation

from . import links
from .accounts import Account, Facility
from .audit import record_step
from .notice_render import Both
from .notify import notify_account
from .roster import TAIPEI, masked_name
from .suspensions import Suspension, active_key

POSTS_LINK = "/posts"


def period_end(start: datetime, period: str) -> datetime:
    """`start` plus an ISO 8601 period (P1M, P30D, P2W, PT12H), months by the calendar.

    SpiffWorkflow's own month arithmetic adds the length of the starting month (Jan 31 + P1M =
    Mar 3); a family told "one month" expects the same day next month (or that month's last).
    """
    parsed = TimerEventDefinition.parse_iso_duration(period)
    months = int(parsed.get("years", 0) * 12 + parsed.get("months", 0))
    local = start.astimezone(TAIPEI)
    years, month0 = divmod(local.month - 1 + months, 12)
    year = local.year + years
    day = min(local.day, calendar.monthrange(year, month0 + 1)[1])
    moved = local.replace(year=year, month=month0 + 1, day=day)
    rest = timedelta(
        weeks=parsed.get("weeks", 0),
        days=parsed.get("days", 0),
        hours=parsed.get("hours", 0),
        minutes=parsed.get("minutes", 0),
        seconds=parsed.get("seconds", 0),
    )
    return (moved + rest).astimezone(start.tzinfo)


def _local_text(moment: datetime) -> str:
    return moment.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M")


@operation
def suspend_family(
    account_id: int, facility_id: int, rejections: int, suspension_period: str
) -> dict:
    """Suspend the family's posting at the facility; {'started', 'suspension_id', 'ends_at'}.

    A second request while one is in force starts nothing (the unique active key refuses it).
    """
    ctx = context()
    ends_at = period_end(ctx.now, suspension_period)
    row = Suspension(
        account_id=account_id,
        facility_id=facility_id,
        reason=f"rejections:{rejections}",
        starts_at=ctx.now,
        ends_at=ends_at,
        instance_id=ctx.instance.id,
        active_key=active_key(account_id, facility_id),
    )
    try:
        with ctx.session.begin_nested():
            ctx.session.add(row)
    except IntegrityError:
        return {"started": False, "suspension_id": None, "ends_at": None}
    ctx.set_owner(account_id=account_id, facility_id=facility_id)
    ctx.correlate(suspension_id=row.id)
    after = {"account_id": account_id, "rejections": rejections, "ends_at": ends_at}
    record_step("suspension.start", "suspension", row.id, facility_id, after=after)
    account = ctx.session.get(Account, account_id)
    facility = ctx.session.get(Facility, facility_id)
    # Masked as the person inside is on other instances: the label is shown, and kept, widely.
    ctx.set_subject(f"account:{account_id}", masked_name(account.name))
    _notify(
        account,
        facility,
        "suspension_started",
        rejections=str(rejections),
        until=_local_text(ends_at),
    )
    return {"started": True, "suspension_id": row.id, "ends_at": ends_at.isoformat()}


@operation
def lift_suspension(suspension_id: int, lift: dict | None = None) -> None:
    """End the suspension (its period is over, or staff lifted it early with a reason)."""
    ctx = context()
    row = ctx.session.get(Suspension, suspension_id)
    if row.active_key is None:
        return
    lift = lift or {}
    row.lifted_at, row.active_key = ctx.now, None
    row.lifted_by = lift.get("by", "timer")
    row.lift_reason = lift.get("reason", "")
    after = {"lifted_by": row.lifted_by, "reason": row.lift_reason}
    record_step("suspension.lift", "suspension", row.id, row.facility_id, after=after)
    account = ctx.session.get(Account, row.account_id)
    facility = ctx.session.get(Facility, row.facility_id)
    reason = row.lift_reason
    why = Both(f"（{reason}）", f" ({reason})") if reason else ""
    _notify(account, facility, "suspension_lifted", reason=why)


def _notify(account: Account, facility: Facility, kind: str, **extra: str | Both) -> None:
    """Tell the family, in the words of the facility's template for `kind`."""
    values = {
        "name": account.name,
        "facility": Both(facility.name_zh, facility.name_en),
        "link": links.url(POSTS_LINK),
        **extra,
    }
    notify_account(context().session, account, kind, values, facility_id=facility.id)
