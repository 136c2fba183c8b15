"""Special projects (專案申請): a supervisor lifts a family's posting limits for a period.

Dunpin's instructions let the facility head approve projects "not bound by" the interval and the
text limit. A grant names the family, the facility, the period, what it lifts and why; it is kept
after it ends, as the record of the decision.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, Select, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.db import Base, UTCDateTime


class SpecialProject(Base):
    """An exception to the posting policy for one family at one facility."""

    __tablename__ = "special_project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    no_interval: Mapped[bool] = mapped_column(Boolean, default=True)
    max_chars: Mapped[int | None] = mapped_column(Integer)  # None: the policy's limit
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)
    granted_by: Mapped[int] = mapped_column(ForeignKey("account.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def project_in_force_query(account_id: int, facility_id: int, now: datetime) -> Select:
    """SELECT of the grant in force for this family at this facility now (the latest)."""
    return (
        select(SpecialProject)
        .where(
            SpecialProject.account_id == account_id,
            SpecialProject.facility_id == facility_id,
            SpecialProject.starts_at <= now,
            SpecialProject.ends_at > now,
            SpecialProject.revoked_at.is_(None),
        )
        .order_by(SpecialProject.granted_at.desc())
        .limit(1)
    )


def projects_of_facility(session: Session, facility_id: int) -> list[SpecialProject]:
    """Every grant of a facility, newest first."""
    return list(
        session.scalars(
            select(SpecialProject)
            .where(SpecialProject.facility_id == facility_id)
            .order_by(SpecialProject.granted_at.desc())
        )
    )
