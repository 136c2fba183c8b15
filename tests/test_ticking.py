"""The periodic tick runs each job in its own transaction: one failing job stops no other."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from domain.accounts import Account
from tests.conftest import read
from tests.web_support import register
from webapp import ticking
from workflows import clock


def fail(*_args, **_kwargs):
    raise RuntimeError("王小明 A123456789")  # stands for personal data in an error message


def test_failing_timers_do_not_stop_the_other_jobs(app, monkeypatch, caplog):
    ran = []
    monkeypatch.setattr(app.extensions["engine"], "tick", fail)
    jobs = (
        "sweep_outbox",
        "sweep_photo_jobs",
        "expire_proofs",
        "expire_unfiled_uploads",
        "send_review_digests",
    )
    for name in jobs:
        monkeypatch.setattr(ticking, name, lambda *_a, name=name: ran.append(name) or 0)
    assert ticking.tick_once(app) == ([], 0, ["timers"])
    assert ran == list(jobs)
    assert "tick job timers failed (RuntimeError)" in caplog.text
    assert "王小明" not in caplog.text and "A123456789" not in caplog.text


def test_a_failing_job_keeps_the_timers_step(app, client, monkeypatch, caplog):
    caplog.set_level(logging.ERROR)
    register(client)
    clock.advance(timedelta(minutes=11))  # the verification link's 10 minutes are up
    monkeypatch.setattr(ticking, "sweep_outbox", fail)
    advanced, _swept, failed = ticking.tick_once(app)
    assert failed == ["outbox"]
    assert len(advanced) == 1
    [account] = read(app, select(Account))
    assert account.verification_nonce is None  # the link expired, committed
    assert "tick job outbox failed (RuntimeError)" in caplog.text


def test_retention_jobs_run_once_an_hour_and_again_after_a_failure(app, monkeypatch):
    ran = []
    outcomes = iter([RuntimeError("disk"), 0, 0])

    def expire_uploads(*_args):
        ran.append(clock.now())
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(ticking, "expire_unfiled_uploads", expire_uploads)
    clock.freeze(clock.now())
    first = ticking.tick_once(app)
    assert first.failed == ["upload retention"]
    clock.advance(timedelta(seconds=30))
    assert ticking.tick_once(app).failed == []  # a failed run is tried again next tick
    clock.advance(timedelta(minutes=59))
    ticking.tick_once(app)  # within the hour of the last run: the search is skipped
    clock.advance(timedelta(minutes=1))
    ticking.tick_once(app)
    assert len(ran) == 3 and ran[2] - ran[1] == timedelta(hours=1)
