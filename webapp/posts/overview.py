"""A family's contact books and posts at a glance: for the post pages and the home page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.accounts import Facility
from domain.applications import ContactBook
from domain.posting_standing import Book, read_standing, refusal
from domain.posts import Post, PostStatus
from domain.roster import Inmate, local_today
from domain.suspensions import active_suspension
from workflows import clock
from workflows.decisions import evaluate

from ..extensions import get_engine
from ..i18n import facility_name

# The rule-only process that reads facility_policy.dmn outside a post's own process.
POLICY_PROCESS = "posting_policy"

# The family's post tabs: 待審核 / 審核通過 / 審核未通過 (a refused photo waits with the family).
TABS = {
    "pending": (PostStatus.PROCESSING, PostStatus.PENDING, PostStatus.PHOTO_REFUSED),
    "approved": (PostStatus.APPROVED,),
    "rejected": (PostStatus.REJECTED,),
}


@dataclass(frozen=True)
class BookLine:
    """One active contact book as the family sees it."""

    book: ContactBook
    label: str  # "2302 劉〇〇 · 雲林第二監獄"
    suspended_until: datetime | None


def active_books(session: Session, account_id: int) -> list[ContactBook]:
    """The family's active contact books, oldest first."""
    return list(
        session.scalars(
            select(ContactBook)
            .where(ContactBook.account_id == account_id, ContactBook.status == "active")
            .order_by(ContactBook.id)
        )
    )


def book_lines(session: Session, books: list[ContactBook]) -> list[BookLine]:
    """Each book with the person (call number, masked name), facility and any suspension."""
    lines = []
    for book in books:
        inmate = session.get(Inmate, book.inmate_id)
        facility = session.get(Facility, inmate.facility_id)
        suspension = active_suspension(session, book.account_id, facility.id)
        label = f"{inmate.display_label} · {facility_name(facility)}"
        lines.append(BookLine(book, label, suspension.ends_at if suspension else None))
    return lines


def posting_policy(session: Session, facility_code: str, juvenile: bool) -> dict:
    """facility_policy.dmn's row for this facility and juvenile status (the post's rules)."""
    return evaluate(
        get_engine(),
        session,
        POLICY_PROCESS,
        {"facility": facility_code, "juvenile": bool(juvenile)},
        facility_code,
    )


def posting_refusals(session: Session, books: list[ContactBook]) -> dict[int, tuple]:
    """Book id -> (reason code, until or None, the facility's interval days) for each book the
    family may not post in now.

    The same rule the post process applies when it starts, so the chooser shows the date first;
    the days let the message say how long the facility's interval is.
    """
    refused = {}
    now = clock.now()
    for book in books:
        inmate = session.get(Inmate, book.inmate_id)
        code = session.get(Facility, inmate.facility_id).code
        policy = posting_policy(session, code, inmate.juvenile)
        standing_of = Book(book.id, book.account_id, inmate.facility_id, inmate.id)
        standing = read_standing(
            session,
            standing_of,
            today=local_today(),
            now=now,
            rejected_uses_interval=policy["rejected_uses_interval"],
        )
        found = refusal(session, standing_of, standing, policy, now)
        if found is not None:
            refused[book.id] = (*found, policy["interval_days"])
    return refused


def tab_counts(session: Session, account_id: int) -> dict[str, int]:
    """How many of the family's posts each tab holds."""
    rows = session.execute(
        select(Post.status, func.count(Post.id))
        .where(Post.account_id == account_id)
        .group_by(Post.status)
    ).all()
    by_status = dict(rows)
    return {tab: sum(by_status.get(s, 0) for s in statuses) for tab, statuses in TABS.items()}
