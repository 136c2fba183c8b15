"""Family posts (發佈家庭聯絡簿): one message with one photo or PDF to a person in custody.

A post holds its place in the posting interval from the moment it is filed, so "one post per N
days" holds under concurrent submissions: filing locks the contact book row first (see
`post_ops.file_post`), and only one of twenty simultaneous requests finds the interval free.
What counts for the interval and for the rejection count is decided here, in one place.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import regex
from sqlalchemy import ForeignKey, Integer, Select, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.db import Base, UTCDateTime

TITLE_MAX = 50  # characters as a person counts them
# What the column holds, in code points (PostgreSQL's varchar counts these): a family emoji is
# one character to a person and seven code points, so the form checks both.
TITLE_STORED_MAX = 200
# The job kind that prepares a filed post's photo (see tasks.posts); the post row is its outbox.
POST_PHOTO_JOB = "post_photo"
# A post's photo_error when its photo job kept failing (not a refused photo): the family is asked
# to choose the photo again, with the message of a file that cannot be opened.
PHOTO_JOB_FAILED = "failed"
GRAPHEME = regex.compile(r"\X")


def character_count(text: str) -> int:
    """Characters as a person sees them: an emoji or a letter with its marks counts once.

    The browser's counter uses Intl.Segmenter, which splits text the same way (UAX #29).
    """
    return len(GRAPHEME.findall(text or ""))


class PostStatus:
    PROCESSING = "processing"  # filed; its photo is being prepared, not yet in review
    PENDING = "pending"  # 待審核
    APPROVED = "approved"  # 審核通過 (delivered once `delivered_at` is set: 已送達)
    REJECTED = "rejected"  # 審核未通過
    PHOTO_REFUSED = "photo_refused"  # the photo could not be used; back with the family
    # Never delivered: still open when its family deleted the account, or back with the family
    # (refused photo) and not allowed to be filed again (e.g. a newer post holds the interval).
    WITHDRAWN = "withdrawn"

    # Statuses that hold the posting interval (a rejected post only if the policy says so).
    HOLDING = (PROCESSING, PENDING, APPROVED)


class Post(Base):
    """One family post, from filing to delivery."""

    __tablename__ = "post"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("contact_book.id"), index=True)
    inmate_id: Mapped[int] = mapped_column(ForeignKey("inmate.id"), index=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_STORED_MAX))
    body: Mapped[str] = mapped_column(Text)
    # The family's upload as sent (a photo or a PDF), then what the photo job made of it.
    upload_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"), index=True)
    photo_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"), index=True)
    thumbnail_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"), index=True)
    attachment_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id"), index=True)
    photo_error: Mapped[str] = mapped_column(String(30), default="")
    # The facility's photo rules when the post was filed (from DMN), for the photo job.
    photo_long_edge: Mapped[int] = mapped_column(Integer, default=2048)
    photo_max_bytes: Mapped[int] = mapped_column(Integer, default=10 * 1024 * 1024)
    # When the photo job was last handed to the queue: the sweep re-sends stale ones only.
    job_touched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")  # the reviewer's own words
    # A reason template, as its code: each reader sees it in their own language.
    reason_code: Mapped[str] = mapped_column(String(40), default="", server_default="")
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_via: Mapped[str] = mapped_column(String(20), default="")
    # The staff account that recorded the delivery; None when the facility's feed did (its
    # `delivered_via` says so) and for posts delivered before this was kept.
    delivered_by: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    instance_id: Mapped[int | None] = mapped_column(Integer, index=True)

    @property
    def delivered(self) -> bool:
        return self.delivered_at is not None


def holding_statuses(rejected_uses_interval: bool) -> tuple[str, ...]:
    """The statuses of posts that use up the interval under this policy."""
    if rejected_uses_interval:
        return (*PostStatus.HOLDING, PostStatus.REJECTED)
    return PostStatus.HOLDING


def last_counted_post_query(
    book_id: int, rejected_uses_interval: bool, exclude: int | None = None
) -> Select:
    """SELECT of the newest post of this book that counts for the interval (`exclude`: the
    one being refiled)."""
    query = select(Post).where(
        Post.book_id == book_id, Post.status.in_(holding_statuses(rejected_uses_interval))
    )
    if exclude is not None:
        query = query.where(Post.id != exclude)
    return query.order_by(Post.submitted_at.desc(), Post.id.desc()).limit(1)


def allowed_after(last_post_at: datetime | None, interval_days: int) -> datetime | None:
    """When the interval after the last counted post ends; None when there is nothing to wait."""
    if last_post_at is None or interval_days <= 0:
        return None
    return last_post_at + timedelta(days=interval_days)


def rejections_since(session: Session, account_id: int, facility_id: int, since) -> int:
    """Rejected posts of a family at a facility decided after `since` (None: ever)."""
    query = select(func.count(Post.id)).where(
        Post.account_id == account_id,
        Post.facility_id == facility_id,
        Post.status == PostStatus.REJECTED,
    )
    if since is not None:
        query = query.where(Post.decided_at > since)
    return session.scalar(query) or 0


def posts_of(session: Session, account_id: int, statuses: tuple[str, ...]) -> list[Post]:
    """A family's posts in these statuses, newest first."""
    return list(
        session.scalars(
            select(Post)
            .where(Post.account_id == account_id, Post.status.in_(statuses))
            .order_by(Post.submitted_at.desc(), Post.id.desc())
        )
    )


def stale_photo_jobs(session: Session, before: datetime, limit: int = 100) -> list[Post]:
    """Posts still waiting for their photo job, last handed to the queue before `before`."""
    return list(
        session.scalars(
            select(Post)
            .where(Post.status == PostStatus.PROCESSING, Post.job_touched_at < before)
            .order_by(Post.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
