"""The engine layer against a real database: start, complete, timers, messages, incidents."""

from __future__ import annotations

import gc
import json
import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from tests.engine_support import (
    ENGINE_BPMN,
    FAMILY,
    REVIEWER,
    Switch,
    make_engine,
    open_tasks,
    set_columns,
)
from tests.sql_support import selects, statements_run
from workflows import Actor, EventNotExpected, TaskAlreadyCompleted, TaskNotFound, clock
from workflows.models import HumanTask, InstanceStatus, ProcessInstance, TaskHistory, TaskStatus
from workflows.specs import read_folder

OTHER_FAMILY = Actor(account_id=8, roles=frozenset({"family"}))
OTHER_REVIEWER = Actor(account_id=21, roles=frozenset({"reviewer"}), facility_id=2)
SUPERVISOR = Actor(account_id=30, roles=frozenset({"supervisor"}), facility_id=1)


def start_and_compose(session, engine, message="hello"):
    instance = engine.start(session, "test_review", FAMILY, {"max_chars": 100}, facility_id=1)
    [compose] = open_tasks(session, instance)
    engine.complete(session, compose.task_guid, FAMILY, {"message": message})
    return instance


def test_start_creates_family_task_owned_by_starter(db):
    session = db.session
    engine = make_engine(session)
    instance = engine.start(session, "test_review", FAMILY, {"max_chars": 100}, facility_id=1)
    [task] = open_tasks(session, instance)
    assert (task.bpmn_id, task.lane, task.form_key) == ("compose", "Family", "ComposeForm")
    assert task.owner_account_id == 7 and task.facility_id == 1
    assert engine.task_data(session, task)["max_chars"] == 100


def test_complete_runs_script_and_reaches_reviewer_with_due_date(db):
    session = db.session
    engine = make_engine(session)
    clock.freeze(clock.now())
    instance = start_and_compose(session, engine, "你好👋")
    [review] = open_tasks(session, instance)
    assert (review.bpmn_id, review.lane) == ("review", "Reviewer")
    assert review.due_at == clock.now() + timedelta(days=30)
    assert instance.next_timer_at == review.due_at
    assert engine.task_data(session, review)["chars"] == 3
    history = session.scalars(select(TaskHistory)).all()
    assert [(h.bpmn_id, h.actor, h.data) for h in history] == [
        ("compose", "account:7", {"message": "你好👋"})
    ]


def test_a_task_page_deserializes_the_workflow_once_for_reading_and_completing(db, monkeypatch):
    session = db.session
    engine = make_engine(session)
    instance = engine.start(session, "test_review", FAMILY, {"max_chars": 100}, facility_id=1)
    session.commit()
    guid, instance_id = open_tasks(session, instance)[0].task_guid, instance.id
    db.remove()  # a new request: nothing of the start is in its session
    del instance
    loads = []
    deserialize = engine.runner._deserialize
    monkeypatch.setattr(
        engine.runner, "_deserialize", lambda s, i: loads.append(i.id) or deserialize(s, i)
    )
    session = db.session
    row = engine.task_for(session, guid, FAMILY)
    assert engine.task_data(session, row)["max_chars"] == 100
    gc.collect()  # the page holds the task row only; the instance row must not be lost
    engine.complete(session, guid, FAMILY, {"message": "hello"})
    assert loads == [instance_id]
    engine.task_data(session, open_tasks(session, session.get(ProcessInstance, instance_id))[0])
    assert loads == [instance_id, instance_id]  # a workflow that ran is never handed out again


def test_lane_facility_and_owner_decide_who_may_work(db):
    session = db.session
    engine = make_engine(session)
    instance = engine.start(session, "test_review", FAMILY, facility_id=1)
    [compose] = open_tasks(session, instance)
    for stranger in (OTHER_FAMILY, REVIEWER):
        with pytest.raises(TaskNotFound):
            engine.complete(session, compose.task_guid, stranger, {"message": "x"})
    engine.complete(session, compose.task_guid, FAMILY, {"message": "x"})
    [review] = open_tasks(session, instance)
    with pytest.raises(TaskNotFound):
        engine.task_for(session, review.task_guid, OTHER_REVIEWER)
    assert engine.task_for(session, review.task_guid, SUPERVISOR).id == review.id
    assert engine.next_task(session, instance.id, FAMILY) is None
    assert engine.next_task(session, instance.id, REVIEWER).id == review.id


def test_gateway_condition_and_completion(db):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine)
    [review] = open_tasks(session, instance)
    engine.complete(session, review.task_guid, REVIEWER, {"verdict": "reject"})
    assert instance.status == InstanceStatus.COMPLETED
    assert open_tasks(session, instance) == []


