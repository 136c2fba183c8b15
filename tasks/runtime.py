"""What the actors run against (database, settings), and the outbox hand-off after commit.

The web app calls `configure()` at start-up so its in-process worker shares its database; a
standalone `dramatiq tasks` worker builds both from the environment on first use.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from domain.notifications import (
    Notification,
    NotificationStatus,
    pending_dispatch,
    register_for_dispatch,
)
from domain.settings import Settings
from workflows.clock import clock
from workflows.db import Database

log = logging.getLogger(__name__)

_lock = threading.Lock()
_db: Database | None = None
_settings: Settings | None = None


def configure(
    db: Database | None, settings: Settings | None
) -> tuple[Database | None, Settings | None]:
    """Use this database and these settings in every actor of this process.

    Returns the previous pair, so a test can put it back; None means "from the environment".
    """
    global _db, _settings
    with _lock:
        previous = _db, _settings
        _db, _settings = db, settings
    return previous


def get_settings() -> Settings:
    """The configured settings, or settings from the environment (built once)."""
    global _settings
    with _lock:
        if _settings is None:
            _settings = Settings.from_env()
        return _settings


def get_db() -> Database:
    """The configured database, or one opened from the settings' DATABASE_URL (once)."""
    global _db
    settings = get_settings()
    with _lock:
        if _db is None:
            _db = Database(settings.database_url)
            install_outbox_dispatch(_db)
        return _db


def current() -> tuple[Database, Settings]:
    """The database and settings of this moment, as one pair.

    A job reads both through this: read one at a time, a job running while the web app (or a
    test) reconfigures could pair the new database with the old settings, e.g. send a row of
    the new database into the old mail folder.
    """
    with _lock:
        db, settings = _db, _settings
    if db is not None and settings is not None:
        return db, settings
    return get_db(), get_settings()  # a standalone worker: both from the environment, once


def install_outbox_dispatch(db: Database) -> None:
    """Send registered notification ids to the broker when a session of `db` commits.

    Ids registered inside a savepoint that rolls back are dropped; a rolled-back (or closed)
    outer transaction drops them all. Calling this twice is harmless.
    """
    factory = db.sessions.session_factory
    for name, listener in (
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_soft_rollback),
        ("after_transaction_end", _after_transaction_end),
    ):
        if not event.contains(factory, name, listener):
            event.listen(factory, name, listener)


def _after_commit(session: Session) -> None:
    """On the outer commit, enqueue every pending id (a savepoint release is not the end)."""
    if session.in_nested_transaction():
        return
    pending = pending_dispatch(session)
    ids = [notification_id for _, notification_id in pending]
    pending.clear()
    for notification_id in ids:
        dispatch(notification_id)


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    """Forget ids registered in the transaction that rolled back, or in one nested in it."""
    pending = pending_dispatch(session)
    pending[:] = [item for item in pending if not _within(item[0], previous)]


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """A closed outer transaction leaves nothing pending (e.g. close() without rollback)."""
    if transaction.parent is None:
        pending_dispatch(session).clear()


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    """Whether `transaction` is `ancestor` or nested (at any depth) inside it."""
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def dispatch(notification_id: int) -> bool:
    """Enqueue one send job; if the broker is down, log it and leave the row to the sweep."""
    from .mail import send_notification  # imported late: actors need the broker set up first

    try:
        send_notification.send(notification_id)
    except Exception:
        log.warning("could not enqueue notification %s; the sweep will retry", notification_id)
        return False
    return True


def sweep_outbox(session: Session, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Re-enqueue queued notices nobody touched for `older_than`; returns how many.

    Call it inside a transaction: the ids go out when that transaction commits. Rows a worker
    holds locked right now are skipped; the actor's status check makes any duplicate harmless.
    """
    now = clock.now()
    rows = session.scalars(
        select(Notification)
        .where(
            Notification.status == NotificationStatus.QUEUED,
            Notification.touched_at < now - older_than,
        )
        .order_by(Notification.id)
        .limit(500)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.touched_at = now
        register_for_dispatch(session, row.id)
    session.flush()
    return len(rows)
