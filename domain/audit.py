"""The audit log: every staff decision and admin change — who, when, what, before and after.

Append-only: nothing here updates or deletes a row, and triggers refuse UPDATE and DELETE
(migration 0006; on SQLite, DELETE since 0013: the test suite lifts that trigger while it
empties the tables, see `tests/conftest.py`).

Events name people by account id and role, never by name, e-mail or ID number, so the log
keeps no personal data beyond what identifies the actor; `before` and `after` hold the fields
that changed, as plain JSON, and a personal field (a person's name) is named there with its
value withheld (see `changes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.actors import Actor
from workflows.clock import clock
from workflows.db import Base, UTCDateTime

from .audit_catalog import check

PAGE_SIZE = 50
# What the log shows instead of the value of a personal field: that it was set or changed.
WITHHELD = "[withheld]"
# Changes made on the command line (provisioning, imports, deploys) are the operator's.
COMMAND_LINE = Actor(agent="command-line")


OBJECT_ID_LENGTH = 60  # a row id, a call number, a short version hash


class AuditEvent(Base):
    """One recorded decision or change."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(60))  # "account:12", "system", "api-token:3"
    actor_account_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_role: Mapped[str] = mapped_column(String(30), default="")
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"))
    action: Mapped[str] = mapped_column(String(60), index=True)  # "post.approve"
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(OBJECT_ID_LENGTH), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_audit_event_facility_at", "facility_id", "at"),
        Index("ix_audit_event_object", "object_type", "object_id"),
    )


def _plain(value: Any) -> Any:
    """A JSON-safe copy: dates as ISO strings, anything unknown as its text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(row: Any, fields: tuple[str, ...]) -> dict:
    """The named attributes of a row, JSON-safe: the `before` or `after` of a change."""
    return {name: _plain(getattr(row, name)) for name in fields}


def changes(
    before: dict | None, after: dict | None, personal: tuple[str, ...] = ()
) -> dict[str, dict | None]:
    """The `before` and `after` of a change for `record`: of an edit only the fields that changed,
    and the values of `personal` fields withheld (the field is still named, so the log says that
    a name was changed, not what it was)."""
    if before is not None and after is not None:
        changed = [name for name in after if before.get(name) != after[name]]
        before = {name: before.get(name) for name in changed}
        after = {name: after[name] for name in changed}

    def withhold(state: dict | None) -> dict | None:
        if state is None:
            return None
        return {
            k: WITHHELD if k in personal and v not in (None, "") else v for k, v in state.items()
        }

    return {"before": withhold(before), "after": withhold(after)}


def record(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: Any = "",
    *,
    facility_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Add one event to the log in the caller's transaction (it commits with the change).
    The action and object type must be in `domain.audit_catalog` (ValueError otherwise)."""
    check(action, object_type)
    object_id = str(object_id if object_id is not None else "")
    if len(object_id) > OBJECT_ID_LENGTH:  # SQLite would store it; PostgreSQL fails the change
        raise ValueError(f"audit object id longer than {OBJECT_ID_LENGTH}: {object_id[:20]}…")
    event = AuditEvent(
        at=clock.now(),
        actor=actor.label,
        actor_account_id=actor.account_id,
        actor_role=",".join(sorted(actor.roles)),
        facility_id=facility_id if facility_id is not None else actor.facility_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
    )
    session.add(event)
    return event


def latest_event(
    session: Session, action: str, object_type: str, object_id: Any
) -> AuditEvent | None:
    """The newest event of `action` on one object, or None.

    The log is the one record of a row that is gone (a deleted restriction) or of a person who
    left the facility, so a view asks it to tell a change already made (its form sent twice)
    from an id that was never the asker's.
    """
    return session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.object_type == object_type,
            AuditEvent.object_id == str(object_id),
            AuditEvent.action == action,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class AuditQuery:
    """What an audit page asks for; `facility_id` None means every facility (auditors)."""

    facility_id: int | None
    action: str = ""
    actor_account_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    since: datetime | None = None
    until: datetime | None = None
    page: int = 1


def search(session: Session, q: AuditQuery) -> tuple[list[AuditEvent], int]:
    """One page of matching events, newest first, and how many match in all."""
    query = select(AuditEvent)
    if q.facility_id is not None:
        query = query.where(AuditEvent.facility_id == q.facility_id)
    if q.action:
        query = query.where(AuditEvent.action.startswith(q.action, autoescape=True))
    if q.actor_account_id is not None:
        query = query.where(AuditEvent.actor_account_id == q.actor_account_id)
    if q.object_type:
        query = query.where(AuditEvent.object_type == q.object_type)
    if q.object_id:
        query = query.where(AuditEvent.object_id == q.object_id)
    if q.since is not None:
        query = query.where(AuditEvent.at >= q.since)
    if q.until is not None:
        query = query.where(AuditEvent.at < q.until)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((max(q.page, 1) - 1) * PAGE_SIZE)
    ).all()
    return list(rows), total


def record_step(
    action: str,
    object_type: str,
    object_id: Any,
    facility_id: int | None,
    after: dict | None = None,
    before: dict | None = None,
) -> None:
    """Record a decision taken inside a workflow step, as the step's actor (see `record`)."""
    from workflows.operations import context

    ctx = context()
    record(
        ctx.session,
        ctx.actor,
        action,
        object_type,
        object_id,
        facility_id=facility_id,
        before=before,
        after=after,
    )
