"""What code says to the database: the SQL statements a block of a test runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements_run(engine, *, with_parameters: bool = False) -> Iterator[list]:
    """The statements `engine` runs inside the block, in order: their SQL, or with
    `with_parameters` (SQL, parameters) pairs (to EXPLAIN them, say)."""
    said: list = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        said.append((statement, parameters) if with_parameters else statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield said
    finally:
        event.remove(engine, "before_cursor_execute", record)


def selects(statements: list[str]) -> list[str]:
    """The reads among them."""
    return [s for s in statements if s.lstrip().startswith("SELECT")]
