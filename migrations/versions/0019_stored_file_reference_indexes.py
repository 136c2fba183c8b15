"""stored file reference indexes: every column referring to stored_file is indexed

Which uploads are never filed is asked of every such column (domain.upload_retention), and
deleting a file row makes the database look for rows referring to it: without an index, each
look-up reads the whole table (on SQLite, minutes a tick with a few hundred thousand files).
application_document.file_id has had its index since 0003.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 01:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "inmate_reply": ("scan_file_id",),
    "institution_post": ("attachment_file_id", "photo_file_id"),
    "post": ("attachment_file_id", "photo_file_id", "thumbnail_file_id", "upload_file_id"),
}


def upgrade() -> None:
    """Apply this revision."""
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)


def downgrade() -> None:
    """Undo this revision."""
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_index(f"ix_{table}_{column}")
