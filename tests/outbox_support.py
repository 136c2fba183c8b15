"""The outbox on its own, for the mail and SMS tests: the notification table on SQLite (or
TEST_DATABASE_URL), in-process worker threads on whichever broker `tasks` chose, and a clean
outbox for each test that the actors share with it."""

from __future__ import annotations

import os
import socket

import dramatiq
import pytest
from sqlalchemy import delete

from domain.notifications import Notification
from domain.settings import Settings
from tasks import runtime
from tasks.worker import current_worker, drain, start_embedded_worker, stop_embedded_worker
from workflows.clock import clock
from workflows.db import Base, Database


@pytest.fixture(scope="module")
def worker():
    """In-process worker threads on whichever broker `tasks` chose."""
    dramatiq.get_broker().flush_all()
    started_here = current_worker() is None
    start_embedded_worker(worker_threads=2, worker_timeout=20)
    yield
    if started_here:
        stop_embedded_worker()


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """The notification table, freshly created on SQLite or on TEST_DATABASE_URL."""
    path = tmp_path_factory.mktemp("db") / "mail.db"
    db = Database(os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{path}")
    Notification.__table__.drop(db.engine, checkfirst=True)
    Base.metadata.create_all(db.engine, tables=[Notification.__table__])
    runtime.install_outbox_dispatch(db)
    yield db
    db.dispose()


@pytest.fixture
def settings(tmp_path):
    """Settings whose mail folder is this test's own."""
    return Settings.from_env(env={"INSTANCE_PATH": str(tmp_path)})


@pytest.fixture
def db(database, settings, worker):
    """A clean outbox that the actors share with the test."""
    with database.transaction() as session:
        session.execute(delete(Notification))
    previous = runtime.configure(database, settings)
    yield database
    drain()
    clock.reset()
    runtime.configure(*previous)
    database.remove()
    with database.transaction() as session:
        session.execute(delete(Notification))
    database.remove()


def row(db, notification_id):
    """The notification as the database holds it now (not a cached copy)."""
    db.remove()
    return db.session.get(Notification, notification_id)


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
