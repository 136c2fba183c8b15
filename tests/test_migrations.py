"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from workflows import Base
from workflows.models import compress_state_with_lz4


def test_migrated_schema_matches_the_models(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_engine_state_is_compressed_with_lz4_on_postgresql(db):
    with db.engine.connect() as conn:
        if conn.dialect.name != "postgresql":
            assert compress_state_with_lz4(conn) is False  # SQLite has no such setting
            return
        method = conn.scalar(
            text(
                "SELECT attcompression FROM pg_attribute"
                " WHERE attrelid = 'process_instance'::regclass AND attname = 'state'"
            )
        )
    assert method == "l"  # lz4 (pglz, the server's default, would be "" or "p")
