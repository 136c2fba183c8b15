"""One tick: fire due BPMN timers and re-send mail a broker outage held back."""

from __future__ import annotations

from flask import Flask

from tasks.runtime import sweep_outbox, sweep_photo_jobs


def tick_once(app: Flask) -> tuple[list[int], int]:
    """Advance due instances and sweep the outbox and photo jobs, in one transaction."""
    db, engine = app.extensions["db"], app.extensions["engine"]
    try:
        with db.transaction() as session:
            advanced = engine.tick(session)
            swept = sweep_outbox(session) + sweep_photo_jobs(session)
    finally:
        db.remove()
    return advanced, swept
