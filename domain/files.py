"""Uploaded files (proofs, photos, attachments): one row per upload, content kept on disk.

The bytes go to the content-addressed store of `domain.file_store` (written once however often
the same content is sent); each upload keeps its own row (owner, name, time). Nothing from the
uploader (name, declared type) decides a path or a type: `domain.file_checks` decides the type
from the content.

Who may see a file is decided by access policies that each feature registers
(`register_file_access`, see `domain.file_access`); the uploader may always see their own file.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.actors import Actor
from workflows.clock import clock
from workflows.db import Base, UTCDateTime

from .file_access import FileAccessPolicy as FileAccessPolicy
from .file_access import may_view as may_view
from .file_access import register_file_access
from .file_checks import (
    ALLOWED_TYPES,
    DEFAULT_MAX_BYTES,
    EXTENSIONS,
    Checked,
    FileRefused,
    Refusal,
    check_upload,
    read_limited,
)
from .file_store import TEMPORARY_PREFIX, blob_path, read_blob, stale_blobs, write_blob
from .file_store import storage_dir_for as storage_dir_for

if TYPE_CHECKING:
    from werkzeug.datastructures import FileStorage

NAME_LENGTH = 200
SWEEP_GRACE = timedelta(hours=1)
SWEEP_BATCH = 500  # hashes per look-up, well under every database's limit of parameters
TYPE_CHECK = "content_type IN (" + ", ".join(repr(t) for t in ALLOWED_TYPES) + ")"


class StoredFile(Base):
    """One upload: which content (by hash), its type by content, who sent it and when."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(50))
    # Shown to people only; never used for a path or a type.
    original_name: Mapped[str] = mapped_column(String(255), default="")
    owner_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    __table_args__ = (CheckConstraint(TYPE_CHECK, name="content_type"),)

    @property
    def download_name(self) -> str:
        """The name offered on download: the sender's name with the extension of the real type."""
        stem = PurePath(self.original_name).stem or "file"
        return stem + EXTENSIONS[self.content_type]

    def path(self, storage_dir: Path) -> Path:
        """Where this file's (encrypted) content is on disk."""
        return blob_path(storage_dir, self.sha256)

    def read(self, storage_dir: Path) -> bytes:
        """The plain content (decrypted); FileNotFoundError when it is not on disk."""
        return read_blob(self.path(storage_dir))


def read_or_none(stored: StoredFile | None, storage_dir: Path) -> bytes | None:
    """A stored file's plain content; None without a row or when the content is gone from disk."""
    if stored is None:
        return None
    try:
        return stored.read(storage_dir)
    except FileNotFoundError:
        return None


def clean_name(name: str | None) -> str:
    """The file's own name without folders or control characters, short enough to show."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:NAME_LENGTH]


def store_bytes(
    session: Session,
    storage_dir: Path,
    data: bytes | Checked,
    *,
    original_name: str | None,
    owner_account_id: int | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> StoredFile:
    """Check the content (unless `check_upload` already did), write it once to disk and add
    its row (flush, never commit).

    Raises FileRefused when the content is not an acceptable JPEG, PNG or PDF.
    """
    if isinstance(data, Checked):
        data, content_type = data.data, data.content_type
        if len(data) > max_bytes:
            raise FileRefused(Refusal.TOO_LARGE, f"larger than {max_bytes} bytes")
    else:
        content_type = check_upload(data, max_bytes)
    sha256 = hashlib.sha256(data).hexdigest()
    write_blob(blob_path(storage_dir, sha256), data)
    row = StoredFile(
        sha256=sha256,
        size=len(data),
        content_type=content_type,
        original_name=clean_name(original_name),
        owner_account_id=owner_account_id,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def store_upload(
    session: Session,
    storage_dir: Path,
    upload: FileStorage,
    *,
    owner_account_id: int | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> StoredFile:
    """Store a file sent in a form (read from its start); see `store_bytes`."""
    upload.stream.seek(0)
    data = read_limited(upload.stream, max_bytes)
    return store_bytes(
        session,
        storage_dir,
        data,
        original_name=upload.filename,
        owner_account_id=owner_account_id,
        max_bytes=max_bytes,
    )


def sweep_orphans(
    session: Session, storage_dir: Path, grace: timedelta = timedelta(hours=1)
) -> int:
    """Delete stored content no row refers to (a rolled-back upload, a deleted row).

    Proofs are personal data: nothing may stay on disk without a row. Files younger than
    `grace` are left alone: a transaction about to commit may still add their row.
    Returns how many files were deleted.
    """
    old = stale_blobs(storage_dir, grace)
    names = [p.name for p in old if not p.name.startswith(TEMPORARY_PREFIX)]
    kept: set[str] = set()
    for start in range(0, len(names), SWEEP_BATCH):
        batch = names[start : start + SWEEP_BATCH]
        kept.update(session.scalars(select(StoredFile.sha256).where(StoredFile.sha256.in_(batch))))
    orphans = [p for p in old if p.name not in kept]
    for path in orphans:
        path.unlink(missing_ok=True)
    return len(orphans)


@register_file_access
def owner_policy(session: Session, file_id: int, viewer: Actor) -> bool | None:
    """The account that uploaded a file may see it; about other viewers it has no opinion."""
    if viewer.account_id is None:
        return None
    owner = session.scalar(select(StoredFile.owner_account_id).where(StoredFile.id == file_id))
    return True if owner is not None and owner == viewer.account_id else None
