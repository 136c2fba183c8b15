"""What the post task pages show beside their forms: the rules, the post, the family's history."""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from domain.accounts import Account, Facility
from domain.applications import ContactBook, book_relationship
from domain.posts import Post, allowed_after, character_count, rejections_since
from domain.roster import Inmate, Restriction
from domain.suspensions import active_suspension, last_lifted_at
from workflows import clock

from ..taskpages.routes import TASK_CONTEXT
from . import bp
from .overview import posting_refusals
from .texts import refusal_text

HISTORY_LENGTH = 10


def compose_context(session, row, task_data: dict) -> dict:
    """The recipient and the rules, before the family types anything.

    Read now, not when the process started: a compose page left open (or opened twice) after
    another post was sent must say so before the family writes a text it could not send.
    """
    posting = task_data.get("posting", {})
    refused_now = None
    book = session.get(ContactBook, task_data.get("book_id"))
    if book is not None and not task_data.get("post_id"):  # a refiled post counts itself
        found = posting_refusals(session, [book]).get(book.id)
        refused_now = refusal_text(*found) if found else None
    interval = task_data.get("interval_days")
    return {
        "refused_now": refused_now,
        "recipient": task_data.get("opened", {}).get("recipient", ""),
        "next_after_this": allowed_after(clock.now(), interval) if interval else None,
        "interval_days": task_data.get("interval_days"),
        "rejections": posting.get("rejections", 0),
        "threshold": task_data.get("rejection_threshold"),
        "special_project": posting.get("special_project", False),
    }


def review_context(session, row, task_data: dict) -> dict:
    """The post, its family, its person, and the family's earlier posts in this book."""
    post = session.get(Post, task_data.get("post_id"))
    if post is None:
        return {}
    book = session.get(ContactBook, post.book_id)
    # Sent before this one (a later post is not its history; the inbox has it).
    earlier = or_(
        Post.submitted_at < post.submitted_at,
        and_(Post.submitted_at == post.submitted_at, Post.id < post.id),
    )
    history = session.scalars(
        select(Post)
        .where(Post.book_id == post.book_id, earlier)
        .order_by(Post.submitted_at.desc(), Post.id.desc())
        .limit(HISTORY_LENGTH)
    ).all()
    return {
        "post": post,
        "family": session.get(Account, post.account_id),
        "inmate": session.get(Inmate, post.inmate_id),
        "facility": session.get(Facility, post.facility_id),
        "book": book,
        "relationship": book_relationship(session, book),
        "history": history,
        # Counted as the suspension counts them: at the facility, since the last suspension.
        "rejections": rejections_since(
            session,
            post.account_id,
            post.facility_id,
            last_lifted_at(session, post.account_id, post.facility_id),
        ),
        "threshold": task_data.get("rejection_threshold"),
        "suspension": active_suspension(session, post.account_id, post.facility_id),
        "restrictions": list(
            session.scalars(
                select(Restriction)
                .where(Restriction.inmate_id == post.inmate_id)
                .order_by(Restriction.starts_on)
            )
        ),
    }


def delivery_context(session, row, task_data: dict) -> dict:
    """The approved post and whom it goes to."""
    post = session.get(Post, task_data.get("post_id"))
    if post is None:
        return {}
    return {"post": post, "inmate": session.get(Inmate, post.inmate_id)}


TASK_CONTEXT["PostComposeForm"] = compose_context
TASK_CONTEXT["PostReviewForm"] = review_context
TASK_CONTEXT["PostDeliveryForm"] = delivery_context


@bp.app_template_filter("graphemes")
def graphemes(text: str) -> int:
    """Characters as a person counts them, for the counter's first figure (before any script)."""
    return character_count((text or "").strip())
