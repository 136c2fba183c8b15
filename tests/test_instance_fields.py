"""What operations say about their instance (correlation, subject, owner) is written by the
step's own save, in its one UPDATE of the instance row; a step that fails leaves none of it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.engine_support import ENGINE_BPMN
from tests.sql_support import statements_run
from workflows import Actor, WorkflowEngine
from workflows.models import HumanTask, InstanceStatus, ProcessInstance, TaskStatus
from workflows.operations import OperationRegistry, context
from workflows.specs import read_folder

FAMILY = Actor(account_id=7, roles=frozenset({"family"}))
SCRIPT = "chars = count_chars(message)\ncorrelate_on(message)"


def engine_with(session, script: str) -> WorkflowEngine:
    ops = OperationRegistry()

    @ops.register
    def count_chars(message: str) -> int:
        return len(message)

    @ops.register
    def correlate_on(message: str) -> None:
        context().correlate(message=message)
        context().set_subject(f"message:{message}", message.upper(), message)

    @ops.register
    def fail() -> None:
        raise RuntimeError("the counter is offline")

    files = {"review.bpmn": read_folder(ENGINE_BPMN)["review.bpmn"]}  # the others need more ops
    assert SCRIPT in files["review.bpmn"]
    files["review.bpmn"] = files["review.bpmn"].replace(SCRIPT, script)
    engine = WorkflowEngine(ops, frozenset({"ComposeForm", "ReviewForm"}))
    engine.versions.deploy(session, files)
    return engine


def compose(db, script: str, message: str = "hello") -> tuple[int, list[str]]:
    """Start, then complete the compose task with `message`; (instance id, statements run)."""
    session = db.session
    engine = engine_with(session, script)
    instance = engine.start(session, "test_review", FAMILY, {"max_chars": 100}, facility_id=1)
    session.commit()
    guid = session.scalar(
        select(HumanTask.task_guid).where(
            HumanTask.instance_id == instance.id, HumanTask.status == TaskStatus.OPEN
        )
    )
    try:
        with statements_run(db.engine) as said:
            engine.complete(session, guid, FAMILY, {"message": message})
            session.commit()
    finally:
        db.remove()
    return instance.id, [" ".join(statement.split()) for statement in said]


def test_a_step_writes_what_its_operations_set_in_its_one_update(db):
    instance_id, statements = compose(db, SCRIPT)
    # On PostgreSQL the UPDATE is a part of the save's one fused statement (a WITH).
    updates = [s for s in statements if "UPDATE process_instance" in s]
    assert len(updates) == 1, updates
    row = db.session.get(ProcessInstance, instance_id)
    assert (row.correlation_key, row.subject_key, row.subject_label, row.search_key) == (
        "message=hello",
        "message:hello",
        "HELLO",
        "hello",
    )
    assert row.lock_version == 3  # started (1), its save (2), the compose step's save (3)


def test_a_failed_step_leaves_what_its_operations_set_unsaved(db):
    instance_id, _ = compose(db, "correlate_on(message)\nfail()")
    row = db.session.get(ProcessInstance, instance_id)
    assert row.status == InstanceStatus.INCIDENT
    assert (row.correlation_key, row.subject_key, row.search_key) == (None, None, None)


def test_a_script_opens_a_savepoint_only_when_its_operations_have_an_effect(db, monkeypatch):
    """Most scripts only compute: they cost no savepoint. One whose operation sets a column
    gets it from that moment (so a later failure still undoes what it set, see above)."""
    opened, begin_nested = [], Session.begin_nested
    monkeypatch.setattr(Session, "begin_nested", lambda s: opened.append(1) or begin_nested(s))
    compose(db, "chars = count_chars(message)")
    assert opened == []
    compose(db, SCRIPT)
    assert opened == [1]
