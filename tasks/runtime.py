"""What the actors run against (database, settings), and the outbox hand-off after commit.

The web app calls `configure()` at start-up so its in-process worker shares its database; a
standalone `dramatiq tasks` worker builds both from the environment on first use.
"""

from __future__ import annotations

import logging
import threading
import weakref
from datetime import timedelta

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from domain.notifications import (
    NOTICE_JOB,
    Notification,
    NotificationStatus,
    pending_dispatch,
    register_for_dispatch,
)
from domain.posts import POST_PHOTO_JOB, stale_photo_jobs
from domain.settings import Settings
from workflows.clock import clock
from workflows.db import Database

log = logging.getLogger(__name__)

PHOTO_JOB_PATIENCE = timedelta(minutes=10)
# A photo job still unfinished this long after filing will not finish (its worker dies on it, or
# its messages are lost each time): the post goes back to the family instead of waiting for ever.
PHOTO_JOB_GIVE_UP = timedelta(hours=1)

_lock = threading.Lock()
_db: Database | None = None
_settings: Settings | None = None
_engine = None
_dispatching: weakref.WeakSet = weakref.WeakSet()  # session factories with the outbox hand-off
_dispatch_lock = threading.Lock()  # apart from _lock: get_db() installs while holding that


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


def use_engine(engine) -> None:
    """Use this workflow engine in the actors that drive instances (the web app's own)."""
    global _engine
    with _lock:
        _engine = engine


def get_engine():
    """The configured workflow engine, or one built for a standalone worker (once)."""
    global _engine
    settings = get_settings()
    with _lock:
        if _engine is None:
            _engine = _standalone_engine(settings)
        return _engine


def _standalone_engine(settings: Settings):
    """A `dramatiq tasks` worker's engine: the domain configured, operations and forms known."""
    from domain import setup as domain_setup
    from forms import known_form_keys
    from workflows import OPERATIONS, WorkflowEngine

    domain_setup.configure(settings)
    domain_setup.register_operations()
    return WorkflowEngine(OPERATIONS, known_form_keys())


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
    with _dispatch_lock:
        # Not event.contains(): it keys on id() of the session class, and a new Database can
        # get the id of a collected one's class, so it answered "yes" for a factory never
        # listened to; that Database's jobs were then silently never sent.
        if factory in _dispatching:
            return
        _dispatching.add(factory)
    event.listen(factory, "after_commit", _after_commit)
    event.listen(factory, "after_soft_rollback", _after_soft_rollback)
    event.listen(factory, "after_transaction_end", _after_transaction_end)


def _after_commit(session: Session) -> None:
    """On the outer commit, enqueue every pending id (a savepoint release is not the end)."""
    if session.in_nested_transaction():
        return
    pending = pending_dispatch(session)
    jobs = [(kind, row_id) for _, kind, row_id in pending]
    pending.clear()
    for kind, row_id in jobs:
        dispatch(row_id, kind)


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    """Forget ids registered in the transaction that rolled back, or in one nested in it."""
    pending = pending_dispatch(session)
    pending[:] = [job for job in pending if not _within(job[0], previous)]


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


def dispatch(row_id: int, kind: str = NOTICE_JOB) -> bool:
    """Enqueue one job; if the broker is down, log it and leave the row to the sweep."""
    try:
        _actors()[kind].send(row_id)
    except Exception:
        log.warning("could not enqueue %s %s; the sweep will retry", kind, row_id)
        return False
    return True


def _actors() -> dict:
    """Job kind -> actor. Imported late: actors need the broker set up first."""
    from .mail import send_notification
    from .posts import prepare_post_photo

    return {NOTICE_JOB: send_notification, POST_PHOTO_JOB: prepare_post_photo}


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


def sweep_photo_jobs(session: Session, older_than: timedelta = PHOTO_JOB_PATIENCE) -> int:
    """Re-enqueue the photo jobs of posts still waiting after `older_than`; returns how many.

    A photo job retries for a few minutes on its own; only a lost message waits this long. A
    post filed more than PHOTO_JOB_GIVE_UP ago is not re-sent: it goes back to the family.
    """
    now = clock.now()
    posts = stale_photo_jobs(session, now - older_than)
    for post in posts:
        post.job_touched_at = now
        if post.submitted_at < now - PHOTO_JOB_GIVE_UP:
            _give_up(session, post.id)
        else:
            register_for_dispatch(session, post.id, POST_PHOTO_JOB)
    session.flush()
    return len(posts)


def _give_up(session: Session, post_id: int) -> None:
    """Send the post back to its family, in a savepoint: one failure must not stop the tick."""
    from .posts import give_up_photo  # late, as in _actors: the actor needs the broker set up

    try:
        with session.begin_nested():
            give_up_photo(session, post_id)
    except Exception:
        log.exception("could not end the photo job of post %s", post_id)
