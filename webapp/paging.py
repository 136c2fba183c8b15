"""The `page` of a paged list, read from the query string."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

MAX_PAGE = 10_000  # a deeper offset is a typo or a probe, never a person paging


def page_arg(args: MultiDict) -> int:
    """The page asked for, 1 when it is not a number, kept between 1 and MAX_PAGE: a huge page
    would overflow the database's OFFSET (bigint on PostgreSQL, 64 bits on SQLite)."""
    return min(max(args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
