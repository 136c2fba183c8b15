"""post reason codes: a rejected post's reason template kept as a code, not as text

As for applications (0014): the family reads the template in its own language, so the post
keeps the template's code (`reason_code`) beside the reviewer's own words (`reason`). Posts
decided before keep their composed text in `reason` and an empty code.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 21:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reason_code", sa.String(length=40), nullable=False, server_default="")
        )


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_column("reason_code")
