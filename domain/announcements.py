"""Announcements (訊息及流程公告): public notices, national or of one facility, shown for a window.

A notice is current from its publish time until its expiry (publish ≤ now < expiry); the home page
shows the current ones to everyone, visitors included. The process owner writes national notices
(no facility), a facility admin those of their own facility.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.clock import clock
from workflows.db import Base, UTCDateTime

TITLE_MAX = 100
BODY_MAX = 5000
EDITOR_ROLES = frozenset({"facility_admin", "process_owner"})


class Announcement(Base):
    """One notice: national when `facility_id` is None."""

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    publish_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    author_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def is_current(self, now: datetime) -> bool:
        return self.publish_at <= now < self.expires_at


def current_announcements(session: Session, limit: int | None = None) -> list[Announcement]:
    """The notices in their window now, newest first."""
    now = clock.now()
    query = (
        select(Announcement)
        .where(Announcement.publish_at <= now, Announcement.expires_at > now)
        .order_by(Announcement.publish_at.desc(), Announcement.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def current_announcement(session: Session, announcement_id: int) -> Announcement | None:
    """The notice with this id if it is current (a past or future one is not public)."""
    row = session.get(Announcement, announcement_id)
    return row if row is not None and row.is_current(clock.now()) else None


def editor_scope(role: str, facility_id: int | None) -> tuple[bool, int | None]:
    """(may edit at all, the facility whose notices they edit: None for national ones)."""
    if role == "process_owner":
        return True, None
    if role == "facility_admin" and facility_id is not None:
        return True, facility_id
    return False, None


def editable_by(session: Session, role: str, facility_id: int | None) -> list[Announcement]:
    """The notices this editor keeps, newest first (every state: scheduled, current, expired)."""
    allowed, scope = editor_scope(role, facility_id)
    if not allowed:
        return []
    where = (
        Announcement.facility_id.is_(None) if scope is None else (Announcement.facility_id == scope)
    )
    query = select(Announcement).where(where)
    return list(
        session.scalars(query.order_by(Announcement.publish_at.desc(), Announcement.id.desc()))
    )


def editable(session: Session, announcement_id: int, role: str, facility_id) -> Announcement | None:
    """The notice if this editor keeps it, else None (the page answers 404)."""
    allowed, scope = editor_scope(role, facility_id)
    row = session.get(Announcement, announcement_id)
    if not allowed or row is None or row.facility_id != scope:
        return None
    return row
