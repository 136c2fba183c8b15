"""Erasing uploaded files: rows first, references cleared, content removed after the commit.

Proofs and photos are personal data: once their purpose has passed (an account deleted, the
retention period of a decided application or of an upload never filed over) the rows go and,
when no other row holds the same content, so do the bytes on disk. The bytes are removed only
after the transaction commits, so a rolled-back erasure never leaves rows without their content.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from .applications import ApplicationDocument
from .file_store import blob_path
from .files import StoredFile
from .posts import Post
from .replies import InmateReply

_PENDING_KEY = "familybook.erase_blobs"
_POST_FILE_COLUMNS = ("upload_file_id", "photo_file_id", "thumbnail_file_id", "attachment_file_id")


def erase_files(session: Session, storage_dir: Path, file_ids: Iterable[int]) -> int:
    """Delete these file rows and what points at them (flush); returns how many rows went.

    Proof links (application_document) are deleted, post and reply columns cleared; the
    content on disk is removed after the commit unless another row still has the same content.
    """
    ids = sorted(set(file_ids))
    if not ids:
        return 0
    hashes = set(session.scalars(select(StoredFile.sha256).where(StoredFile.id.in_(ids))))
    session.execute(delete(ApplicationDocument).where(ApplicationDocument.file_id.in_(ids)))
    for column in _POST_FILE_COLUMNS:
        attribute = getattr(Post, column)
        session.execute(
            update(Post).where(attribute.in_(ids)).values({column: None}),
            execution_options={"synchronize_session": "fetch"},
        )
    session.execute(
        update(InmateReply).where(InmateReply.scan_file_id.in_(ids)).values(scan_file_id=None),
        execution_options={"synchronize_session": "fetch"},
    )
    erased = session.execute(delete(StoredFile).where(StoredFile.id.in_(ids))).rowcount
    kept = set(session.scalars(select(StoredFile.sha256).where(StoredFile.sha256.in_(hashes))))
    session.info.setdefault(_PENDING_KEY, []).extend(
        blob_path(storage_dir, sha) for sha in hashes - kept
    )
    session.flush()
    return erased


@event.listens_for(Session, "after_commit")
def _remove_content(session: Session) -> None:
    """The erasure is committed: its content may go from disk now."""
    for path in session.info.pop(_PENDING_KEY, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _keep_content(session: Session) -> None:
    """The erasure was rolled back: its rows are back, so their content stays."""
    session.info.pop(_PENDING_KEY, None)
