"""The institution contact book (機關聯絡簿): a facility's own posts to the families it serves.

A facility admin writes a post, the facility's supervisor approves it (or sends it back with a
reason), and only then is it published. Families see the published posts of every facility where
their contact book is active, browsed by publishing month (發佈年月); staff see their own
facility's. Who sees what is decided here, in one place, for pages and files alike.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.db import Base, UTCDateTime

from .applications import ContactBook
from .roster import TAIPEI, Inmate

TITLE_MAX = 100
BODY_MAX = 5000
STAFF_ROLES = frozenset({"reviewer", "supervisor", "facility_admin"})


class InstitutionPostStatus:
    PENDING = "pending"  # waiting for the supervisor
    REJECTED = "rejected"  # back with the admin, to correct
    PUBLISHED = "published"


class InstitutionPost(Base):
    """One facility post, from the admin's draft to its publication."""

    __tablename__ = "institution_post"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # The photo as re-encoded (EXIF stripped, reduced); the attachment as sent (checked by content).
    photo_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"), index=True)
    attachment_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # 發佈年月 in Taipei time, "2026-11": the month a family browses it under.
    published_month: Mapped[str | None] = mapped_column(String(7), index=True)
    instance_id: Mapped[int | None] = mapped_column(Integer, index=True)


def month_of(moment: datetime) -> str:
    """The publishing month of a moment, as Taiwan's calendar sees it: '2026-11'."""
    return moment.astimezone(TAIPEI).strftime("%Y-%m")


def family_facility_ids(session: Session, account_id: int) -> list[int]:
    """The facilities where this family holds an active contact book."""
    return list(
        session.scalars(
            select(Inmate.facility_id)
            .join(ContactBook, ContactBook.inmate_id == Inmate.id)
            .where(ContactBook.account_id == account_id, ContactBook.status == "active")
            .distinct()
        )
    )


def readable_facility_ids(session: Session, account_id: int | None, roles, facility_id) -> list:
    """The facilities whose published posts this person may read (none for anyone else)."""
    if "family" in roles and account_id is not None:
        return family_facility_ids(session, account_id)
    if roles & STAFF_ROLES and facility_id is not None:
        return [facility_id]
    return []


def _published(facility_ids):
    return select(InstitutionPost).where(
        InstitutionPost.status == InstitutionPostStatus.PUBLISHED,
        InstitutionPost.facility_id.in_(facility_ids),
    )


def published_months(session: Session, facility_ids) -> list[str]:
    """The months with published posts of these facilities, newest first."""
    if not facility_ids:
        return []
    query = _published(facility_ids).with_only_columns(InstitutionPost.published_month).distinct()
    return sorted(session.scalars(query), reverse=True)


def published_in(session: Session, facility_ids, month: str) -> list[InstitutionPost]:
    """The published posts of these facilities in one month, newest first."""
    if not facility_ids:
        return []
    query = _published(facility_ids).where(InstitutionPost.published_month == month)
    order = (InstitutionPost.published_at.desc(), InstitutionPost.id.desc())
    return list(session.scalars(query.order_by(*order)))


def readable_post(session: Session, post_id: int, facility_ids) -> InstitutionPost | None:
    """The published post with this id if it belongs to one of these facilities, else None."""
    post = session.get(InstitutionPost, post_id)
    if post is None or post.status != InstitutionPostStatus.PUBLISHED:
        return None
    return post if post.facility_id in facility_ids else None


def posts_of_facility(session: Session, facility_id: int) -> list[InstitutionPost]:
    """Every post of a facility in any state, newest first (the admin's list)."""
    return list(
        session.scalars(
            select(InstitutionPost)
            .where(InstitutionPost.facility_id == facility_id)
            .order_by(InstitutionPost.submitted_at.desc(), InstitutionPost.id.desc())
        )
    )
