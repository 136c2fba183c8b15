"""What several benches share: the app on a database of their own, and temporary databases."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy.engine import make_url

from domain.settings import Settings
from webapp import create_app
from webapp.migrate import upgrade_database


def make_app(url: str, folder: str):
    """The web app on `url`, schema from the migrations, no background threads."""
    upgrade_database(url)
    settings = Settings.from_env(
        env={"INSTANCE_PATH": folder, "DATABASE_URL": url, "TICK_SECONDS": "0"}
    )
    return create_app(settings, START_BACKGROUND=False)


@contextmanager
def sqlite_url() -> Iterator[str]:
    """A SQLite file in a temporary folder, gone afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/bench.db"


@contextmanager
def postgres_database(url: str, name: str) -> Iterator[str | None]:
    """A fresh database `name` on the server of `url` (never `url`'s own tables), dropped
    afterwards unless BENCH_KEEP is set; None with a note when the server is unreachable."""
    server = make_url(url)
    conninfo = server.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        admin = psycopg.connect(conninfo, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL skipped: {server.render_as_string()} unreachable ({exc})")
        yield None
        return
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            if not os.environ.get("BENCH_KEEP"):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
