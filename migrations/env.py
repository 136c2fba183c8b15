"""Alembic environment, run by `webapp.migrate` (no alembic.ini: the caller sets the URL).

The metadata is every table of the application: the engine's own and the product's. SQLite
cannot alter tables in place, so migrations run in batch mode there (copy and move).
"""

from alembic import context
from sqlalchemy import create_engine, pool

from domain.tables import load_all_tables
from workflows.db import Base

load_all_tables()  # each table-defining module registers its tables on Base.metadata

config = context.config
target_metadata = Base.metadata


def render_item(kind: str, obj, autogen_context) -> str | bool:
    """Write our own column types (e.g. UTCDateTime) with their import into new revisions."""
    module = type(obj).__module__
    if kind == "type" and module.startswith(("workflows.", "domain.")):
        autogen_context.imports.add(f"import {module}")
        return f"{module}.{obj!r}"
    return False


def _configure(**kwargs) -> None:
    """Settings shared by both modes."""
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
        **kwargs,
    )


def run_migrations_offline() -> None:
    """Write the SQL to standard output instead of running it (`alembic upgrade --sql`)."""
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run on a connection the caller hands over, or on a fresh one to the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    # A plain engine: the app's SQLite pragmas (foreign keys on) would break batch table copies.
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
