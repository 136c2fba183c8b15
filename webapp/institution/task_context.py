"""What the institution-post task pages show beside their forms: the post as it stands."""

from __future__ import annotations

from domain.accounts import Account, Facility
from domain.institution_posts import InstitutionPost

from ..taskpages.routes import TASK_CONTEXT


def post_context(session, row, task_data: dict) -> dict:
    """The post (for the supervisor, and for the admin correcting it) and who wrote it."""
    post = session.get(InstitutionPost, task_data.get("inst_post_id"))
    if post is None:
        return {}
    return {
        "post": post,
        "author": session.get(Account, post.author_id),
        "facility": session.get(Facility, post.facility_id),
    }


TASK_CONTEXT["InstitutionPostApprovalForm"] = post_context
TASK_CONTEXT["InstitutionPostCorrectionForm"] = post_context
