"""post delivered by: the staff account that recorded a post's delivery

Until now only the audit log said who marked a post 已送達. The post keeps it itself
(`delivered_by`), so the delivery page can show it; a delivery through the facility's feed
has none (`delivered_via` says "feed"). Posts delivered before keep an empty value.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 23:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delivered_by", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_post_delivered_by_account"), "account", ["delivered_by"], ["id"]
        )


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_post_delivered_by_account"), type_="foreignkey")
        batch_op.drop_column("delivered_by")
