"""notice channels and templates: facility overrides of notice texts, families' channels

The SMS rows themselves need no new column: `notification.channel` already says 'sms'.

Revision ID: 0011
Revises: 0005
Create Date: 2026-11-30 07:43:02.379003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workflows.db

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "notice_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=True),
        sa.Column("subject_zh", sa.String(length=300), nullable=False),
        sa.Column("body_zh", sa.Text(), nullable=False),
        sa.Column("subject_en", sa.String(length=300), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", workflows.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_notice_template_facility_id_facility")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_template")),
        sa.UniqueConstraint("kind", "facility_id", name=op.f("uq_notice_template_kind")),
    )
    with op.batch_alter_table("notice_template", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notice_template_facility_id"), ["facility_id"], unique=False
        )

    op.create_table(
        "notice_preference",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("notice_group", sa.String(length=30), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("sms", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_notice_preference_account_id_account")
        ),
        sa.PrimaryKeyConstraint("account_id", "notice_group", name=op.f("pk_notice_preference")),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("notice_preference")
    with op.batch_alter_table("notice_template", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_template_facility_id"))

    op.drop_table("notice_template")
