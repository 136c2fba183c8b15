"""Which columns refer to an uploaded file, read from the schema instead of listed by hand.

An upload is filed once a row points at it: a proof of an application, a post's photo, a reply's
scan, an institution post's file. Deciding that a file is *not* filed must not miss a column,
or a filed proof would be deleted as forgotten; so the columns are every foreign key of the
schema that points at `stored_file` (all tables loaded, `domain.tables`), and a table added
later with such a key is counted without a change here.

Columns that only record a file id without a foreign key (`document_view.file_id`, the audit
log) keep no file: they are records meant to outlive it.
"""

from __future__ import annotations

from sqlalchemy import Column, ColumnElement, MetaData, and_, exists

from workflows.db import Base

from .files import StoredFile
from .tables import load_all_tables


def referencing_columns(metadata: MetaData | None = None) -> list[Column]:
    """Every column with a foreign key to `stored_file`, by table and column name."""
    if metadata is None:
        load_all_tables()
        metadata = Base.metadata
    columns = {
        foreign_key.parent
        for table in metadata.tables.values()
        for foreign_key in table.foreign_keys
        if foreign_key.column.table.name == StoredFile.__tablename__
    }
    return sorted(columns, key=lambda column: (column.table.name, column.name))


def unreferenced() -> ColumnElement[bool]:
    """A condition on `StoredFile`: no row of any referencing column points at it."""
    return and_(*(~exists().where(column == StoredFile.id) for column in referencing_columns()))