def test_second_completion_of_a_task_is_refused(db):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine)
    [review] = open_tasks(session, instance)
    engine.complete(session, review.task_guid, REVIEWER, {"verdict": "reject"})
    with pytest.raises(TaskAlreadyCompleted):
        engine.complete(session, review.task_guid, SUPERVISOR, {"verdict": "approve"})


def test_two_concurrent_completions_of_one_task_one_wins(db):
    """Two requests race to complete the same review: exactly one wins."""
    engine = make_engine(db.session)
    instance = start_and_compose(db.session, engine)
    [review] = open_tasks(db.session, instance)
    db.session.commit()
    barrier, outcomes = threading.Barrier(2), []

    def attempt(actor, verdict):
        session = db.sessions.session_factory()
        try:
            barrier.wait()
            engine.complete(session, review.task_guid, actor, {"verdict": verdict})
            session.commit()
            outcomes.append("won")
        except TaskAlreadyCompleted:
            session.rollback()
            outcomes.append("already completed")
        finally:
            session.close()

    threads = [
        threading.Thread(target=attempt, args=(REVIEWER, "reject")),
        threading.Thread(target=attempt, args=(SUPERVISOR, "reject")),
    ]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) == ["already completed", "won"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(TaskHistory)) == 2


def test_stale_instance_row_cannot_be_saved(db):
    """The version column refuses a save from a copy loaded before another save."""
    first, second = db.sessions.session_factory(), db.sessions.session_factory()
    engine = make_engine(first)
    instance = start_and_compose(first, engine)
    first.commit()
    stale = second.get(ProcessInstance, instance.id)
    second.commit()  # keeps the loaded (now stale) attributes: expire_on_commit is off
    set_columns(first, instance, status=InstanceStatus.COMPLETED)
    first.commit()
    stale.status = InstanceStatus.CANCELLED
    with pytest.raises(StaleDataError):
        second.commit()
    second.rollback()
    first.close(), second.close()


def test_engine_save_from_a_stale_copy_is_refused(db):
    """The engine's own save checks the lock version too: a workflow loaded before another
    request completed the task cannot be saved over it, and its writes are rolled back."""
    first, second = db.sessions.session_factory(), db.sessions.session_factory()
    try:
        engine = make_engine(first)
        instance = start_and_compose(first, engine)
        [review] = open_tasks(first, instance)
        first.commit()
        stale = second.get(ProcessInstance, instance.id)
        workflow = engine.runner.load(second, stale)
        second.commit()
        engine.complete(first, review.task_guid, REVIEWER, {"verdict": "approve"})
        first.commit()
        saved = (instance.lock_version, instance.state, [t.id for t in open_tasks(first, instance)])
        first.commit()  # SQLite: BEGIN IMMEDIATE holds the write lock even for reads
        with pytest.raises(StaleDataError):
            engine.runner.save(second, stale, workflow)
        second.rollback()
        first.expire_all()
        row = first.get(ProcessInstance, instance.id)
        assert (row.lock_version, row.state, [t.id for t in open_tasks(first, row)]) == saved
        assert first.scalar(select(func.count()).select_from(TaskHistory)) == 2
    finally:
        first.close(), second.close()


def test_boundary_timer_escalates_to_supervisor_when_clock_moves(db):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine)
    clock.advance(timedelta(days=29))
    assert engine.tick(session) == []
    clock.advance(timedelta(days=1, seconds=1))
    assert engine.tick(session) == [instance.id]
    [escalate] = open_tasks(session, instance)
    assert (escalate.bpmn_id, escalate.lane) == ("escalate", "Supervisor")
    assert instance.next_timer_at is None
    review = session.scalar(select(HumanTask).where(HumanTask.bpmn_id == "review"))
    assert review.status == TaskStatus.CANCELLED


def test_tick_only_touches_due_instances(db):
    session = db.session
    engine = make_engine(session)
    early = start_and_compose(session, engine, "a")
    clock.advance(timedelta(days=10))
    late = start_and_compose(session, engine, "b")
    assert engine.tick(session, now=clock.now() + timedelta(days=25)) == [early.id]
    assert late.status == InstanceStatus.RUNNING and len(open_tasks(session, late)) == 1


def test_a_tick_reads_its_due_instances_and_their_inbox_rows_in_one_query(db):
    session = db.session
    engine = make_engine(session)
    instances = [start_and_compose(session, engine, text) for text in ("a", "b", "c")]
    session.commit()
    with statements_run(db.engine) as said:
        advanced = engine.tick(session, now=clock.now() + timedelta(days=31))
    assert sorted(advanced) == sorted(i.id for i in instances)
    assert len(selects(said)) == 1, said
    for instance in instances:  # each review closed by its timer, the escalation opened
        assert [t.bpmn_id for t in open_tasks(session, instance)] == ["escalate"]


