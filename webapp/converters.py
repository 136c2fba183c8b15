"""URL converters: an `<int:…>` in a route is a database id, and only ids the database holds match.

Werkzeug's `int` takes any number of digits; a crafted 20-digit id then reached the database
and failed there (SQLite: "too large to convert", PostgreSQL: "out of range for integer"),
a 500 instead of the 404 of an id that does not exist.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # every id column is the databases' 32-bit INTEGER


class DatabaseId(IntegerConverter):
    """`<int:…>` limited to 0..MAX_ID: a larger number matches no route (404)."""

    def __init__(self, url_map, **options) -> None:
        options.setdefault("max", MAX_ID)
        super().__init__(url_map, **options)


def init_app(app: Flask) -> None:
    """Replace the `int` converter before any blueprint adds its routes."""
    app.url_map.converters["int"] = DatabaseId
