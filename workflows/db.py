"""The SQLAlchemy base every table derives from, and the database handle.

Nothing here knows about Flask: the web app, the job workers and the CLI all open a
`Database` from a URL and work in `transaction()` blocks, one per request or job.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from functools import partial

from sqlalchemy import DateTime, MetaData, TypeDecorator, create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.pool import StaticPool

# A naming convention makes Alembic's generated constraint names stable across databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every table of the application."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def column_width(attribute) -> int:
    """The length of a String(n) column, e.g. column_width(Account.name).

    SQLite stores a longer value, PostgreSQL refuses it and fails the whole transaction: what
    code (not a form) writes into such a column is checked against this first.
    """
    return attribute.property.columns[0].type.length


def lock_row(session: Session, model, row_id) -> None:
    """Lock one row until the commit (FOR UPDATE; SQLite's writers already queue at BEGIN).

    The same form sent twice at once then queues here, and the second request sees what the
    first one wrote (its duplicate check finds it) instead of adding another.
    """
    session.execute(select(model.id).where(model.id == row_id).with_for_update())


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC timestamps on every database (SQLite hands back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Enforce foreign keys and let readers work while one writer commits."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL fsyncs at checkpoints, not at every commit: still corruption-safe.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    # pysqlite opens transactions itself and breaks SAVEPOINT; we issue BEGIN ourselves.
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection) -> None:
    """Take the write lock at BEGIN, so concurrent writers queue instead of failing mid-way."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """Create an engine with the per-dialect settings this app relies on.

    Statement parameters are left out of its errors: they end up in logs and in incident
    messages, and may hold task data or personal data (an e-mail, an encrypted national ID).
    """
    if url.startswith("sqlite"):
        kwargs: dict = {
            "connect_args": {"check_same_thread": False, "timeout": 30},
            "hide_parameters": True,
        }
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool  # one shared in-memory database for all threads
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, hide_parameters=True)
    event.listen(engine, "checkin", _note_idle)
    event.listen(engine, "checkout", partial(_ping_if_idle, engine.dialect))
    return engine


# A pooled connection unused for this long is pinged before use (a restarted server leaves
# only dead ones behind). Not on every checkout as pool_pre_ping does: on a busy server each
# request would pay a round trip for it.
PING_AFTER_IDLE_SECONDS = 10.0


def _note_idle(_dbapi_connection, record) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dialect, dbapi_connection, record, _proxy) -> None:
    """Check a connection that sat idle; a dead one makes the pool connect afresh."""
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dialect.do_ping(dbapi_connection)
    except Exception as exc:
        raise DisconnectionError("a pooled connection died while idle") from exc


READS_ONLY = "reads_only"  # Session.info key set by Database.reading()


def _refuse_writes(session: Session, _context, _instances) -> None:
    """A session that reads without a transaction would commit each flush at once: refuse it."""
    if session.info.get(READS_ONLY):
        raise RuntimeError("this session was opened for reading only; write in a transaction")


class Database:
    """An engine plus a thread-local session registry."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        event.listen(factory, "before_flush", _refuse_writes)
        self.sessions = scoped_session(factory)

    @property
    def session(self) -> Session:
        """The session of the current thread (request, job or command)."""
        return self.sessions()

    def reading(self) -> Session:
        """The thread's session for a request that only reads; on PostgreSQL, in autocommit.

        Under READ COMMITTED, PostgreSQL's default, each statement takes its own snapshot even
        inside a transaction, so autocommit reads the same rows and saves the BEGIN and COMMIT
        round trips (on a busy server every round trip waits for the backend to be scheduled).
        The session then refuses to flush. SQLite keeps its transaction: its calls are
        in-process, and its isolation level must stay as `_sqlite_pragmas` set it. A session
        already in a transaction stays in it.
        """
        session = self.session
        if self.engine.dialect.name == "postgresql" and not session.in_transaction():
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            session.info[READS_ONLY] = True
        return session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Run a block in one transaction of the thread's session: commit, or roll back."""
        session = self.session
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    def remove(self) -> None:
        """Close the thread's session (end of a request or job)."""
        self.sessions.remove()

    def create_all(self) -> None:
        """Create every table (tests and throwaway databases; real ones use Alembic)."""
        Base.metadata.create_all(self.engine)

    def dispose(self) -> None:
        self.sessions.remove()
        self.engine.dispose()
