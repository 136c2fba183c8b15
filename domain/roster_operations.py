"""Changes a facility admin makes to the roster beyond plain edits.

Moving a person to another facility (their open work follows them) and lifting a restriction.
Each function flushes, never commits: the request commits once.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from .accounts import Facility
from .roster import Inmate, Restriction

if TYPE_CHECKING:
    from workflows import WorkflowEngine


class TransferError(ValueError):
    """A transfer that cannot be made; `reason` is one of the codes below, for the UI to word."""

    UNKNOWN_FACILITY = "unknown_facility"
    SAME_FACILITY = "same_facility"
    CALL_NUMBER_TAKEN = "call_number_taken"

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def transfer_inmate(
    session: Session, inmate: Inmate, to_facility_id: int, engine: WorkflowEngine
) -> int:
    """Move a person to another facility with their open work; return the instances moved.

    Contact books point at the person, not the facility, so they stay; open tasks (a pending
    application, a post under review or awaiting delivery) go to the new facility's inbox, and
    the posts of those tasks with them, so their files are the new facility's staff's to see.
    """
    target = session.get(Facility, to_facility_id)
    if target is None:
        raise TransferError(TransferError.UNKNOWN_FACILITY, f"no facility with id {to_facility_id}")
    if target.id == inmate.facility_id:
        raise TransferError(TransferError.SAME_FACILITY, f"{inmate.call_number} is already there")
    taken = session.scalar(
        select(Inmate.id).where(
            Inmate.facility_id == target.id, Inmate.call_number == inmate.call_number
        )
    )
    if taken is not None:
        raise TransferError(
            TransferError.CALL_NUMBER_TAKEN,
            f"{target.code} already has a person with call number {inmate.call_number}",
        )
    inmate.facility_id = target.id
    _move_open_applications(session, inmate.id, target.id)
    _move_open_posts(session, inmate.id, target.id)
    session.flush()
    return engine.move_subject(session, inmate.subject_key, target.id)


def _move_open_applications(session: Session, inmate_id: int, facility_id: int) -> None:
    """Open applications (and the active book's) now belong to the new facility's reviewers."""
    from .applications import Application, ApplicationStatus

    session.execute(
        update(Application)
        .where(
            Application.inmate_id == inmate_id,
            Application.status.in_(
                [ApplicationStatus.PENDING, ApplicationStatus.REJECTED, ApplicationStatus.APPROVED]
            ),
        )
        .values(facility_id=facility_id)
    )


def _move_open_posts(session: Session, inmate_id: int, facility_id: int) -> None:
    """Posts not yet decided or delivered go with the person: their files and their place in
    the delivery list follow the open task to the new facility's staff."""
    from .posts import Post, PostStatus

    waiting = (PostStatus.PROCESSING, PostStatus.PENDING, PostStatus.PHOTO_REFUSED)
    session.execute(
        update(Post)
        .where(
            Post.inmate_id == inmate_id,
            or_(
                Post.status.in_(waiting),
                and_(Post.status == PostStatus.APPROVED, Post.delivered_at.is_(None)),
            ),
        )
        .values(facility_id=facility_id)
    )


class RestrictionNotStarted(ValueError):
    """Ending a restriction that has not begun before today: delete it instead."""


def end_restriction(restriction: Restriction, today: date) -> None:
    """Lift a restriction from today on: its last day in force becomes yesterday."""
    yesterday = today - timedelta(days=1)
    if restriction.starts_on > yesterday:
        raise RestrictionNotStarted(f"it starts on {restriction.starts_on}")
    if restriction.ends_on is None or restriction.ends_on > yesterday:
        restriction.ends_on = yesterday
