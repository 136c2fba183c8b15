"""The job that prepares a filed post's photo, then lets the post's process go on to review.

Safely repeatable: the post row is locked and must still be waiting for its photo; processing is
deterministic and its results are stored once (see `tasks.photos.store_results`). A photo we
cannot use is an answer, not an error: the process sends the post back to the family. Anything
else (disk, database) raises and dramatiq retries it; when the last retry fails too, the post
goes back to the family the same way (`PHOTO_JOB_FAILED`), its text kept, rather than waiting
for ever. Once the photo is prepared, the family's original upload (with its EXIF and GPS) is
erased: only the cleaned photo and thumbnail are kept.
"""

from __future__ import annotations

import logging
from pathlib import Path

import dramatiq
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from domain.file_erasure import erase_files
from domain.files import StoredFile, storage_dir_for
from domain.photos import PhotoRefused, process_photo
from domain.posts import PHOTO_JOB_FAILED, Post, PostStatus
from workflows import EventNotExpected, InstanceNotFound

from . import runtime
from .broker import MAX_BACKOFF_MS, MAX_RETRIES, MIN_BACKOFF_MS, last_attempt
from .photos import store_results

log = logging.getLogger(__name__)


@dramatiq.actor(max_retries=MAX_RETRIES, min_backoff=MIN_BACKOFF_MS, max_backoff=MAX_BACKOFF_MS)
def prepare_post_photo(post_id: int) -> None:
    """Prepare the post's photo; on the last attempt a failure ends as a refused photo."""
    db, settings = runtime.current()
    try:
        _prepare(db, storage_dir_for(settings.instance_path), post_id)
    except Exception:
        if not last_attempt(prepare_post_photo):
            raise
        log.warning("photo job of post %s failed on its last attempt", post_id, exc_info=True)
        with db.transaction() as session:
            give_up_photo(session, post_id)


def _prepare(db, storage_dir: Path, post_id: int) -> None:
    """Process the post's upload outside any transaction, then store it and tell the process."""
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
        post = _waiting(session, post_id)
        if post is None:
            return  # a second delivery of this message, after the first one finished
        if processed is not None:
            source = session.get(StoredFile, post.upload_file_id)
            result = store_results(session, storage_dir, source, processed)
        if _tell_process(session, post_id, result) and processed is not None:
            _erase_original(session, storage_dir, post)


def give_up_photo(session: Session, post_id: int) -> bool:
    """End a photo job that cannot succeed: the post goes back to the family as a refused
    photo (they are told, their text is kept). False when the post no longer waits."""
    if _waiting(session, post_id) is None:
        return False
    return _tell_process(session, post_id, {"refused": PHOTO_JOB_FAILED})


def _waiting(session: Session, post_id: int) -> Post | None:
    """The post, locked, if it still waits for its photo."""
    post = session.scalars(select(Post).where(Post.id == post_id).with_for_update()).one_or_none()
    return post if post is not None and post.status == PostStatus.PROCESSING else None


def _erase_original(session: Session, storage_dir: Path, post: Post) -> None:
    """Erase the upload the photo was made from, unless another file row or post still uses it.

    The upload may carry EXIF and GPS; staff see only the photo and thumbnail made from it.
    """
    upload_id = post.upload_file_id
    if upload_id is None or upload_id in (post.photo_file_id, post.thumbnail_file_id):
        return  # the prepared photo is the very same content as the upload
    columns = (
        Post.upload_file_id,
        Post.photo_file_id,
        Post.thumbnail_file_id,
        Post.attachment_file_id,
    )
    others = session.scalar(
        select(Post.id).where(Post.id != post.id, or_(*(c == upload_id for c in columns))).limit(1)
    )
    if others is None:
        erase_files(session, storage_dir, [upload_id])


def _limits(post: Post) -> dict:
    return {"long_edge": post.photo_long_edge, "max_bytes": post.photo_max_bytes}


def _tell_process(session, post_id: int, result: dict) -> bool:
    """Hand the result to the post's process; False when it is not waiting for one."""
    try:
        runtime.get_engine().send_event(
            session, "photo_processed", result, correlation={"post_id": post_id}
        )
    except (InstanceNotFound, EventNotExpected):
        log.warning("post %s: its process is not waiting for a photo", post_id)
        return False
    return True
