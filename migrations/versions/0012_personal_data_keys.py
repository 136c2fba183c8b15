"""personal data and keys: document views, key rotation progress, erasure dates

Revision ID: 0012
Revises: 0005
Create Date: 2026-11-30 07:47:55.011945
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workflows.db

# revision identifiers, used by Alembic.
revision: str = "0012"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "key_rotation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_key_id", sa.String(length=20), nullable=False),
        sa.Column("last_row_id", sa.Integer(), nullable=False),
        sa.Column("rewritten", sa.Integer(), nullable=False),
        sa.Column("started_at", workflows.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", workflows.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", workflows.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_rotation")),
        sa.UniqueConstraint("kind", "target_key_id", name=op.f("uq_key_rotation_kind")),
    )
    op.create_table(
        "document_view",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("owner_account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("viewer_account_id", sa.Integer(), nullable=True),
        sa.Column("viewer_role", sa.String(length=20), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=True),
        sa.Column("viewed_at", workflows.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_account_id"],
            ["account.id"],
            name=op.f("fk_document_view_owner_account_id_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_view")),
    )
    with op.batch_alter_table("document_view", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_view_file_id"), ["file_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_document_view_owner_account_id"), ["owner_account_id"], unique=False
        )

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("deleted_at", workflows.db.UTCDateTime(timezone=True), nullable=True)
        )

    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("proofs_erased_at", workflows.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_column("proofs_erased_at")

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")

    with op.batch_alter_table("document_view", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_view_owner_account_id"))
        batch_op.drop_index(batch_op.f("ix_document_view_file_id"))

    op.drop_table("document_view")
    op.drop_table("key_rotation")
