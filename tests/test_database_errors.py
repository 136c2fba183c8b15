"""A database error names the statement, never the values bound to it: they reach logs and
incident messages, and may be task data or personal data."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError


def test_a_database_error_leaves_out_the_values_of_its_statement(db):
    session = db.session
    with pytest.raises(DBAPIError) as caught:
        session.execute(
            text("SELECT no_such_column FROM process_instance WHERE state = :state"),
            {"state": "A123456789"},
        )
    session.rollback()
    assert "no_such_column" in str(caught.value)  # the statement is still named
    assert "A123456789" not in str(caught.value)
