"""state lz4: PostgreSQL compresses process_instance.state with lz4 (faster than pglz)

Every engine step rewrites the serialized state; see workflows.models.compress_state_with_lz4.
Nothing changes on SQLite, before PostgreSQL 14 or on a server built without lz4.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 00:20:00.000000
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

from workflows.models import compress_state_with_lz4

# revision identifiers, used by Alembic.
revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    compress_state_with_lz4(op.get_bind())


def downgrade() -> None:
    """Undo this revision (back to the server's default method, pglz)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and bind.dialect.server_version_info >= (14,):
        bind.execute(
            text("ALTER TABLE process_instance ALTER COLUMN state SET COMPRESSION DEFAULT")
        )
