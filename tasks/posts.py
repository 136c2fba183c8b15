"""The job that prepares a filed post's photo, then lets the post's process go on to review.

Safely repeatable: the post row is locked and must still be waiting for its photo; processing is
deterministic and its results are stored once (see `tasks.photos.store_results`). A photo we
cannot use is an answer, not an error: the process sends the post back to the family. Anything
else (disk, database) raises and dramatiq retries it.
"""

from __future__ import annotations

import logging

import dramatiq
from sqlalchemy import select

from domain.files import StoredFile, storage_dir_for
from domain.photos import PhotoRefused, process_photo
from domain.posts import Post, PostStatus
from workflows import EventNotExpected, InstanceNotFound

from . import runtime
from .broker import MAX_BACKOFF_MS, MAX_RETRIES, MIN_BACKOFF_MS
from .photos import store_results

log = logging.getLogger(__name__)


@dramatiq.actor(max_retries=MAX_RETRIES, min_backoff=MIN_BACKOFF_MS, max_backoff=MAX_BACKOFF_MS)
def prepare_post_photo(post_id: int) -> None:
    """Process the post's upload outside any transaction, then store it and tell the process."""
    db, settings = runtime.current()
    storage_dir = storage_dir_for(settings.instance_path)
    with db.transaction() as session:
        post = session.get(Post, post_id)
        if post is None or post.status != PostStatus.PROCESSING:
            # A redelivered message after the first one finished; anything else is a bug.
            log.info("post %s is not waiting for its photo (%s)", post_id, post and post.status)
            return
        source = session.get(StoredFile, post.upload_file_id)
        data, limits = source.read(storage_dir), _limits(post)
    try:
        processed, result = process_photo(data, **limits), None
    except PhotoRefused as refusal:
        log.info("photo of post %s refused: %s", post_id, refusal.code)
        processed, result = None, {"refused": refusal.code}
    with db.transaction() as session:
        post = session.scalars(
            select(Post).where(Post.id == post_id).with_for_update()
        ).one_or_none()
        if post is None or post.status != PostStatus.PROCESSING:
            return  # a second delivery of this message, after the first one finished
        if processed is not None:
            source = session.get(StoredFile, post.upload_file_id)
            result = store_results(session, storage_dir, source, processed)
        _tell_process(session, post_id, result)


def _limits(post: Post) -> dict:
    return {"long_edge": post.photo_long_edge, "max_bytes": post.photo_max_bytes}


def _tell_process(session, post_id: int, result: dict) -> None:
    try:
        runtime.get_engine().send_event(
            session, "photo_processed", result, correlation={"post_id": post_id}
        )
    except (InstanceNotFound, EventNotExpected):
        log.warning("post %s: its process is not waiting for a photo", post_id)