def test_a_due_instance_saved_by_an_earlier_step_of_the_tick_waits_for_the_next(db, monkeypatch):
    session = db.session
    engine = make_engine(session)
    first, second = start_and_compose(session, engine, "a"), start_and_compose(session, engine)
    session.commit()
    load = engine.runner.load

    def load_and_touch_the_other(session, instance, **kwargs):
        if instance.id == first.id:  # as if this step's operations changed the other one
            set_columns(session, second, subject_label="changed")
        return load(session, instance, **kwargs)

    monkeypatch.setattr(engine.runner, "load", load_and_touch_the_other)
    due = clock.now() + timedelta(days=31)
    assert engine.tick(session, now=due) == [first.id]
    assert engine.tick(session, now=due) == [second.id]  # read afresh, with its inbox rows
    for instance in (first, second):
        assert [t.bpmn_id for t in open_tasks(session, instance)] == ["escalate"]


def test_a_task_page_reads_its_task_and_instance_once(db):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine)
    session.commit()
    [review] = open_tasks(session, instance)
    db.remove()
    session = db.session
    with statements_run(db.engine) as said:
        row = engine.task_for(session, review.task_guid, REVIEWER)  # what a task page does
        data = engine.task_data(session, row)
        engine.complete(session, review.task_guid, REVIEWER, {"verdict": "approve"})
    assert data["chars"] == 5
    assert len(selects(said)) == 1, said


def test_message_is_delivered_by_correlation(db):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine, "m-1")
    [review] = open_tasks(session, instance)
    with pytest.raises(EventNotExpected):
        engine.send_event(session, "acknowledged", {"by": "x"}, correlation={"message": "m-1"})
    engine.complete(session, review.task_guid, REVIEWER, {"verdict": "approve"})
    engine.send_event(session, "acknowledged", {"by": "inmate"}, correlation={"message": "m-1"})
    assert instance.status == InstanceStatus.COMPLETED
    assert json.loads(instance.state)["data"]["ack"] == {"by": "inmate"}


def test_failing_operation_becomes_incident_and_retry_resumes(db):
    session = db.session
    switch = Switch()
    engine = make_engine(session, switch)
    switch.broken = True
    instance = start_and_compose(session, engine)
    assert instance.status == InstanceStatus.INCIDENT
    assert instance.incident_element == "count"
    assert "counter offline" in instance.incident_error
    # The family's completed form is kept: the history has it and the task is not re-opened.
    assert session.scalar(select(func.count()).select_from(TaskHistory)) == 1
    session.commit()
    switch.broken = False
    engine.retry(session, instance.id)
    assert instance.status == InstanceStatus.RUNNING and instance.incident_error is None
    assert [t.bpmn_id for t in open_tasks(session, instance)] == ["review"]


def test_instance_finishes_on_its_own_version_after_a_new_one_is_deployed(db):
    session = db.session
    engine = make_engine(session)
    clock.freeze(clock.now())
    old = start_and_compose(session, engine)
    size_before = len(old.state)
    files = read_folder(ENGINE_BPMN)
    files["review.bpmn"] = files["review.bpmn"].replace('"P30D"', '"P14D"')
    engine.versions.deploy(session, files)
    new = start_and_compose(session, engine)
    assert new.version_hash != old.version_hash
    [old_review], [new_review] = open_tasks(session, old), open_tasks(session, new)
    assert new_review.due_at - new.created_at == timedelta(days=14)
    assert old_review.due_at - old.created_at == timedelta(days=30)
    engine.complete(session, old_review.task_guid, REVIEWER, {"verdict": "reject"})
    assert old.status == InstanceStatus.COMPLETED
    assert len(old.state) < size_before + 200  # the spec is not in the row


def test_state_holds_no_spec(db):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine)
    state = json.loads(instance.state)
    assert "spec" not in state and "subprocess_specs" not in state


def test_subject_reaches_inbox_rows_and_moves_with_a_transfer(db):
    session = db.session
    engine = make_engine(session)
    instance = start_and_compose(session, engine)
    set_columns(
        session, instance, subject_key="inmate:5", subject_label="0609 李〇〇", search_key="0609"
    )
    [review] = open_tasks(session, instance)
    engine.assign(session, review.task_guid, REVIEWER, REVIEWER.account_id)
    assert review.assignee_id == REVIEWER.account_id
    assert engine.move_subject(session, "inmate:5", facility_id=2) == 1
    assert (review.facility_id, review.assignee_id) == (2, None)
    assert engine.task_for(session, review.task_guid, OTHER_REVIEWER).id == review.id
    engine.complete(session, review.task_guid, OTHER_REVIEWER, {"verdict": "reject"})


