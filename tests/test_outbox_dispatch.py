"""The outbox hand-off is installed on every database the process opens, however many come
and go: the web app, each test and each CLI command open their own."""

from __future__ import annotations

import gc

from domain.notifications import register_for_dispatch
from tasks import runtime
from workflows.db import Database


def test_every_new_database_hands_its_jobs_over_on_commit(monkeypatch):
    # A session class's id() is reused once the class is collected; SQLAlchemy's
    # event.contains() then said "already listening" for a new database that was not.
    handed = []
    monkeypatch.setattr(runtime, "dispatch", lambda row_id, kind: handed.append(row_id))
    for number in range(80):
        db = Database("sqlite://")
        runtime.install_outbox_dispatch(db)
        runtime.install_outbox_dispatch(db)  # twice is harmless: still one hand-off
        with db.transaction() as session:
            register_for_dispatch(session, number)
        db.dispose()
        del db, session
        gc.collect(1)
        assert handed == list(range(number + 1)), f"database {number} handed nothing over"
