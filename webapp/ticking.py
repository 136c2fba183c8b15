"""One tick: fire due BPMN timers, re-send mail a broker outage held back, expire old proofs,
and queue the reviewers' daily digest (once a day, however often it ticks)."""

from __future__ import annotations

from flask import Flask

from domain.file_store import storage_dir_for
from domain.proof_retention import expire_proofs
from domain.review_digest import send_review_digests
from tasks.runtime import sweep_outbox, sweep_photo_jobs
from workflows.clock import clock
from workflows.decisions import evaluate

RETENTION_PROCESS = "proof_retention"


def tick_once(app: Flask) -> tuple[list[int], int]:
    """Advance due instances, sweep the outbox and photo jobs, erase expired proofs and queue due
    digests, in one transaction."""
    db, engine = app.extensions["db"], app.extensions["engine"]
    storage_dir = storage_dir_for(app.extensions["settings"].instance_path)
    try:
        with db.transaction() as session:
            advanced = engine.tick(session)
            swept = sweep_outbox(session) + sweep_photo_jobs(session)

            def retention_days(code: str) -> int:
                rules = evaluate(engine, session, RETENTION_PROCESS, {"facility": code}, code)
                return int(rules["proof_retention_days"])

            expire_proofs(session, storage_dir, retention_days)
            send_review_digests(session, clock.now())
    finally:
        db.remove()
    return advanced, swept
