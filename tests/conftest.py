"""Shared fixtures: a real database (SQLite by default, PostgreSQL with TEST_DATABASE_URL),
emptied after every test, and the application clock put back to real time."""

from __future__ import annotations

import collections
import email
import os
import threading
import time
from email import policy
from pathlib import Path

import pytest
from dramatiq import Middleware
from sqlalchemy import select, text

if os.environ.get("TEST_BROKER_URL"):
    # The job broker is chosen when `tasks` is first imported: set it before anything does.
    os.environ["BROKER_URL"] = os.environ["TEST_BROKER_URL"]

from domain.tables import load_all_tables  # noqa: E402
from workflows import Base, Database, clock  # noqa: E402

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
NO_DELETE = "audit_event_no_delete"  # SQLite's trigger keeping the audit log append-only


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    """Build the schema once per run with the real migrations, from an empty database."""
    from webapp.migrate import upgrade_database

    load_all_tables()
    database = Database(database_url)
    Base.metadata.drop_all(database.engine)
    with database.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade_database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def db(_schema) -> Database:
    """The test database; every row written by the test is deleted afterwards."""
    yield _schema
    _schema.remove()
    empty_tables(_schema)


def empty_tables(database: Database) -> None:
    """Delete every row of every table (fast on PostgreSQL with TRUNCATE)."""
    with database.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            # The audit log refuses DELETE (migration 0013; TRUNCATE on PostgreSQL is not a row
            # change): lift that trigger while emptying, and put it back exactly as it was.
            keep = conn.scalar(text(f"SELECT sql FROM sqlite_master WHERE name = '{NO_DELETE}'"))
            conn.execute(text(f"DROP TRIGGER IF EXISTS {NO_DELETE}"))
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
            if keep:
                conn.execute(text(keep))


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """argon2 at production cost takes ~0.2 s a hash; tests hash and log in hundreds of times."""
    from argon2 import PasswordHasher

    from domain.passwords import use_hasher

    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session", autouse=True)
def _file_keys():
    """Files are encrypted at rest: tests that store files without an app need a key too."""
    from domain import file_crypto

    file_crypto.configure("test-file-encryption-key")


@pytest.fixture(autouse=True)
def _real_time():
    """Tests may move the clock; the next test starts from real time again."""
    clock.reset()
    yield
    clock.reset()


@pytest.fixture(scope="session")
def mail_worker():
    """In-process job worker threads on whichever broker `tasks` chose (stub or Redis)."""
    import dramatiq

    from tasks.worker import start_embedded_worker

    broker = dramatiq.get_broker()
    broker.flush_all()
    broker.add_middleware(JOURNAL)
    return start_embedded_worker(worker_threads=2, worker_timeout=20)


def make_test_app(database_url: str, folder):
    """The web app on `database_url` with its files in `folder`: no background tick, fresh
    rate limits."""
    from domain.settings import Settings
    from webapp import create_app
    from webapp.extensions import limiter

    settings = Settings.from_env(
        env={
            "INSTANCE_PATH": str(folder),
            "DATABASE_URL": database_url,
            "TICK_SECONDS": "0",
            "BASE_URL": "http://localhost",
        }
    )
    application = create_app(settings, TESTING=True, START_BACKGROUND=False)
    limiter.reset()
    return application


