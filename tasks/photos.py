"""The job that turns an uploaded photo into the photo and thumbnail the reviewer and staff see.

Safely repeatable: processing is deterministic, and the results are stored content-addressed,
so a second run finds the rows of the first (same hash, same owner) instead of adding new ones.
The actor returns a small JSON mapping so a pipeline can hand it to the post's next step:
`pipeline([process_stored_photo.message(file_id, 2048), <post step>.message(post_id)])`.
A photo we cannot use is an answer, not an error: it is returned as {"refused": code, ...}
and never retried; anything else (disk, database) raises and dramatiq retries it.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import dramatiq
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.files import StoredFile, storage_dir_for, store_bytes
from domain.photos import MAX_BYTES, PhotoRefused, ProcessedPhoto, process_photo

from . import runtime
from .broker import MAX_BACKOFF_MS, MAX_RETRIES, MIN_BACKOFF_MS

log = logging.getLogger(__name__)

DEFAULT_LONG_EDGE = 2048
THUMB_EDGE = 320
MISSING = {"refused": "missing", "message": "the uploaded file no longer exists"}


@dramatiq.actor(max_retries=MAX_RETRIES, min_backoff=MIN_BACKOFF_MS, max_backoff=MAX_BACKOFF_MS)
def process_stored_photo(stored_file_id: int, long_edge: int = DEFAULT_LONG_EDGE) -> dict[str, Any]:
    """Process one stored upload and store the results; returns their ids, or the refusal.

    The decoding runs outside any transaction: on SQLite an open write transaction would hold
    the database's only write lock for the whole job.
    """
    db, settings = runtime.current()
    storage_dir = storage_dir_for(settings.instance_path)
    with db.transaction() as session:
        source = session.get(StoredFile, stored_file_id)
        data = source.read(storage_dir) if source is not None else None
    if data is None:
        log.info("stored file %s does not exist; no photo to process", stored_file_id)
        return dict(MISSING)
    try:
        processed = process_photo(data, long_edge=long_edge)
    except PhotoRefused as refusal:
        log.info("photo %s refused: %s", stored_file_id, refusal.code)
        return {"refused": refusal.code, "message": refusal.message_en}
    with db.transaction() as session:
        source = session.scalars(
            # Locked: two deliveries of one message store one after the other, the second
            # finding the rows of the first.
            select(StoredFile).where(StoredFile.id == stored_file_id).with_for_update()
        ).one_or_none()
        if source is None:
            return dict(MISSING)
        return store_results(session, storage_dir, source, processed)


def store_processed_photo(
    session: Session,
    storage_dir: Path,
    source: StoredFile,
    *,
    long_edge: int = DEFAULT_LONG_EDGE,
    max_bytes: int = MAX_BYTES,
    thumb_edge: int = THUMB_EDGE,
) -> dict[str, Any]:
    """Process `source`'s bytes and store photo and thumbnail once (flush, never commit).

    For a caller already inside a transaction. Raises PhotoRefused when the content cannot be
    used as a photo.
    """
    processed = process_photo(
        source.read(storage_dir),
        long_edge=long_edge,
        max_bytes=max_bytes,
        thumb_edge=thumb_edge,
    )
    return store_results(session, storage_dir, source, processed)


def store_results(
    session: Session, storage_dir: Path, source: StoredFile, processed: ProcessedPhoto
) -> dict[str, Any]:
    """Store a processed photo and its thumbnail as the source owner's files, each once."""
    photo = _store_once(session, storage_dir, processed.photo, source, "")
    thumb = _store_once(session, storage_dir, processed.thumbnail, source, "-thumb")
    return {
        "photo_file_id": photo.id,
        "thumbnail_file_id": thumb.id,
        "content_type": processed.content_type,
        "width": processed.width,
        "height": processed.height,
    }


def _store_once(
    session: Session, storage_dir: Path, data: bytes, source: StoredFile, suffix: str
) -> StoredFile:
    """The row holding exactly `data` for the source's owner, made only if none exists yet."""
    existing = session.scalars(
        select(StoredFile)
        .where(
            StoredFile.sha256 == hashlib.sha256(data).hexdigest(),
            StoredFile.owner_account_id == source.owner_account_id,
        )
        .order_by(StoredFile.id)
        .limit(1)
    ).first()
    if existing is not None:
        return existing
    stem = Path(source.original_name).stem or "photo"
    return store_bytes(
        session,
        storage_dir,
        data,
        original_name=stem + suffix,
        owner_account_id=source.owner_account_id,
        max_bytes=max(len(data), MAX_BYTES),  # process_photo already kept it within its limit
    )
