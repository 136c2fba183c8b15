"""One tick: fire due BPMN timers, re-send mail a broker outage held back, expire old proofs and
uploads never filed, and queue the reviewers' daily digest (once a day, however often it ticks).

Each job has its own transaction: one that fails is logged and retried next tick, and never
keeps the others (timers, mail) from running. The retention jobs count their periods in days
but search every stored file (about 0.2 s on SQLite with 300,000 files), so they run once an
hour, not on every tick; each process keeps its own hour.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

from flask import Flask

from domain.file_store import storage_dir_for
from domain.proof_retention import expire_proofs
from domain.review_digest import send_review_digests
from domain.upload_retention import expire_unfiled_uploads
from tasks.runtime import sweep_outbox, sweep_photo_jobs
from workflows.clock import clock
from workflows.decisions import evaluate

log = logging.getLogger(__name__)
RETENTION_PROCESS = "proof_retention"
UPLOAD_RETENTION_PROCESS = "upload_retention"
HOURLY = timedelta(hours=1)
# app.extensions key: job name -> when it last ran to the end (in this process).
LAST_RUN_KEY = "tick_last_runs"


class Tick(NamedTuple):
    """What one tick did: instances advanced, messages re-sent, and the jobs that failed."""

    advanced: list[int]
    swept: int
    failed: list[str]


def tick_once(app: Flask) -> Tick:
    """Advance due instances, sweep the outbox and photo jobs, erase expired proofs and unfiled
    uploads, and queue due digests."""
    db, engine = app.extensions["db"], app.extensions["engine"]
    failed: list[str] = []
    storage_dir = storage_dir_for(app.extensions["settings"].instance_path)

    def retention_days(session, code: str) -> int:
        rules = evaluate(engine, session, RETENTION_PROCESS, {"facility": code}, code)
        return int(rules["proof_retention_days"])

    def unfiled_upload_days(session) -> int:
        rules = evaluate(engine, session, UPLOAD_RETENTION_PROCESS, {})
        return int(rules["unfiled_upload_days"])

    last_runs = app.extensions.setdefault(LAST_RUN_KEY, {})

    def run(name: str, job: Callable, default, every: timedelta | None = None):
        started = clock.now()
        last = last_runs.get(name)
        if every is not None and last is not None and last <= started < last + every:
            return default
        try:
            with db.transaction() as session:
                result = job(session)
            last_runs[name] = started
            return result
        except Exception as exc:  # the next tick retries it; the other jobs still run
            # The job's name and the error's type only: messages may quote personal data.
            log.error("tick job %s failed (%s)", name, type(exc).__name__)
            failed.append(name)
            return default
        finally:
            db.remove()

    advanced = run("timers", engine.tick, [])
    swept = run("outbox", sweep_outbox, 0) + run("photo jobs", sweep_photo_jobs, 0)
    run(
        "proof retention",
        lambda s: expire_proofs(s, storage_dir, lambda code: retention_days(s, code)),
        0,
        HOURLY,
    )
    run(
        "upload retention",
        lambda s: expire_unfiled_uploads(s, storage_dir, unfiled_upload_days(s)),
        0,
        HOURLY,
    )
    run("review digests", lambda s: send_review_digests(s, clock.now()), 0)
    return Tick(advanced, swept, failed)