def test_inbox_rows_carry_the_subject_set_by_an_operation(db):
    session = db.session
    engine = make_engine(session)
    instance = engine.start(session, "test_review", FAMILY, facility_id=1)
    set_columns(session, instance, subject_label="0609 李〇〇", search_key="0609")
    [compose] = open_tasks(session, instance)
    engine.complete(session, compose.task_guid, FAMILY, {"message": "x"})
    [review] = open_tasks(session, instance)
    assert (review.subject_label, review.search_key) == ("0609 李〇〇", "0609")


def test_a_task_page_reads_then_completes_with_one_load_and_never_reuses_a_run(db, monkeypatch):
    session = db.session
    engine = make_engine(session)
    instance = engine.start(session, "test_review", FAMILY, {"max_chars": 100}, facility_id=1)
    [compose] = open_tasks(session, instance)
    loads = []
    original = engine.runner.serializer.loads
    monkeypatch.setattr(
        engine.runner.serializer, "loads", lambda *a, **k: loads.append(1) or original(*a, **k)
    )
    assert engine.task_data(session, compose)["max_chars"] == 100
    engine.complete(session, compose.task_guid, FAMILY, {"message": "hi"})
    assert len(loads) == 1  # the page's read and the completion shared one load
    [review] = open_tasks(session, instance)
    assert engine.task_data(session, review)["message"] == "hi"
    assert len(loads) == 2  # the state changed: loaded afresh, never the workflow that ran


def test_a_forgotten_key_leaves_every_task_and_the_instance_goes_on(db):
    session = db.session
    switch = Switch()
    switch.forget = ("secret", "pin")
    engine = make_engine(session, switch)
    data = {"max_chars": 100, "secret": {"pin": "8731", "hint": "kept"}}
    instance = engine.start(session, "test_review", FAMILY, data, facility_id=1)
    [compose] = open_tasks(session, instance)
    engine.complete(session, compose.task_guid, FAMILY, {"message": "hi"})
    assert "8731" not in instance.state and "kept" in instance.state
    [review] = open_tasks(session, instance)
    assert engine.task_data(session, review)["secret"] == {"hint": "kept"}
    engine.complete(session, review.task_guid, REVIEWER, {"verdict": "reject"})
    assert instance.status == InstanceStatus.COMPLETED


def test_erasure_asked_by_a_step_that_does_not_end_the_instance_erases_nothing(db, caplog):
    session = db.session
    switch = Switch()
    switch.erase = True
    engine = make_engine(session, switch)
    instance = start_and_compose(session, engine, "keep me")
    assert "keep me" in instance.state and "erasure asked for" in caplog.text
    [review] = open_tasks(session, instance)  # the request applied to that step only
    engine.complete(session, review.task_guid, REVIEWER, {"verdict": "reject"})
    assert instance.status == InstanceStatus.COMPLETED and "keep me" in instance.state
    history = session.scalars(select(TaskHistory)).all()
    assert {"message": "keep me"} in [h.data for h in history]


def test_task_data_never_rides_on_log_records(db, caplog):
    caplog.set_level(logging.DEBUG)  # as verbose as a deployment could make the root logger
    session = db.session
    start_and_compose(session, make_engine(session), "Lantern 4417, words for dad only")
    carried = " ".join(repr(vars(record)) for record in caplog.records)
    assert "Lantern 4417" not in carried  # SpiffWorkflow attaches task data to its records
    assert [r.getMessage() for r in caplog.records if r.name.startswith("spiff.")] == []


def test_the_next_page_of_a_wizard_is_known_from_the_save_without_a_query(db):
    session = db.session
    engine = make_engine(session)
    instance = engine.start(session, "test_review", FAMILY, facility_id=1)
    [compose] = open_tasks(session, instance)
    engine.complete(session, compose.task_guid, FAMILY, {"message": "x"})
    with statements_run(db.engine) as statements:
        following = engine.next_task(session, instance.id, REVIEWER)
        assert engine.next_task(session, instance.id, FAMILY) is None  # read from the table
    [review] = open_tasks(session, instance)
    assert following.task_guid == review.task_guid and following.lane == review.lane
    assert len(statements) == 1  # the second call only: the first used what the save wrote
    session.commit()
    engine.complete(session, review.task_guid, REVIEWER, {"verdict": "approve"})
    session.rollback()  # what that save left is gone with its transaction: read again
    assert engine.next_task(session, instance.id, REVIEWER).task_guid == review.task_guid
