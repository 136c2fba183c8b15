"""notice subjects of any length; on SQLite, audit rows cannot be deleted either

`notification.subject` becomes Text: a facility's own wording in Chinese and English (and the
national Vietnamese or Indonesian one), with its placeholders filled in, went past 300
characters and PostgreSQL refused the row, failing the approval that queued it.

On PostgreSQL migration 0006 already refuses DELETE on `audit_event`; SQLite now does too.

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-04 21:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_NO_DELETE = """
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END
"""


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.alter_column(
            "subject", existing_type=sa.String(length=300), type_=sa.Text(), existing_nullable=False
        )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_NO_DELETE)


def downgrade() -> None:
    """Undo this revision (a subject longer than 300 characters is cut to fit)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    op.execute("UPDATE notification SET subject = substr(subject, 1, 300)")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.alter_column(
            "subject", existing_type=sa.Text(), type_=sa.String(length=300), existing_nullable=False
        )
