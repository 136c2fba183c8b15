"""Shared fixtures: a real database (SQLite by default, PostgreSQL with TEST_DATABASE_URL),
emptied after every test, and the application clock put back to real time."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from workflows import Base, Database, clock

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def _import_all_models() -> None:
    """Every table must be registered on Base before the schema is created."""
    import domain.accounts  # noqa: F401
    import domain.notifications  # noqa: F401
    import domain.roster  # noqa: F401
    import workflows.models  # noqa: F401


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    """Create the schema once per run (from scratch, so a previous run leaves nothing behind)."""
    _import_all_models()
    database = Database(database_url)
    Base.metadata.drop_all(database.engine)
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def db(_schema) -> Database:
    """The test database; every row written by the test is deleted afterwards."""
    yield _schema
    _schema.remove()
    with _schema.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture(autouse=True)
def _real_time():
    """Tests may move the clock; the next test starts from real time again."""
    clock.reset()
    yield
    clock.reset()
