"""The operations the post BPMN calls: open, check, file, take the photo's result, decide, deliver.

The per-facility numbers (interval, text limit, photo rules, threshold) come from
facility_policy.dmn through task data; these operations add what needs the database: the
contact book, the posts so far, suspensions, restrictions and special projects.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select, bindparam, select

from workflows.operations import context, operation

from . import links
from .accounts import Account, Facility
from .applications import ContactBook
from .audit import record_step
from .file_checks import PDF
from .files import StoredFile
from .notice_render import InEach, reason_in_each
from .notifications import register_for_dispatch
from .notify import notify_account
from .posting_standing import Book, Standing, read_standing, refusal
from .posts import POST_PHOTO_JOB, Post, PostStatus, allowed_after, rejections_since
from .roster import TAIPEI, Inmate, local_today
from .suspensions import active_suspension, last_lifted_at

POSTS_LINK = "/posts"


def _book(book_id: int, account_id: int, *, lock: bool = False) -> Book | None:
    """The family's active contact book with this id and its person's facility, or None.

    `lock` locks the book row (PostgreSQL: FOR UPDATE; SQLite: one writer at a time), so of
    several submissions at once exactly one finds the interval free.
    """
    found = (
        context()
        .session.execute(_book_statement(lock), {"book_id": book_id, "account_id": account_id})
        .one_or_none()
    )
    return Book(*found) if found is not None else None


@cache
def _book_statement(lock: bool) -> Select:
    """Built once (a post's filing is the hot path; building cost more than running)."""
    query = (
        select(ContactBook.id, ContactBook.account_id, Inmate.facility_id, ContactBook.inmate_id)
        .join(Inmate, Inmate.id == ContactBook.inmate_id)
        .where(
            ContactBook.id == bindparam("book_id"),
            ContactBook.account_id == bindparam("account_id"),
            ContactBook.status == "active",
        )
    )
    return query.with_for_update(of=ContactBook) if lock else query


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


def _standing(book: Book | None, policy: dict, exclude: int | None = None) -> Standing | None:
    """The family's standing for this book (None when the book is not theirs or not active)."""
    if book is None:
        return None
    ctx = context()
    return read_standing(
        ctx.session,
        book,
        today=local_today(),
        now=ctx.now,
        rejected_uses_interval=policy["rejected_uses_interval"],
        exclude=exclude,
    )


def _refusal(book: Book | None, standing: Standing | None, policy: dict):
    """Why this family may not post in this book now, and until when: (code, until) or None."""
    ctx = context()
    return refusal(ctx.session, book, standing, policy, ctx.now)


@operation
def check_posting(account_id: int, book_id: int, policy: dict) -> dict:
    """Whether the family may post now; the compose page shows the rest before they type."""
    ctx = context()
    book = _book(book_id, account_id)
    standing = _standing(book, policy)
    refusal = _refusal(book, standing, policy)
    result = {"allowed": refusal is None, "reason": None, "until": None}
    if refusal is not None:
        result["reason"], result["until"] = refusal[0], _iso(refusal[1])
    if book is None:
        return result
    since = last_lifted_at(ctx.session, account_id, book.facility_id)
    in_project = standing.project_id is not None
    result.update(
        rejections=rejections_since(ctx.session, account_id, book.facility_id, since),
        max_chars=(
            standing.project_max_chars
            if in_project and standing.project_max_chars
            else policy["max_chars"]
        ),
        special_project=in_project,
        # This post will hold the interval from about now, as filing counts it.
        next_after_this=_iso(allowed_after(ctx.now, policy["interval_days"])),
    )
    return result


@operation
def file_post(account_id: int, book_id: int, post: dict, policy: dict, post_id=None) -> dict:
    """File the post, or refile it after a refused photo; {'filed', 'reason', 'post_id'}.

    The contact book row is locked first (see _book).
    """
    ctx = context()
    book = _book(book_id, account_id, lock=True)
    standing = _standing(book, policy, exclude=post_id)
    refusal = _refusal(book, standing, policy)
    if refusal is not None:
        until = _iso(refusal[1])
        if post_id:
            _close_unsent(post_id)
        closed = bool(post_id)
        return {
            "filed": False,
            "reason": refusal[0],
            "until": until,
            "post_id": post_id,
            "closed": closed,
        }
    row = ctx.session.get(Post, post_id) if post_id else None
    if row is None:
        row = Post(account_id=account_id, book_id=book.id, inmate_id=book.inmate_id)
        row.facility_id = book.facility_id
    _fill(row, post, policy)
    ctx.session.add(row)
    ctx.session.flush()
    ctx.correlate(post_id=row.id)
    photo = row.status == PostStatus.PROCESSING
    if photo:
        row.job_touched_at = ctx.now
        register_for_dispatch(ctx.session, row.id, POST_PHOTO_JOB)
    return {"filed": True, "reason": None, "until": None, "post_id": row.id, "photo": photo}


@operation
def close_expired_draft(post_id=None) -> dict:
    """The family did not send the draft in time (the compose task's boundary timer): nothing
    is filed and nothing counts. A post that was back with the family (refused photo) is
    closed so it leaves 待審核; the outcome reads like a refused filing, reason 'draft_expired'."""
    if post_id:
        _close_unsent(post_id)
    return {
        "filed": False,
        "reason": "draft_expired",
        "until": None,
        "post_id": post_id,
        "closed": bool(post_id),
    }


def _close_unsent(post_id: int) -> None:
    """A post back with its family (refused photo) that may not be filed again now is closed:
    it leaves 待審核, and this process ends (the family sees why and the text it wrote)."""
    row = context().session.get(Post, post_id)
    row.status = PostStatus.WITHDRAWN
    record_step("post.close_unsent", "post", row.id, row.facility_id)


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
    row.reason, row.reason_code = review.get("reason", ""), review.get("reason_code", "")
    record_step(f"post.{review['decision']}", "post", row.id, row.facility_id, after=review)
    if approved:
        _notify_family(row, "post_approved")
    else:
        _notify_family(row, "post_rejected", reason=reason_in_each(review))
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
    """The post reached the person: 已送達 with the time and who recorded it (a staff account;
    None for the facility's feed), and the family is told."""
    ctx = context()
    row = ctx.session.get(Post, post_id)
    row.delivered_at, row.delivered_via = ctx.now, delivery.get("via", "staff")
    row.delivered_by = ctx.actor.account_id
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


def _notify_family(row: Post, kind: str, **extra: str | InEach) -> None:
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
