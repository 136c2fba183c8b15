"""The operations the post BPMN calls: open, check, file, take the photo's result, decide, deliver.

The per-facility numbers (interval, text limit, photo rules, threshold) come from
facility_policy.dmn through task data; these operations add what needs the database: the
contact book, the posts so far, suspensions, restrictions and special projects.
"""

from __future__ import annotations

from sqlalchemy import select

from workflows.operations import context, operation

from . import links
from .accounts import Account, Facility
from .applications import ContactBook
from .audit import record_step
from .file_checks import PDF
from .files import StoredFile
from .notifications import register_for_dispatch
from .notify import notify_account
from .posts import POST_PHOTO_JOB, Post, PostStatus, next_allowed_at, rejections_since
from .roster import TAIPEI, Inmate, active_restriction, local_today
from .special_projects import project_in_force
from .suspensions import active_suspension, last_lifted_at

POSTS_LINK = "/posts"


def _book(book_id: int, account_id: int) -> ContactBook | None:
    """The family's active contact book with this id, or None."""
    book = context().session.get(ContactBook, book_id)
    if book is None or book.account_id != account_id or book.status != "active":
        return None
    return book


@operation
def open_post(account_id: int, book_id: int) -> dict:
    """What the policy table needs (facility code, juvenile) and who the post is for."""
    ctx = context()
    book = _book(book_id, account_id)
    if book is None:
        return {"ok": False}
    inmate = ctx.session.get(Inmate, book.inmate_id)
    facility = ctx.session.get(Facility, inmate.facility_id)
    ctx.set_owner(account_id=account_id, facility_id=facility.id)
    ctx.set_subject(inmate.subject_key, inmate.display_label, inmate.call_number)
    return {
        "ok": True,
        "facility": facility.code,
        "facility_id": facility.id,
        "juvenile": bool(inmate.juvenile),
        "recipient": inmate.display_label,
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _refusal(account_id: int, book: ContactBook | None, policy: dict, exclude=None):
    """Why this family may not post in this book now, and until when: (code, until) or None."""
    ctx = context()
    if book is None:
        return "book_inactive", None
    inmate = ctx.session.get(Inmate, book.inmate_id)
    suspension = active_suspension(ctx.session, account_id, inmate.facility_id)
    if suspension is not None:
        return "suspended", suspension.ends_at
    restriction = active_restriction(ctx.session, inmate.id, local_today())
    if restriction is not None:
        return "restricted", None
    project = project_in_force(ctx.session, account_id, inmate.facility_id, ctx.now)
    if project is not None and project.no_interval:
        return None
    allowed_at = next_allowed_at(
        ctx.session,
        book.id,
        policy["interval_days"],
        policy["rejected_uses_interval"],
        exclude=exclude,
    )
    if allowed_at is not None and allowed_at > ctx.now:
        return "interval", allowed_at
    return None


@operation
def check_posting(account_id: int, book_id: int, policy: dict) -> dict:
    """Whether the family may post now; the compose page shows the rest before they type."""
    ctx = context()
    book = _book(book_id, account_id)
    refusal = _refusal(account_id, book, policy)
    result = {"allowed": refusal is None, "reason": None, "until": None}
    if refusal is not None:
        result["reason"], result["until"] = refusal[0], _iso(refusal[1])
    if book is None:
        return result
    facility_id = ctx.session.get(Inmate, book.inmate_id).facility_id
    project = project_in_force(ctx.session, account_id, facility_id, ctx.now)
    since = last_lifted_at(ctx.session, account_id, facility_id)
    later = next_allowed_at(
        ctx.session, book.id, policy["interval_days"], policy["rejected_uses_interval"]
    )
    result.update(
        rejections=rejections_since(ctx.session, account_id, facility_id, since),
        max_chars=(project.max_chars if project and project.max_chars else policy["max_chars"]),
        special_project=project is not None,
        next_after_this=_iso(later if later and later > ctx.now else ctx.now),
    )
    return result


@operation
def file_post(account_id: int, book_id: int, post: dict, policy: dict, post_id=None) -> dict:
    """File the post, or refile it after a refused photo; {'filed', 'reason', 'post_id'}.

    The contact book row is locked first, so of several submissions at once exactly one finds
    the interval free (PostgreSQL: FOR UPDATE; SQLite: one writer at a time).
    """
    ctx = context()
    book = ctx.session.scalars(
        select(ContactBook).where(ContactBook.id == book_id).with_for_update()
    ).one_or_none()
    if book is None or book.account_id != account_id or book.status != "active":
        book = None
    refusal = _refusal(account_id, book, policy, exclude=post_id)
    if refusal is not None:
        until = _iso(refusal[1])
        return {"filed": False, "reason": refusal[0], "until": until, "post_id": post_id}
    row = ctx.session.get(Post, post_id) if post_id else None
    if row is None:
        inmate = ctx.session.get(Inmate, book.inmate_id)
        row = Post(account_id=account_id, book_id=book.id, inmate_id=inmate.id)
        row.facility_id = inmate.facility_id
    _fill(row, post, policy)
    ctx.session.add(row)
    ctx.session.flush()
    ctx.correlate(post_id=row.id)
    photo = row.status == PostStatus.PROCESSING
    if photo:
        row.job_touched_at = ctx.now
        register_for_dispatch(ctx.session, row.id, POST_PHOTO_JOB)
    return {"filed": True, "reason": None, "until": None, "post_id": row.id, "photo": photo}


def _fill(row: Post, post: dict, policy: dict) -> None:
    """Write the family's entries onto the post: a photo waits for its job, a PDF does not."""
    ctx = context()
    upload_id = post.get("upload_file_id")
    upload = ctx.session.get(StoredFile, upload_id) if upload_id else None
    is_pdf = upload is not None and upload.content_type == PDF
    row.title, row.body = post["title"], post["body"]
    row.submitted_at, row.instance_id = ctx.now, ctx.instance.id
    row.upload_file_id = upload_id
    row.photo_file_id = row.thumbnail_file_id = None
    row.attachment_file_id = upload_id if is_pdf else None
    row.photo_error = ""
    row.photo_long_edge = policy["photo_long_edge"]
    row.photo_max_bytes = policy["photo_max_bytes"]
    photo = upload is not None and not is_pdf
    row.status = PostStatus.PROCESSING if photo else PostStatus.PENDING


@operation
def take_photo_result(post_id: int, photo_result: dict) -> bool:
    """Record what the photo job made; a refused photo sends the post back to the family."""
    ctx = context()
    row = ctx.session.get(Post, post_id)
    if photo_result.get("refused"):
        row.status, row.photo_error = PostStatus.PHOTO_REFUSED, photo_result["refused"]
        _notify_family(row, "photo_refused")
        return False
    row.photo_file_id = photo_result["photo_file_id"]
    row.thumbnail_file_id = photo_result["thumbnail_file_id"]
    row.status = PostStatus.PENDING
    return True


@operation
def decide_post(post_id: int, review: dict, policy: dict) -> dict:
    """Approve or reject; a rejection counts, and reaching the threshold asks for a suspension."""
    ctx = context()
    row = ctx.session.get(Post, post_id)
    approved = review["decision"] == "approve"
    row.status = PostStatus.APPROVED if approved else PostStatus.REJECTED
    row.decided_at, row.decided_by = ctx.now, ctx.actor.account_id
    row.reason = review.get("reason", "")
    record_step(f"post.{review['decision']}", "post", row.id, row.facility_id, after=review)
    if approved:
        _notify_family(row, "post_approved")
    else:
        _notify_family(row, "post_rejected", reason=row.reason)
    if approved:
        return {"approved": True, "rejections": 0, "suspend": False}
    ctx.session.flush()
    since = last_lifted_at(ctx.session, row.account_id, row.facility_id)
    count = rejections_since(ctx.session, row.account_id, row.facility_id, since)
    suspended = active_suspension(ctx.session, row.account_id, row.facility_id) is not None
    suspend = count >= policy["rejection_threshold"] and not suspended
    return {"approved": False, "rejections": count, "suspend": suspend}


@operation
def mark_delivered(post_id: int, delivery: dict) -> None:
    """The post reached the person: 已送達 with the time, and the family is told."""
    ctx = context()
    row = ctx.session.get(Post, post_id)
    row.delivered_at, row.delivered_via = ctx.now, delivery.get("via", "staff")
    record_step("post.deliver", "post", row.id, row.facility_id, after=delivery)
    when = ctx.now.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M")
    _notify_family(row, "post_delivered", when=when)


@operation
def request_suspension(
    account_id: int, facility_id: int, facility: str, rejections: int, policy: dict
) -> None:
    """Start the suspension process for this family at this facility (its own instance)."""
    context().start_process(
        "suspension",
        {
            "account_id": account_id,
            "facility_id": facility_id,
            "rejections": rejections,
            "suspension_period": policy["suspension_period"],
        },
        facility_id=facility_id,
        variant=facility,
    )


def _notify_family(row: Post, kind: str, **extra: str) -> None:
    """Tell the post's family, in the words of the facility's template for `kind`."""
    ctx = context()
    account = ctx.session.get(Account, row.account_id)
    values = {
        "name": account.name,
        "title": row.title,
        "label": ctx.instance.subject_label or "",
        "link": links.url(POSTS_LINK),
        **extra,
    }
    notify_account(ctx.session, account, kind, values, facility_id=row.facility_id)
