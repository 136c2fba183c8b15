"""Whatever fails in a step ends as an incident; timers are never stalled by one instance; a
task past its deadline cannot be completed before the tick has run."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select, update

from tests.engine_support import FAMILY, REVIEWER, Switch, make_engine, open_tasks
from workflows import TaskAlreadyCompleted, TaskExpired, clock
from workflows.models import HumanTask, InstanceStatus, ProcessInstance, TaskHistory, TaskStatus


def start_and_compose(session, engine, process_id="test_review", message="hello", **data):
    instance = engine.start(session, process_id, FAMILY, {"max_chars": 100, **data}, facility_id=1)
    [compose] = open_tasks(session, instance)
    engine.complete(session, compose.task_guid, FAMILY, {"message": message})
    return instance


def test_a_script_leaving_unstorable_data_is_an_incident_at_that_script(db):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine, "test_unstorable")
    assert instance.status == InstanceStatus.INCIDENT
    assert instance.incident_element == "u_keep"
    assert "'letters' cannot be stored" in instance.incident_error
    # As for any failed script: the family's form is recorded and not asked for again.
    assert session.scalar(select(func.count()).select_from(TaskHistory)) == 1
    assert open_tasks(session, instance) == []
    session.commit()
    assert json.loads(instance.state)  # the state written is the one before the script


def test_unstorable_data_made_in_place_keeps_the_last_saved_state_and_undoes_the_step(db):
    session = db.session
    engine = make_engine(session)
    instance = engine.start(session, "test_in_place", FAMILY, {"bag": [], "early": False})
    [compose] = open_tasks(session, instance)
    saved_state = instance.state
    session.commit()
    engine.complete(session, compose.task_guid, FAMILY, {"message": "x"})
    assert instance.status == InstanceStatus.INCIDENT
    assert instance.incident_element == "p_fill"
    assert instance.state == saved_state
    assert [t.id for t in open_tasks(session, instance)] == [compose.id]
    session.commit()
    # What the step wrote before the state failed went with it: a retry would write it again.
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ProcessInstance)) == 1
    assert instance.subject_key is None


def test_a_new_instance_whose_first_step_cannot_be_stored_keeps_its_start(db):
    session = db.session
    engine = make_engine(session)
    instance = engine.start(session, "test_in_place", FAMILY, {"bag": [], "early": True})
    assert instance.status == InstanceStatus.INCIDENT
    assert instance.incident_element == "p_early"
    session.commit()
    workflow = engine.runner.load(session, instance)
    assert workflow.task_tree.data == {"bag": [], "early": True}
    assert not workflow.get_tasks(state=TaskState.COMPLETED)


def test_any_exception_in_an_element_is_an_incident_at_that_element(db, monkeypatch):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine)
    [review] = open_tasks(session, instance)
    workflow = engine.runner.load(session, instance)
    gateway = type(workflow.spec.task_specs["decision"])

    def broken(self, task):
        raise RuntimeError("gateway offline")

    monkeypatch.setattr(gateway, "_run_hook", broken)
    engine.complete(session, review.task_guid, REVIEWER, {"verdict": "approve"})
    assert instance.status == InstanceStatus.INCIDENT
    assert instance.incident_element == "decision"
    assert "gateway offline" in instance.incident_error
    session.commit()
    monkeypatch.undo()
    engine.retry(session, instance.id)  # the failed element is re-run once fixed
    assert instance.status == InstanceStatus.RUNNING and instance.incident_error is None


def test_a_write_that_fails_at_its_flush_is_an_incident_and_retry_runs_the_script_again(db):
    session = db.session
    switch = Switch()
    engine = make_engine(session, switch)
    switch.broken = True
    instance = start_and_compose(session, engine, "test_flush", message="seen once")
    assert (instance.status, instance.incident_element) == (InstanceStatus.INCIDENT, "f_note")
    assert "IntegrityError" in instance.incident_error
    assert session.scalar(select(func.count()).select_from(TaskHistory)) == 1  # the form's
    session.commit()
    switch.broken = False
    engine.retry(session, instance.id)
    assert instance.status == InstanceStatus.RUNNING
    assert instance.subject_label == "seen once"  # the script ran again, not skipped
    assert [t.bpmn_id for t in open_tasks(session, instance)] == ["f_review"]


def test_one_failing_instance_does_not_stop_the_tick_for_the_others(db):
    session = db.session
    engine = make_engine(session)
    broken = start_and_compose(session, engine, message="a")
    clock.advance(timedelta(hours=1))
    fine = start_and_compose(session, engine, message="b")
    session.execute(  # a state that cannot even be loaded
        update(ProcessInstance).where(ProcessInstance.id == broken.id).values(state="{")
    )
    session.commit()
    clock.advance(timedelta(days=31))
    assert engine.tick(session) == [fine.id]
    session.commit()
    session.expire_all()
    assert broken.status == InstanceStatus.INCIDENT and broken.next_timer_at is None
    assert [t.bpmn_id for t in open_tasks(session, fine)] == ["escalate"]
    assert engine.tick(session) == []  # the broken one is not picked again


def test_a_task_past_its_deadline_is_refused_and_the_timer_fires(db):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine)
    [review] = open_tasks(session, instance)
    session.commit()
    clock.advance(timedelta(days=30, seconds=1))  # the deadline passed; no tick has run
    with pytest.raises(TaskExpired) as refused:
        engine.complete(session, review.task_guid, REVIEWER, {"verdict": "approve"})
    assert isinstance(refused.value, TaskAlreadyCompleted)  # the same "already handled"
    session.commit()  # the caller keeps the timer's step
    session.expire_all()
    assert [t.bpmn_id for t in open_tasks(session, instance)] == ["escalate"]
    assert session.get(HumanTask, review.id).status == TaskStatus.CANCELLED


def test_reading_a_task_past_its_deadline_fires_the_timer_and_shows_it_closed(db):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine)
    [review] = open_tasks(session, instance)
    session.commit()
    clock.advance(timedelta(days=30, seconds=1))  # the deadline passed; no tick has run
    row = engine.task_for(session, review.task_guid, REVIEWER)
    assert row.status == TaskStatus.CANCELLED
    session.commit()
    session.expire_all()
    assert [t.bpmn_id for t in open_tasks(session, instance)] == ["escalate"]
    assert instance.next_timer_at is None
    assert engine.tick(session) == []  # nothing left for the tick to do


def test_reading_a_task_before_its_deadline_changes_nothing(db):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine)
    [review] = open_tasks(session, instance)
    session.commit()
    state, version = instance.state, instance.lock_version
    clock.advance(timedelta(days=29))
    assert engine.task_for(session, review.task_guid, REVIEWER).status == TaskStatus.OPEN
    assert (instance.state, instance.lock_version) == (state, version)


def test_two_readers_catching_up_at_once_agree_on_the_closed_task(db):
    """The second reader's catch-up loses the race on the instance row: its step is undone
    and it reads what the first one saved (on SQLite the writers queue; here the first
    reader's save is simulated by bumping the lock version underneath the second)."""
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine)
    [review] = open_tasks(session, instance)
    session.commit()
    clock.advance(timedelta(days=30, seconds=1))
    with db.engine.begin() as other:  # the other reader: the same step, already saved
        other_session = type(session)(bind=other)
        assert engine.task_for(other_session, review.task_guid, REVIEWER).status == (
            TaskStatus.CANCELLED
        )
        other_session.flush()
    row = engine.task_for(session, review.task_guid, REVIEWER)
    assert row.status == TaskStatus.CANCELLED
    session.commit()
    session.expire_all()
    assert [t.bpmn_id for t in open_tasks(session, instance)] == ["escalate"]


def test_a_task_before_its_deadline_completes(db):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine)
    [review] = open_tasks(session, instance)
    clock.advance(timedelta(days=29))
    engine.complete(session, review.task_guid, REVIEWER, {"verdict": "reject"})
    assert instance.status == InstanceStatus.COMPLETED
