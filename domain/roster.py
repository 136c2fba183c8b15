"""The roster of persons in custody (收容人), as far as the service needs to know them.

A family finds a person by facility and call number (呼號) and sees only a masked name, so a
guessed call number reveals no one's full name. Restrictions (a court ban on visits and letters,
disciplinary punishment, isolation...) close the service while they are in force.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Select,
    String,
    UniqueConstraint,
    and_,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from workflows.clock import clock
from workflows.db import Base

from .accounts import Facility

MASK_CHAR = "〇"
TAIPEI = ZoneInfo("Asia/Taipei")
# Letters, digits and hyphens; the web form and the CSV import both hold call numbers to it.
CALL_NUMBER_PATTERN = r"[0-9A-Za-z-]{1,20}"

# The restrictions of DESIGN.md §3, by code; the web side holds their translated labels.
RESTRICTION_KINDS = (
    "court_ban",  # 院檢禁止接見通信 (Criminal Procedure Code art. 105)
    "discipline",  # 違規懲罰處分
    "isolation_investigation",  # 隔離調查
    "isolation_protection",  # 隔離保護
    "protection_room",  # 收容於保護室
    "medical_isolation",  # 因疾病隔離
)


def masked_name(name: str | None) -> str:
    """The name as families see it: first character kept, the rest hidden (李大明 → 李〇〇)."""
    name = (name or "").strip()
    return name[:1] + MASK_CHAR * (len(name) - 1) if name else ""


def local_today() -> date:
    """Today's date in Taiwan: restriction dates are calendar days there, not UTC days."""
    return clock.now().astimezone(TAIPEI).date()


class Inmate(Base):
    """A person in custody at one facility, known there by a call number."""

    __tablename__ = "inmate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    call_number: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    # Facility rules differ for juveniles (e.g. Yunlin: posts every 2 days instead of 10).
    juvenile: Mapped[bool] = mapped_column(Boolean, default=False)
    # Taichung admits applications only for persons with children under 18.
    children_under_18: Mapped[bool] = mapped_column(Boolean, default=False)

    restrictions: Mapped[list[Restriction]] = relationship(
        back_populates="inmate",
        cascade="all, delete-orphan",
        order_by="[Restriction.starts_on, Restriction.id]",
    )

    __table_args__ = (UniqueConstraint("facility_id", "call_number"),)

    @property
    def display_label(self) -> str:
        """Call number and masked name, as the application form confirms it: '0609 李〇〇'."""
        return f"{self.call_number} {masked_name(self.name)}"

    @property
    def subject_key(self) -> str:
        """The key process instances about this person carry ("inmate:12")."""
        return f"inmate:{self.id}"


class Restriction(Base):
    """A period in which the person may not receive the service; `ends_on` is the last day in force.

    An empty `ends_on` means until further notice (e.g. a court ban without an end date).
    """

    __tablename__ = "restriction"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inmate_id: Mapped[int] = mapped_column(ForeignKey("inmate.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")

    inmate: Mapped[Inmate] = relationship(back_populates="restrictions")

    __table_args__ = (
        CheckConstraint(
            f"kind IN ({', '.join(repr(kind) for kind in RESTRICTION_KINDS)})", name="kind"
        ),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period"),
    )

    def in_force(self, on: date) -> bool:
        """Whether the restriction applies on this calendar day (both end days included)."""
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


def find_inmate(session: Session, facility_code: str, call_number: str) -> Inmate | None:
    """The person with this call number at this facility; None for anyone elsewhere."""
    return session.scalar(
        select(Inmate)
        .join(Facility, Facility.id == Inmate.facility_id)
        .where(Facility.code == facility_code, Inmate.call_number == (call_number or "").strip())
    )


def _in_force(on: date):
    """SQL condition: the restriction applies on `on` (Restriction.in_force, in the database)."""
    return and_(
        Restriction.starts_on <= on,
        or_(Restriction.ends_on.is_(None), Restriction.ends_on >= on),
    )


def active_restriction_query(inmate_id: int, on: date) -> Select:
    """SELECT of the restriction in force for the person on `on` (the earliest started)."""
    return (
        select(Restriction)
        .where(Restriction.inmate_id == inmate_id, _in_force(on))
        .order_by(Restriction.starts_on, Restriction.id)
        .limit(1)
    )


def active_restriction(session: Session, inmate_id: int, on: date) -> Restriction | None:
    """The restriction in force for the person on `on` (the earliest started), if any."""
    return session.scalar(active_restriction_query(inmate_id, on))


def restrictions_lift_on(session: Session, inmate_id: int, on: date) -> date | None:
    """The first day from `on` that no restriction covers (restrictions that follow each other
    close the service together); None while one without an end date is in force."""
    rows = session.scalars(
        select(Restriction)
        .where(
            Restriction.inmate_id == inmate_id,
            or_(Restriction.ends_on.is_(None), Restriction.ends_on >= on),
        )
        .order_by(Restriction.starts_on, Restriction.id)
    )
    day = on
    for row in rows:
        if row.starts_on > day:
            break
        if row.ends_on is None:
            return None
        day = max(day, row.ends_on + timedelta(days=1))
    return day


def active_restrictions(
    session: Session, inmate_ids: list[int], on: date
) -> dict[int, Restriction]:
    """The restriction in force per person on `on`, for a whole page of the roster at once."""
    rows = session.scalars(
        select(Restriction)
        .where(Restriction.inmate_id.in_(inmate_ids), _in_force(on))
        .order_by(Restriction.starts_on.desc(), Restriction.id.desc())
    )
    return {row.inmate_id: row for row in rows}  # the earliest started is written last
