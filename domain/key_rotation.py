"""`rotate-keys`: move every national ID and every stored file to the current key, in batches.

Each batch is its own transaction and records how far it got (`key_rotation`: one row per kind
of data and target key), so an interrupted run loses at most one batch and the next run goes on
from there. Old and new keys both decrypt meanwhile (ID_ENCRYPTION_OLD_KEYS,
FILE_ENCRYPTION_OLD_KEYS). The look-up hash of IDs does not change (see domain.crypto), so
finding an account by its ID works throughout. Nothing is logged but counts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.clock import clock
from workflows.db import Base, UTCDateTime

from . import crypto, file_crypto
from .accounts import Account
from .file_store import blob_path, replace_blob
from .files import StoredFile

NATIONAL_IDS = "national_id"
FILES = "files"
KINDS = (NATIONAL_IDS, FILES)


class KeyRotation(Base):
    """Progress of moving one kind of data to one key: the last row id done, and counts."""

    __tablename__ = "key_rotation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    target_key_id: Mapped[str] = mapped_column(String(20))
    last_row_id: Mapped[int] = mapped_column(Integer, default=0)
    rewritten: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("kind", "target_key_id"),)


def progress(session: Session, kind: str) -> KeyRotation:
    """The progress row of `kind` towards the current key (created on first use; flush)."""
    target = crypto.current_key_id() if kind == NATIONAL_IDS else file_crypto.current_key_id()
    row = session.scalar(
        select(KeyRotation).where(KeyRotation.kind == kind, KeyRotation.target_key_id == target)
    )
    if row is None:
        now = clock.now()
        row = KeyRotation(
            kind=kind, target_key_id=target, last_row_id=0, rewritten=0, started_at=now,
            updated_at=now,
        )  # fmt: skip
        session.add(row)
        session.flush()
    return row


def _id_batch(session: Session, after: int, size: int) -> tuple[int | None, int]:
    """Re-encrypt the IDs of the next `size` accounts after id `after`: (last id, rewritten)."""
    accounts = session.scalars(
        select(Account)
        .where(Account.id > after, Account.national_id_encrypted.is_not(None))
        .order_by(Account.id)
        .limit(size)
        .with_for_update()
    ).all()
    current, rewritten = crypto.current_key_id(), 0
    for account in accounts:
        if crypto.token_key_id(account.national_id_encrypted) != current:
            account.national_id_encrypted = crypto.encrypt_id(
                crypto.decrypt_id(account.national_id_encrypted)
            )
            rewritten += 1
    return (accounts[-1].id if accounts else None), rewritten


def _file_batch(storage_dir: Path, session: Session, after: int, size: int):
    """Re-seal the blobs of the next `size` file rows after id `after`: (last id, rewritten)."""
    rows = session.execute(
        select(StoredFile.id, StoredFile.sha256)
        .where(StoredFile.id > after)
        .order_by(StoredFile.id)
        .limit(size)
    ).all()
    current, rewritten = file_crypto.current_key_id(), 0
    for _row_id, sha256 in rows:
        path = blob_path(storage_dir, sha256)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            continue  # erased meanwhile: nothing to move
        if file_crypto.blob_key_id(blob[:64]) == current:
            continue
        replace_blob(path, file_crypto.seal(file_crypto.open_blob(blob, sha256), sha256))
        rewritten += 1
    return (rows[-1][0] if rows else None), rewritten


def rotate(
    transaction: Callable,
    kind: str,
    *,
    storage_dir: Path,
    batch_size: int = 200,
    max_batches: int | None = None,
) -> KeyRotation:
    """Run batches until done (or `max_batches`); `transaction()` opens one per batch.

    Returns a detached copy of the progress row.
    """
    batches, snapshot = 0, None
    while max_batches is None or batches < max_batches:
        with transaction() as session:
            row = progress(session, kind)
            if row.finished_at is not None:
                return _snapshot(row)
            if kind == NATIONAL_IDS:
                last, rewritten = _id_batch(session, row.last_row_id, batch_size)
            else:
                last, rewritten = _file_batch(storage_dir, session, row.last_row_id, batch_size)
            row.updated_at = clock.now()
            if last is None:
                row.finished_at = row.updated_at
            else:
                row.last_row_id, row.rewritten = last, row.rewritten + rewritten
            snapshot = _snapshot(row)
        batches += 1
        if snapshot.finished_at is not None:
            return snapshot
    if snapshot is None:
        with transaction() as session:
            snapshot = _snapshot(progress(session, kind))
    return snapshot


def _snapshot(row: KeyRotation) -> KeyRotation:
    """A plain copy that stays readable after its session closes."""
    return KeyRotation(
        kind=row.kind,
        target_key_id=row.target_key_id,
        last_row_id=row.last_row_id,
        rewritten=row.rewritten,
        started_at=row.started_at,
        updated_at=row.updated_at,
        finished_at=row.finished_at,
    )
