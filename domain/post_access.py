"""Who may see a post's files: the family that posted it, and staff of the post's facility."""

from __future__ import annotations

from sqlalchemy import or_, select

from .files import register_file_access
from .posts import Post

STAFF_ROLES = frozenset({"reviewer", "supervisor", "facility_admin"})


def post_file_access(session, file_id: int, viewer) -> bool | None:
    """True for the poster and the facility's staff; None when no post holds the file."""
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
    return any(
        (viewer.account_id is not None and viewer.account_id == p.account_id)
        or (viewer.roles & STAFF_ROLES and viewer.facility_id == p.facility_id)
        for p in posts
    )


register_file_access(post_file_access)