@pytest.fixture
def app(db, tmp_path, mail_worker):
    """The web app on the test database, with its mail in tmp_path/mail, no background tick."""
    from tasks.worker import drain

    # Work left by another module (a delayed retry) finishes before this app becomes the one
    # the jobs run against: a stale job must never run with this test's database and folder.
    drain()
    application = make_test_app(db.url, tmp_path)
    yield application
    drain()  # jobs of this test still hold connections of this app's engine
    application.extensions["db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


class Mailbox:
    """The .eml files the mail actor wrote, read after the job queue has drained."""

    def __init__(self, folder: Path, database: Database):
        self.folder = folder
        self.database = database

    def messages(self) -> list[email.message.EmailMessage]:
        from tasks.worker import drain

        self.database.remove()  # an open SQLite transaction here would hold the worker up
        drain()
        files = sorted(self.folder.glob("*.eml"), key=_sent_order) if self.folder.exists() else []
        return [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]

    def last(self) -> email.message.EmailMessage:
        """The newest message; delivery is asynchronous, so wait a little for the first one."""
        deadline = time.monotonic() + 10
        messages = self.messages()
        while not messages and time.monotonic() < deadline:
            time.sleep(0.05)
            messages = self.messages()
        assert messages, f"no mail in {self.folder}: outbox {self._rows()}; broker {broker_state()}"
        return messages[-1]

    def _rows(self) -> list[tuple]:
        """What the outbox holds, so a failure says whether a send was queued, failed or lost."""
        from domain.notifications import Notification

        try:
            rows = self.database.session.scalars(select(Notification)).all()
            return [(r.id, r.status, r.attempts, r.last_error) for r in rows]
        finally:
            self.database.remove()


def _sent_order(path: Path) -> tuple[str, int]:
    """`<stamp>-<id>.eml` by stamp, then by id as a number: "-10" comes after "-9" (with the
    clock frozen every message has the same stamp, and ids need not start at 1 on PostgreSQL)."""
    stamp, _, number = path.stem.rpartition("-")
    return stamp, int(number)


class JobJournal(Middleware):
    """The last few hundred job events (sent, started, done, failed, skipped), with the database
    each job ran against: when a test's job seems lost, its failure message says what happened."""

    def __init__(self, size: int = 300):
        self.events: collections.deque = collections.deque(maxlen=size)

    def _note(self, what: str, message, detail: str = "") -> None:
        from tasks import runtime

        db, _ = runtime.current()
        self.events.append(
            (
                round(time.monotonic(), 3),
                what,
                message.actor_name,
                message.args,
                message.message_id[:8],
                threading.current_thread().name,
                db.url[-30:],
                detail,
            )
        )

    def after_enqueue(self, broker, message, delay) -> None:
        self._note("sent" if delay is None else f"delayed {delay} ms", message)

    def before_process_message(self, broker, message) -> None:
        self._note("started", message)

    def after_process_message(self, broker, message, *, result=None, exception=None) -> None:
        self._note("done" if exception is None else "raised", message, repr(exception or ""))

    def after_skip_message(self, broker, message) -> None:
        self._note("skipped", message)

    def after_nack(self, broker, message) -> None:
        self._note("dead-lettered", message)

    def recent(self, count: int = 25) -> list[tuple]:
        return list(self.events)[-count:]


JOURNAL = JobJournal()


def _journal(broker) -> JobJournal:
    """The journal on the broker (this module may be imported twice: as pytest's conftest and
    as `tests.conftest` by a test module, each with its own JOURNAL)."""
    found = [m for m in broker.middleware if type(m).__name__ == "JobJournal"]
    return found[0] if found else JOURNAL


def broker_state() -> str:
    """What the job queue holds and did lately, for a failure message (pytest shortens a
    dict in an assertion, so this is text, one journal event per line)."""
    import dramatiq

    from tasks import runtime

    broker = dramatiq.get_broker()
    queues = getattr(broker, "queues", {})
    dead = getattr(broker, "dead_letters", [])
    db, settings = runtime.current()
    lines = [
        f"jobs use {db.url} and {settings.instance_path}",
        f"waiting { ({name: queue.qsize() for name, queue in queues.items()}) }",
        f"failed {[(m.actor_name, m.args, repr(getattr(m, '_exception', None))) for m in dead]}",
        f"journal (now {time.monotonic():.3f}):",
        *(f"  {event}" for event in _journal(broker).recent()),
    ]
    return "\n".join(lines)


@pytest.fixture
def mailbox(app) -> Mailbox:
    return Mailbox(app.extensions["settings"].mail_dir, app.extensions["db"])


def read(app, statement):
    """Run a SELECT on the app's database and close the session (tests hold no transaction)."""
    database = app.extensions["db"]
    try:
        return database.session.scalars(statement).all()
    finally:
        database.remove()
