"""Row ids in addresses: `<int:...>` matches only numbers an id column can hold.

Werkzeug's `int` converter takes any run of digits; past 2**31 - 1 (PostgreSQL's Integer) the
look-up fails as a whole (a 500, and past 2**63 on SQLite too). No row has such an id, so the
address is simply not found (404), like any other id that names nothing.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest value of an Integer column on PostgreSQL


def id_arg(text: str) -> int | None:
    """A row id typed in a query string (a filter's value), or None when it cannot be one:
    not plain digits, or past what an id column holds (the query would fail as a whole)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """Werkzeug's `int`, with MAX_ID as its default upper bound."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Use IdConverter for `<int:...>`; before any blueprint adds its rules."""
    app.url_map.converters["int"] = IdConverter
