"""Who may see a post's or a reply's files: the family of the book, and its facility's staff."""

from __future__ import annotations

from sqlalchemy import or_, select

from .applications import ContactBook
from .files import register_file_access
from .posts import Post
from .replies import InmateReply
from .roster import Inmate

STAFF_ROLES = frozenset({"reviewer", "supervisor", "facility_admin"})


def post_file_access(session, file_id: int, viewer) -> bool | None:
    """True for the poster and the facility's staff (see _may_see); None when no post holds it."""
    posts = session.scalars(
        select(Post).where(
            or_(
                Post.upload_file_id == file_id,
                Post.photo_file_id == file_id,
                Post.thumbnail_file_id == file_id,
                Post.attachment_file_id == file_id,
            )
        )
    ).all()
    if not posts:
        return None
    return any(_may_see(post, file_id, viewer) for post in posts)


def _may_see(post: Post, file_id: int, viewer) -> bool:
    """The poster sees every file of the post; staff only what they deliver.

    The upload as sent (kept until its photo is prepared, or after a refused photo) may carry
    EXIF and GPS: staff see the photo and thumbnail made from it, or the PDF attached.
    """
    if viewer.account_id is not None and viewer.account_id == post.account_id:
        return True
    if not (viewer.roles & STAFF_ROLES and viewer.facility_id == post.facility_id):
        return False
    return file_id in (post.photo_file_id, post.thumbnail_file_id, post.attachment_file_id)


register_file_access(post_file_access)


def reply_file_access(session, file_id: int, viewer) -> bool | None:
    """A reply's scan: the book's family and the facility's staff; None for other files."""
    rows = session.execute(
        select(ContactBook.account_id, Inmate.facility_id)
        .join(InmateReply, InmateReply.book_id == ContactBook.id)
        .join(Inmate, Inmate.id == ContactBook.inmate_id)
        .where(InmateReply.scan_file_id == file_id)
    ).all()
    if not rows:
        return None
    return any(
        (viewer.account_id is not None and viewer.account_id == account_id)
        or (viewer.roles & STAFF_ROLES and viewer.facility_id == facility_id)
        for account_id, facility_id in rows
    )


register_file_access(reply_file_access)
