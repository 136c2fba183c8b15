"""Shared fixtures: a real database (SQLite by default, PostgreSQL with TEST_DATABASE_URL),
emptied after every test, and the application clock put back to real time."""

from __future__ import annotations

import email
import os
import time
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import select, text

if os.environ.get("TEST_BROKER_URL"):
    # The job broker is chosen when `tasks` is first imported: set it before anything does.
    os.environ["BROKER_URL"] = os.environ["TEST_BROKER_URL"]

from workflows import Base, Database, clock  # noqa: E402

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def _import_all_models() -> None:
    """Every table must be registered on Base before the schema is created."""
    import domain.accounts  # noqa: F401
    import domain.announcements  # noqa: F401
    import domain.api_tokens  # noqa: F401
    import domain.applications  # noqa: F401
    import domain.audit  # noqa: F401
    import domain.document_views  # noqa: F401
    import domain.files  # noqa: F401
    import domain.institution_posts  # noqa: F401
    import domain.key_rotation  # noqa: F401
    import domain.notice_preferences  # noqa: F401
    import domain.notice_templates  # noqa: F401
    import domain.notifications  # noqa: F401
    import domain.posts  # noqa: F401
    import domain.replies  # noqa: F401
    import domain.roster  # noqa: F401
    import domain.special_projects  # noqa: F401
    import domain.suspensions  # noqa: F401
    import workflows.models  # noqa: F401


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    """Build the schema once per run with the real migrations, from an empty database."""
    from webapp.migrate import upgrade_database

    _import_all_models()
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
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


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

    dramatiq.get_broker().flush_all()
    return start_embedded_worker(worker_threads=2, worker_timeout=20)


@pytest.fixture
def app(db, tmp_path, mail_worker):
    """The web app on the test database, with its mail in tmp_path/mail, no background tick."""
    from domain.settings import Settings
    from tasks.worker import drain
    from webapp import create_app
    from webapp.extensions import limiter

    # Work left by another module (a delayed retry) finishes before this app becomes the one
    # the jobs run against: a stale job must never run with this test's database and folder.
    drain()
    settings = Settings.from_env(
        env={
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": db.url,
            "TICK_SECONDS": "0",
            "BASE_URL": "http://localhost",
        }
    )
    application = create_app(settings, TESTING=True, START_BACKGROUND=False)
    limiter.reset()
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


def broker_state() -> dict:
    """What the job queue holds, for a failure message: waiting and failed messages."""
    import dramatiq

    broker = dramatiq.get_broker()
    queues = getattr(broker, "queues", {})
    dead = getattr(broker, "dead_letters", [])
    from tasks import runtime

    db, settings = runtime.current()
    return {
        "jobs use": (db.url, str(settings.instance_path)),
        "waiting": {name: queue.qsize() for name, queue in queues.items()},
        "failed": [(m.actor_name, m.args, repr(getattr(m, "_exception", None))) for m in dead],
    }


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
