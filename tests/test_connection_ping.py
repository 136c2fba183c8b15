"""A pooled server connection that sat idle is checked before use, so a connection the server
dropped meanwhile (a restart, an idle timeout) costs no request; busy ones are not pinged."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from workflows import db as db_module
from workflows.db import Database

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


class Dialect:
    def __init__(self, alive: bool):
        self.alive, self.pings = alive, 0

    def do_ping(self, _connection) -> bool:
        self.pings += 1
        if not self.alive:
            raise OSError("server closed the connection unexpectedly")
        return True


@pytest.mark.parametrize("idle", [0.0, 5.0, 60.0])
def test_only_a_connection_idle_for_a_while_is_pinged(monkeypatch, idle):
    monkeypatch.setattr(db_module.time, "monotonic", lambda: 1000.0 + idle)
    dialect = Dialect(alive=True)
    db_module._ping_if_idle(dialect, object(), Record(idle_since=1000.0), None)
    assert dialect.pings == (1 if idle >= db_module.PING_AFTER_IDLE_SECONDS else 0)


def test_a_dead_idle_connection_asks_the_pool_for_a_new_one(monkeypatch):
    monkeypatch.setattr(db_module.time, "monotonic", lambda: 2000.0)
    with pytest.raises(db_module.DisconnectionError):
        db_module._ping_if_idle(Dialect(alive=False), object(), Record(idle_since=1.0), None)


def test_a_new_connection_is_not_pinged():
    dialect = Dialect(alive=False)
    db_module._ping_if_idle(dialect, object(), Record(), None)
    assert dialect.pings == 0


class Record:
    def __init__(self, **info):
        self.info = info


@pytest.mark.skipif(
    not TEST_DATABASE_URL.startswith("postgresql"), reason="needs a server: TEST_DATABASE_URL"
)
def test_a_connection_the_server_dropped_while_idle_costs_no_request(monkeypatch):
    database = Database(TEST_DATABASE_URL)
    try:
        with database.engine.connect() as conn:
            victim = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with database.engine.connect() as conn:  # the same pooled connection again
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() == victim
        admin = create_engine(TEST_DATABASE_URL, poolclass=NullPool)  # not the pool's one
        with admin.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": victim})
            other.commit()
        monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.0)
        with database.transaction() as session:
            assert session.execute(text("SELECT pg_backend_pid()")).scalar_one() != victim
    finally:
        database.dispose()
