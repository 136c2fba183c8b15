"""Where a family stands for posting in one book, read in one statement.

Filing a post is the service's hot path: the suspension, the restriction, the special project
and the last post that counts for the interval are scalar subqueries of one SELECT instead of
four round trips. Each subquery is its module's own query, so the rules stay in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from workflows.db import UTCDateTime

from .posts import Post, allowed_after, last_counted_post_query
from .roster import (
    TAIPEI,
    Restriction,
    active_restriction_query,
    local_today,
    restrictions_lift_on,
)
from .special_projects import SpecialProject, project_in_force_query
from .suspensions import Suspension, active_key, active_suspension_query


@dataclass(frozen=True)
class Standing:
    """What the posting rules need to know about the family, the person and the book now."""

    suspended_until: datetime | None  # None: not suspended
    restricted: bool
    project_id: int | None  # the special project in force, if any
    project_no_interval: bool
    project_max_chars: int | None
    last_post_at: datetime | None  # the last post that counts for the interval


@dataclass(frozen=True)
class Book:
    """The contact book a post is for, with its person."""

    id: int
    account_id: int
    facility_id: int
    inmate_id: int


def read_standing(
    session: Session,
    book: Book,
    *,
    today: date,
    now: datetime,
    rejected_uses_interval: bool,
    exclude: int | None = None,
) -> Standing:
    """The standing of `book`'s family at its person's facility, at `now` / `today`."""
    statement = _statement(rejected_uses_interval, exclude is not None)
    row = session.execute(
        statement,
        {
            "suspension_key": active_key(book.account_id, book.facility_id),
            "account_id": book.account_id,
            "facility_id": book.facility_id,
            "inmate_id": book.inmate_id,
            "book_id": book.id,
            "today": today,
            "now": now,
            "exclude": exclude,
        },
    ).one()
    return Standing(
        suspended_until=row[0],
        restricted=bool(row[1]),
        project_id=row[2],
        project_no_interval=bool(row[3]),
        project_max_chars=row[4],
        last_post_at=row[5],
    )


def refusal(
    session: Session, book: Book | None, standing: Standing | None, policy: dict, now: datetime
) -> tuple[str, datetime | None] | None:
    """Why the family may not post in `book` at `now`, and until when: (code, until) or None.

    The post process checks it before the family writes and again when it files; the post
    pages show it beforehand. `policy` holds the facility's interval_days (DMN).
    """
    if standing is None:
        return "book_inactive", None
    if standing.suspended_until is not None:
        return "suspended", standing.suspended_until
    if standing.restricted:
        day = restrictions_lift_on(session, book.inmate_id, local_today())
        return "restricted", datetime.combine(day, time(), TAIPEI) if day is not None else None
    if standing.project_id is not None and standing.project_no_interval:
        return None
    allowed_at = allowed_after(standing.last_post_at, policy["interval_days"])
    if allowed_at is not None and allowed_at > now:
        return "interval", allowed_at
    return None


@cache
def _statement(rejected_uses_interval: bool, excluding: bool) -> Select:
    """The standing's SELECT, built once per shape: building it cost 50 times running it."""
    suspension = active_suspension_query(bindparam("suspension_key"))
    restriction = active_restriction_query(bindparam("inmate_id"), bindparam("today"))
    project = project_in_force_query(
        bindparam("account_id"), bindparam("facility_id"), bindparam("now", type_=UTCDateTime())
    )
    last = last_counted_post_query(
        bindparam("book_id"), rejected_uses_interval, bindparam("exclude") if excluding else None
    )
    return select(
        suspension.with_only_columns(Suspension.ends_at).scalar_subquery(),
        restriction.with_only_columns(Restriction.id).exists(),
        project.with_only_columns(SpecialProject.id).scalar_subquery(),
        project.with_only_columns(SpecialProject.no_interval).scalar_subquery(),
        project.with_only_columns(SpecialProject.max_chars).scalar_subquery(),
        last.with_only_columns(Post.submitted_at).scalar_subquery(),
    )
