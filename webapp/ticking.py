"""One tick: fire due BPMN timers, re-send mail a broker outage held back, and queue the
reviewers' daily digest (once a day, however often it ticks)."""

from __future__ import annotations

from flask import Flask

from domain.review_digest import send_review_digests
from tasks.runtime import sweep_outbox, sweep_photo_jobs
from workflows.clock import clock


def tick_once(app: Flask) -> tuple[list[int], int]:
    """Advance due instances, sweep the outbox and photo jobs, queue due digests: one
    transaction."""
    db, engine = app.extensions["db"], app.extensions["engine"]
    try:
        with db.transaction() as session:
            advanced = engine.tick(session)
            swept = sweep_outbox(session) + sweep_photo_jobs(session)
            send_review_digests(session, clock.now())
    finally:
        db.remove()
    return advanced, swept
