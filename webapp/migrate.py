"""Database migrations with Alembic, driven from code (no alembic.ini, no Flask-Migrate).

The migration scripts live in `migrations/` at the project root; `upgrade_database` brings any
database (SQLite file, PostgreSQL) to the newest revision.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for `database_url`, built in code."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    # The value goes through ConfigParser interpolation: a URL-encoded password holds '%'.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(database_url: str) -> None:
    """Apply every migration not yet applied to the database at `database_url`."""
    command.upgrade(alembic_config(database_url), "head")
