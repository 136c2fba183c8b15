"""New instances take the newest deployed version; its hash is read once in a while, not by
every start, and a deploy through the engine's own store is taken at once."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.engine_support import ENGINE_BPMN, FAMILY, make_engine
from tests.sql_support import statements_run
from workflows import versions
from workflows.specs import read_folder


def changed_files() -> dict[str, str]:
    files = read_folder(ENGINE_BPMN)
    files["review.bpmn"] = files["review.bpmn"].replace('"P30D"', '"P14D"')
    return files


@pytest.fixture
def monotonic(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(versions.time, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def said(db):
    with statements_run(db.engine) as statements:
        yield statements


def newest_version_reads(said: list[str]) -> list[str]:
    return [s for s in said if "ORDER BY process_version.deployed_at DESC" in s]


def start(db, engine):
    instance = engine.start(db.session, "test_review", FAMILY, {"max_chars": 100}, facility_id=1)
    db.session.commit()
    return instance


def test_starts_read_the_newest_version_once_in_a_while(db, monotonic, said):
    engine = make_engine(db.session)
    db.remove()  # a session that deployed reads the current version each time (next test)
    first = start(db, engine)
    said.clear()
    second = start(db, engine)
    assert newest_version_reads(said) == [] and second.version_hash == first.version_hash

    with Session(db.engine) as other:  # another process (the CLI, another worker) deploys
        newer = make_engine(other, files=changed_files()).versions.current(other).hash
    said.clear()
    assert start(db, engine).version_hash == first.version_hash  # within the time it is trusted
    monotonic[0] += versions.CURRENT_FOR_SECONDS
    assert start(db, engine).version_hash == newer
    assert len(newest_version_reads(said)) == 1


def test_a_deploy_through_the_engine_is_taken_by_the_next_start(db, monotonic):
    engine = make_engine(db.session)
    db.remove()
    first = start(db, engine)
    newer = engine.versions.deploy(db.session, changed_files()).hash
    db.session.commit()
    assert newer != first.version_hash
    assert start(db, engine).version_hash == newer


def test_a_version_its_own_session_may_roll_back_is_not_kept_for_others(db, monotonic):
    engine = make_engine(db.session)
    db.remove()
    first = start(db, engine)
    engine.versions.deploy(db.session, changed_files())
    assert engine.versions.current(db.session).hash != first.version_hash  # its own, unsaved
    db.session.rollback()
    db.remove()
    assert start(db, engine).version_hash == first.version_hash
