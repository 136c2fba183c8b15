"""application reason codes: the reviewer's reason template kept as a code, not as text

A rejection's template is shown and mailed in the family's language, so the application and
its round keep the template's code (`reason_code`) beside the reviewer's own words (`reason`).
Rows decided before keep their composed text in `reason` and an empty code.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 21:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("application", "application_round")


def upgrade() -> None:
    """Apply this revision."""
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("reason_code", sa.String(length=40), nullable=False, server_default="")
            )


def downgrade() -> None:
    """Undo this revision."""
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("reason_code")
