"""E-mail and SMS notices: one table that is both the outbox and the family's sending record.

A notice is a row written in the same transaction as the change it announces; the id is handed
to the job queue only after that transaction commits (see `tasks.runtime`), so a rolled-back
request sends nothing and a broker outage delays mail without losing it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from workflows.clock import clock
from workflows.db import Base, UTCDateTime

# session.info key: (transaction, job kind, row id) waiting for the commit. Kinds: NOTICE_JOB
# here, and others whose rows are their own outbox (a post waiting for its photo job).
OUTBOX_KEY = "familybook.outbox"
NOTICE_JOB = "notification"


CHANNELS = ("email", "sms")


class NotificationStatus:
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class Notification(Base):
    """One e-mail or SMS to one address, with its sending state."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(Integer, index=True)
    channel: Mapped[str] = mapped_column(String(10))  # 'email' | 'sms'
    category: Mapped[str] = mapped_column(String(50))  # the notice kind: 'verification'…
    destination: Mapped[str] = mapped_column(String(320))
    # Text, not a bounded string: product name, up to three languages' subjects (a facility's
    # own wording) and their filled-in placeholders must always fit.
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=NotificationStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Last time the row was queued, re-dispatched or tried: the sweep leaves recent rows alone,
    # so a message waiting in the broker (or between retries) is not sent out twice.
    touched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)

    __table_args__ = (Index("ix_notification_outbox", "status", "touched_at"),)


def register_for_dispatch(session: Session, row_id: int, kind: str = NOTICE_JOB) -> None:
    """Remember a job (kind, row id) to hand to the queue when the transaction commits."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(OUTBOX_KEY, []).append((transaction, kind, row_id))


def pending_dispatch(session: Session) -> list[tuple[SessionTransaction | None, str, int]]:
    """The (transaction, kind, id) jobs registered in this session and not yet dispatched."""
    return session.info.setdefault(OUTBOX_KEY, [])


def queue_mail(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    category: str,
    account_id: int | None = None,
    dedupe_key: str | None = None,
) -> Notification:
    """Add an e-mail to the outbox (flush, never commit); it is sent after the commit."""
    return queue_notice(
        session,
        channel="email",
        to=to,
        subject=subject,
        body=body,
        category=category,
        account_id=account_id,
        dedupe_key=dedupe_key,
    )


def queue_notice(
    session: Session,
    *,
    channel: str,
    to: str,
    subject: str,
    body: str,
    category: str,
    account_id: int | None = None,
    dedupe_key: str | None = None,
) -> Notification:
    """Add an e-mail or SMS to the outbox (flush, never commit); it is sent after the commit.

    With a `dedupe_key` already used, the existing notice is returned and nothing is added,
    so a retried request or job never sends the same notice twice.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if dedupe_key is not None:
        existing = _by_dedupe_key(session, dedupe_key)
        if existing is not None:
            return existing
    now = clock.now()
    row = Notification(
        account_id=account_id,
        channel=channel,
        category=category,
        destination=to,
        subject=subject,
        body=body,
        status=NotificationStatus.QUEUED,
        attempts=0,
        created_at=now,
        touched_at=now,
        dedupe_key=dedupe_key,
    )
    try:
        # A savepoint: a concurrent insert of the same key loses cleanly, not the whole request.
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        existing = _by_dedupe_key(session, dedupe_key) if dedupe_key is not None else None
        if existing is None:
            raise
        return existing
    register_for_dispatch(session, row.id)
    return row


def settle(row: Notification, status: str) -> None:
    """Record that a notice was sent or given up on.

    A notice to no account (a failed registration's reply, a note to an address already
    taken) is nobody's record: once settled, its address and text are emptied.
    """
    row.status = status
    if row.account_id is None:
        row.destination = row.subject = row.body = ""


def _by_dedupe_key(session: Session, dedupe_key: str) -> Notification | None:
    """The notice already queued under this key, if any."""
    return session.scalars(
        select(Notification).where(Notification.dedupe_key == dedupe_key)
    ).one_or_none()


def was_mailed(session: Session, account_id: int, category: str, text: str) -> bool:
    """Whether a notice of `category` holding `text` (a link's token) was sent to the account:
    its record keeps every notice it was sent."""
    found = session.scalar(
        select(Notification.id)
        .where(
            Notification.account_id == account_id,
            Notification.category == category,
            Notification.body.contains(text, autoescape=True),
        )
        .limit(1)
    )
    return found is not None


def mask_destination(addr: str) -> str:
    """Show an address without revealing it: 'f***y@example.tw', '*******678'."""
    if "@" in addr:
        local, _, domain = addr.rpartition("@")
        if len(local) <= 1:
            return f"{local}***@{domain}"
        return f"{local[0]}***{local[-1]}@{domain}"
    return "*" * max(len(addr) - 3, 3) + addr[-3:]


def notices_of(
    session: Session, account_id: int, page: int = 1, per_page: int = 20
) -> tuple[list[Notification], int]:
    """One page of an account's notices, newest first, and how many there are in all."""
    where = Notification.account_id == account_id
    total = session.scalar(select(func.count(Notification.id)).where(where)) or 0
    rows = session.scalars(
        select(Notification)
        .where(where)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total
