"""Delivery of approved posts: what waits at a facility, the sheet of a post, and handing it over.

Handing over completes the post's open `deliver` task through the engine, so the BPMN runs
`mark_delivered` (已送達, the family's e-mail) whoever records it: staff on the delivery page or
the facility's tablet/printing system through the API.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.actors import Actor
from workflows.models import HumanTask, InstanceStatus, TaskStatus

from .accounts import Account, Facility
from .applications import ContactBook, book_relationship
from .delivery_sheets import Sheet
from .files import StoredFile, read_or_none
from .posts import Post, PostStatus
from .roster import TAIPEI, Inmate

DELIVER_TASK = "deliver"


class Handover:
    """What recording a delivery did."""

    DELIVERED = "delivered"
    ALREADY = "already_delivered"  # recorded before: nothing done again
    NOT_READY = "not_ready"  # approved, but its process has no open delivery task (an incident)
    INCIDENT = "incident"  # recorded, but the step after it failed: staff see the incident


def awaiting_delivery(session: Session, facility_id: int) -> list[tuple[Post, Inmate]]:
    """The facility's approved, undelivered posts with their persons, oldest approval first."""
    rows = session.execute(
        select(Post, Inmate)
        .join(Inmate, Inmate.id == Post.inmate_id)
        .where(
            Post.facility_id == facility_id,
            Post.status == PostStatus.APPROVED,
            Post.delivered_at.is_(None),
        )
        .order_by(Post.decided_at, Post.id)
    ).all()
    return [(post, inmate) for post, inmate in rows]


def recently_delivered(
    session: Session, facility_id: int, since: datetime
) -> list[tuple[Post, Inmate]]:
    """The facility's posts delivered at or after `since`, with their persons, newest first:
    the history staff check after recording a delivery."""
    rows = session.execute(
        select(Post, Inmate)
        .join(Inmate, Inmate.id == Post.inmate_id)
        .where(Post.facility_id == facility_id, Post.delivered_at >= since)
        .order_by(Post.delivered_at.desc(), Post.id.desc())
    ).all()
    return [(post, inmate) for post, inmate in rows]


def approved_post(session: Session, facility_id: int, post_id: int) -> Post | None:
    """An approved post of this facility (delivered or not), or None: callers answer 404."""
    post = session.get(Post, post_id)
    if post is None or post.facility_id != facility_id or post.status != PostStatus.APPROVED:
        return None
    return post


def delivery_task(session: Session, post: Post) -> HumanTask | None:
    """The post's open `deliver` task, if its process is waiting for the delivery."""
    if post.instance_id is None:
        return None
    return session.scalar(
        select(HumanTask).where(
            HumanTask.instance_id == post.instance_id,
            HumanTask.bpmn_id == DELIVER_TASK,
            HumanTask.status == TaskStatus.OPEN,
        )
    )


def hand_over(engine, session: Session, post: Post, actor: Actor, delivery: dict) -> str:
    """Record the delivery by completing the `deliver` task; a `Handover` value.

    A delivery already recorded is not recorded again. Two at once race on the instance's
    optimistic lock: the loser gets `TaskAlreadyCompleted` and its caller rolls back.
    """
    if post.delivered_at is not None:
        return Handover.ALREADY
    task = delivery_task(session, post)
    if task is None:
        return Handover.NOT_READY
    instance = engine.complete(session, task.task_guid, actor, {"delivery": delivery})
    if instance.status == InstanceStatus.INCIDENT:
        return Handover.INCIDENT
    return Handover.DELIVERED


def sheet_for(session: Session, post: Post, inmate: Inmate, storage_dir: Path) -> Sheet:
    """The delivery sheet of a post: the facility's name, the person, the date, the sender and
    their relationship (from the contact book's application), text and photo."""
    facility = session.get(Facility, post.facility_id)
    sender = session.get(Account, post.account_id)
    book = session.get(ContactBook, post.book_id)
    photo = session.get(StoredFile, post.photo_file_id) if post.photo_file_id else None
    attachment = (
        session.get(StoredFile, post.attachment_file_id) if post.attachment_file_id else None
    )
    return Sheet(
        facility_name=facility.name_zh,
        call_number=inmate.call_number,
        person_name=inmate.name,
        date=post.submitted_at.astimezone(TAIPEI).strftime("%Y-%m-%d"),
        sender_name=sender.name,
        relationship=book_relationship(session, book),
        title=post.title,
        body=post.body,
        photo=read_or_none(photo, storage_dir),
        attachment_name=attachment.download_name if attachment is not None else None,
    )
