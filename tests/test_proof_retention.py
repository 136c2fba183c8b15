"""Proofs are erased the policy's number of days (retention_policy.dmn: 90) after the decision."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.applications import Application, ApplicationDocument
from domain.files import storage_dir_for
from tests.application_support import open_tasks
from tests.conftest import read
from tests.post_support import decide, staff
from tests.privacy_support import build, stored
from webapp.ticking import tick_once
from workflows import clock
from workflows.decisions import evaluate


def test_the_policy_comes_from_the_dmn_table(app):
    database, engine = app.extensions["db"], app.extensions["engine"]
    try:
        rules = evaluate(engine, database.session, "proof_retention", {"facility": "dunpin-school"})
    finally:
        database.remove()
    assert rules["proof_retention_days"] == 90


def test_proofs_go_90_days_after_the_decision_not_before_nor_while_in_review(app):
    world = build(app)
    paths = [
        f.path(storage_dir_for(app.extensions["settings"].instance_path))
        for f in stored(app, world.proof_ids)
    ]
    clock.advance(timedelta(days=120))  # in review all this time: kept
    tick_once(app)
    assert len(stored(app, world.proof_ids)) == 2
    [review] = open_tasks(app, lane="Reviewer", process_id="service_application")
    assert decide(staff(app, "reviewer", "dunpin"), review.task_guid, "approve").status_code == 302

    clock.advance(timedelta(days=89))
    tick_once(app)
    assert len(stored(app, world.proof_ids)) == 2 and all(p.is_file() for p in paths)

    clock.advance(timedelta(days=2))
    tick_once(app)
    assert stored(app, world.proof_ids) == []
    assert not any(p.is_file() for p in paths)
    assert (
        read(
            app, select(ApplicationDocument).where(ApplicationDocument.file_id.in_(world.proof_ids))
        )
        == []
    )
    [application] = read(app, select(Application).where(Application.id == world.application_id))
    assert application.status == "approved" and application.proofs_erased_at is not None
    assert world.family.get(f"/files/{world.proof_ids[0]}").status_code == 404
