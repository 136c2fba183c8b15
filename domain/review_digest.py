"""The reviewers' daily digest: each reviewer's open and overdue review work, once a day.

Called from every tick (see webapp/ticking.py): the first tick after DIGEST_HOUR in Taiwan
queues the day's digests, and the dedupe key "digest:<account>:<YYYY-MM-DD>" makes every later
tick (and a second ticker) a no-op for that day. A reviewer with nothing open gets no mail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflows.models import HumanTask, TaskStatus

from . import links
from .accounts import Account, AccountStatus, Facility
from .notice_render import Both
from .notifications import Notification
from .notify import notify_account
from .roster import TAIPEI

DIGEST_HOUR = 7  # local time: the digest is waiting when the working day starts
LISTED = 10  # tasks named in the mail; the counts cover all of them


def digest_key(account_id: int, day: str) -> str:
    return f"digest:{account_id}:{day}"


def send_review_digests(session: Session, now: datetime) -> int:
    """Queue today's digest for every active reviewer with open work not yet sent one today;
    returns how many were queued."""
    local = now.astimezone(TAIPEI)
    if local.hour < DIGEST_HOUR:
        return 0
    day = local.date().isoformat()
    reviewers = session.scalars(
        select(Account).where(
            Account.role == "reviewer",
            Account.status == AccountStatus.ACTIVE,
            Account.facility_id.is_not(None),
        )
    ).all()
    keys = {digest_key(r.id, day): r for r in reviewers}
    if not keys:
        return 0
    sent = set(
        session.scalars(select(Notification.dedupe_key).where(Notification.dedupe_key.in_(keys)))
    )
    queued = 0
    for key, reviewer in keys.items():
        if key not in sent and _digest(session, reviewer, now, day, key):
            queued += 1
    return queued


def _open_reviews(facility_id: int):
    return select(HumanTask).where(
        HumanTask.status == TaskStatus.OPEN,
        HumanTask.facility_id == facility_id,
        HumanTask.lane == "Reviewer",
    )


def _digest(session: Session, reviewer: Account, now: datetime, day: str, key: str) -> bool:
    """Queue one reviewer's digest; False when they have nothing open."""
    query = _open_reviews(reviewer.facility_id)
    open_count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if not open_count:
        return False
    overdue = session.scalar(
        select(func.count()).select_from(query.where(HumanTask.due_at <= now).subquery())
    )
    tasks = session.scalars(
        query.order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id).limit(LISTED)
    ).all()
    facility = session.get(Facility, reviewer.facility_id)
    values = {
        "name": reviewer.name,
        "facility": Both(facility.name_zh, facility.name_en),
        "date": day,
        "open_count": str(open_count),
        "overdue_count": str(overdue or 0),
        "tasks": Both(_lines(tasks, now, "zh_Hant"), _lines(tasks, now, "en")),
        "link": links.url("/inbox"),
    }
    notify_account(
        session, reviewer, "review_digest", values, facility_id=facility.id, dedupe_key=key
    )
    return True


def _lines(tasks: list[HumanTask], now: datetime, locale: str) -> str:
    """One line a task: title, who it is about, and its due date (marked when overdue)."""
    due_word, overdue_word = ("期限", "已逾期") if locale != "en" else ("due", "overdue")
    lines = []
    for task in tasks:
        line = f"- {task.title} {task.subject_label or ''}".rstrip()
        if task.due_at is not None:
            line += f" ({due_word} {task.due_at.astimezone(TAIPEI):%Y-%m-%d}"
            line += f", {overdue_word})" if task.due_at <= now else ")"
        lines.append(line)
    return "\n".join(lines)
