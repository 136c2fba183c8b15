"""Who may see an institution post's photo and attachment: the facility's staff at any time (the
supervisor decides with the photo in view), its families once the post is published."""

from __future__ import annotations

from sqlalchemy import or_, select

from .files import register_file_access
from .institution_posts import (
    STAFF_ROLES,
    InstitutionPost,
    InstitutionPostStatus,
    family_facility_ids,
)


def institution_file_access(session, file_id: int, viewer) -> bool | None:
    """True for those who may read the post; None when no institution post holds the file."""
    posts = session.scalars(
        select(InstitutionPost).where(
            or_(
                InstitutionPost.photo_file_id == file_id,
                InstitutionPost.attachment_file_id == file_id,
            )
        )
    ).all()
    if not posts:
        return None
    if viewer.roles & STAFF_ROLES and any(p.facility_id == viewer.facility_id for p in posts):
        return True
    if "family" not in viewer.roles or viewer.account_id is None:
        return False
    facilities = set(family_facility_ids(session, viewer.account_id))
    return any(
        p.status == InstitutionPostStatus.PUBLISHED and p.facility_id in facilities for p in posts
    )


register_file_access(institution_file_access)
