"""Institution contact book (機關聯絡簿) and announcements (訊息及流程公告)

Revision ID: 0010
Revises: 0005
Create Date: 2026-11-30 07:42:31.334131
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import workflows.db

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "announcement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("publish_at", workflows.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", workflows.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", workflows.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["account.id"], name=op.f("fk_announcement_author_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_announcement_facility_id_facility")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcement")),
    )
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_announcement_facility_id"), ["facility_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_announcement_publish_at"), ["publish_at"], unique=False
        )

    op.create_table(
        "institution_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("photo_file_id", sa.Integer(), nullable=True),
        sa.Column("attachment_file_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("submitted_at", workflows.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", workflows.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("published_at", workflows.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("published_month", sa.String(length=7), nullable=True),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attachment_file_id"],
            ["stored_file.id"],
            name=op.f("fk_institution_post_attachment_file_id_stored_file"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["account.id"], name=op.f("fk_institution_post_author_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_institution_post_facility_id_facility")
        ),
        sa.ForeignKeyConstraint(
            ["photo_file_id"],
            ["stored_file.id"],
            name=op.f("fk_institution_post_photo_file_id_stored_file"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution_post")),
    )
    with op.batch_alter_table("institution_post", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_institution_post_facility_id"), ["facility_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_institution_post_instance_id"), ["instance_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_institution_post_published_month"), ["published_month"], unique=False
        )


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("institution_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_post_published_month"))
        batch_op.drop_index(batch_op.f("ix_institution_post_instance_id"))
        batch_op.drop_index(batch_op.f("ix_institution_post_facility_id"))

    op.drop_table("institution_post")
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_announcement_publish_at"))
        batch_op.drop_index(batch_op.f("ix_announcement_facility_id"))

    op.drop_table("announcement")
