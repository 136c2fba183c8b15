"""Erasing uploaded files: rows first, references cleared, content removed after the commit.

Proofs and photos are personal data: once their purpose has passed (an account deleted, the
retention period of a decided application or of an upload never filed over) the rows go and,
when no other row holds the same content, so do the bytes on disk. The bytes are removed only
after the transaction commits, so a rolled-back erasure never leaves rows without their content.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Column, delete, event, select, update
from sqlalchemy.orm import Session

from workflows.db import Base

from .file_references import referencing_columns
from .file_store import blob_path
from .files import StoredFile

_PENDING_KEY = "familybook.erase_blobs"


def erase_files(session: Session, storage_dir: Path, file_ids: Iterable[int]) -> int:
    """Delete these file rows and what points at them (flush); returns how many rows went.

    Every column of the schema that points at a file is covered (domain.file_references):
    a row that is only the link to the file (a proof of an application) is deleted, a column
    that may be empty (a post's photo, a reply's scan) is cleared. The content on disk is
    removed after the commit unless another row still has the same content.
    """
    ids = sorted(set(file_ids))
    if not ids:
        return 0
    hashes = set(session.scalars(select(StoredFile.sha256).where(StoredFile.id.in_(ids))))
    for column in referencing_columns():
        _let_go(session, column, ids)
    erased = session.execute(delete(StoredFile).where(StoredFile.id.in_(ids))).rowcount
    kept = set(session.scalars(select(StoredFile.sha256).where(StoredFile.sha256.in_(hashes))))
    session.info.setdefault(_PENDING_KEY, []).extend(
        blob_path(storage_dir, sha) for sha in hashes - kept
    )
    session.flush()
    return erased


def _let_go(session: Session, column: Column, ids: list[int]) -> None:
    """Make the rows of `column` stop pointing at these files: through their ORM class if the
    table has one, so the objects the session holds change with them."""
    model = _model_of(column)
    target, attribute = (model, getattr(model, column.key)) if model else (column.table, column)
    statement = (
        update(target).where(attribute.in_(ids)).values({column.key: None})
        if column.nullable
        else delete(target).where(attribute.in_(ids))
    )
    options = {"synchronize_session": "fetch"} if model else {}
    session.execute(statement, execution_options=options)


def _model_of(column: Column):
    """The mapped class of the column's table, or None."""
    for mapper in Base.registry.mappers:
        if mapper.local_table is column.table:
            return mapper.class_
    return None


@event.listens_for(Session, "after_commit")
def _remove_content(session: Session) -> None:
    """The erasure is committed: its content may go from disk now."""
    for path in session.info.pop(_PENDING_KEY, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _keep_content(session: Session) -> None:
    """The erasure was rolled back: its rows are back, so their content stays."""
    session.info.pop(_PENDING_KEY, None)
