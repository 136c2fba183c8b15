"""The databases bench/engine.py runs on: a SQLite file, or a throwaway PostgreSQL schema."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from workflows import Base, Database


@contextmanager
def sqlite_database(tables):
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/bench.db")
        Base.metadata.create_all(db.engine, tables=tables)
        try:
            yield db
        finally:
            db.dispose()


@contextmanager
def postgres_schema(url: str, tables):
    """The engine's tables in a schema of their own, dropped afterwards; None if unreachable."""
    schema = f"bench_engine_{os.getpid()}"
    admin = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        shown = make_url(url).render_as_string(hide_password=True)
        print(f"PostgreSQL skipped: {shown} unreachable ({str(exc).splitlines()[0]})")
        yield None
        return
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    db = Database(scoped.render_as_string(hide_password=False))
    try:
        Base.metadata.create_all(db.engine, tables=tables)
        yield db
    finally:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
