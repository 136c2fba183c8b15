"""The operations the institution-post BPMN calls: file (or refile) the post, decide, publish.

The process decides the order (admin writes → supervisor approves or sends back → published);
these operations only write what each step means for the post's row.
"""

from __future__ import annotations

from workflows.operations import context, operation

from . import links
from .audit import record_step
from .institution_posts import InstitutionPost, InstitutionPostStatus, month_of
from .notify import notify_institution_post


@operation
def file_institution_post(facility_id: int, author_id: int, entry: dict, post_id=None) -> int:
    """File the admin's post for approval, or refile it corrected; returns its id."""
    ctx = context()
    row = ctx.session.get(InstitutionPost, post_id) if post_id else None
    if row is None:
        row = InstitutionPost(facility_id=facility_id, author_id=author_id)
        ctx.session.add(row)
    row.title, row.body = entry["title"], entry["body"]
    row.photo_file_id = entry.get("photo_file_id")
    row.attachment_file_id = entry.get("attachment_file_id")
    row.status, row.submitted_at = InstitutionPostStatus.PENDING, ctx.now
    row.instance_id = ctx.instance.id
    ctx.session.flush()
    ctx.set_owner(facility_id=facility_id)
    ctx.set_subject(f"institution_post:{row.id}", row.title)
    return row.id


@operation
def decide_institution_post(post_id: int, approval: dict) -> bool:
    """Record the supervisor's decision; True when approved. A rejection keeps its reason."""
    ctx = context()
    row = ctx.session.get(InstitutionPost, post_id)
    approved = approval["decision"] == "approve"
    row.decided_at, row.decided_by = ctx.now, ctx.actor.account_id
    row.reason = "" if approved else approval.get("reason", "")
    action = "institution_post.approve" if approved else "institution_post.reject"
    record_step(action, "institution_post", row.id, row.facility_id, after={"reason": row.reason})
    if not approved:
        row.status = InstitutionPostStatus.REJECTED
    return approved


@operation
def publish_institution_post(post_id: int) -> None:
    """Publish: families of the facility see it from now, under this month (發佈年月)."""
    ctx = context()
    row = ctx.session.get(InstitutionPost, post_id)
    row.status = InstitutionPostStatus.PUBLISHED
    row.published_at, row.published_month = ctx.now, month_of(ctx.now)
    # Families who opted in hear of it (the notice is opt-in: see notice preferences).
    notify_institution_post(
        ctx.session, row.facility_id, row.title, links.url(f"/institution-book/{row.id}")
    )
