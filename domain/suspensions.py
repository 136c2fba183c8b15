"""Suspensions (停權): a family may not post at a facility for a period after too many rejections.

At most one suspension per family and facility is in force: `active_key` holds
"<account>:<facility>" while it is, and NULL afterwards, so two reviewers rejecting at the same
moment start one suspension, not two (a unique column, not check-then-insert). Rejections are
counted from the end of the last suspension, which is how the count resets when it is lifted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Select, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.db import Base, UTCDateTime


class Suspension(Base):
    """One suspension of a family's posting right at one facility."""

    __tablename__ = "suspension"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lifted_by: Mapped[str] = mapped_column(String(40), default="")
    lift_reason: Mapped[str] = mapped_column(Text, default="")
    instance_id: Mapped[int | None] = mapped_column(Integer)
    active_key: Mapped[str | None] = mapped_column(String(40), unique=True)


def active_key(account_id: int, facility_id: int) -> str:
    return f"{account_id}:{facility_id}"


def active_suspension_query(key) -> Select:
    """SELECT of the suspension in force under `key` (see active_key; a value or a bindparam)."""
    return select(Suspension).where(Suspension.active_key == key)


def active_suspension(session: Session, account_id: int, facility_id: int) -> Suspension | None:
    """The suspension in force for this family at this facility, if any."""
    return session.scalar(active_suspension_query(active_key(account_id, facility_id)))


def last_lifted_at(session: Session, account_id: int, facility_id: int) -> datetime | None:
    """When the family's last suspension at this facility ended: rejections count from there."""
    return session.scalar(
        select(Suspension.lifted_at)
        .where(
            Suspension.account_id == account_id,
            Suspension.facility_id == facility_id,
            Suspension.lifted_at.is_not(None),
        )
        .order_by(Suspension.lifted_at.desc())
        .limit(1)
    )


def suspensions_of_facility(session: Session, facility_id: int) -> list[Suspension]:
    """The suspensions in force at a facility, ending soonest first."""
    return list(
        session.scalars(
            select(Suspension)
            .where(Suspension.facility_id == facility_id, Suspension.active_key.is_not(None))
            .order_by(Suspension.ends_at)
        )
    )
