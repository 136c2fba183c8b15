"""A step gets a savepoint only when its scripts may write: they name an operation that is not
pure. Pure computations cost no round trips; anything else keeps its incident safety net."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from tests.engine_support import ENGINE_BPMN
from workflows import Actor, WorkflowEngine
from workflows.models import HumanTask, TaskStatus
from workflows.operations import OperationRegistry, context
from workflows.specs import read_folder

FAMILY = Actor(account_id=7, roles=frozenset({"family"}))
SCRIPT = "chars = count_chars(message)\ncorrelate_on(message)"


def registry() -> OperationRegistry:
    ops = OperationRegistry()

    @ops.register(pure=True)
    def count_chars(message: str) -> int:
        return len(message)

    @ops.register
    def correlate_on(message: str) -> None:
        context().correlate(message=message)

    return ops


@pytest.mark.parametrize(
    ("source", "touches"),
    [
        ("chars = count_chars(message)", False),
        ("n = len(message) + count_chars(message)", False),
        ("correlate_on(message)", True),
        ("chars = count_chars(message)\ncorrelate_on(message)", True),
        ("later = correlate_on", True),  # passed along, not called: still counts
        ("chars = count_chars(", True),  # unreadable: assume the worst
    ],
)
def test_a_script_touches_the_database_when_it_names_an_operation_that_is_not_pure(source, touches):
    assert registry().touches_database(source) is touches


@pytest.mark.parametrize(
    ("script", "savepoints"), [("chars = count_chars(message)", 0), (SCRIPT, 1)]
)
def test_only_a_step_that_may_write_runs_in_a_savepoint(db, script, savepoints):
    files = read_folder(ENGINE_BPMN)
    assert SCRIPT in files["review.bpmn"]
    files["review.bpmn"] = files["review.bpmn"].replace(SCRIPT, script)
    session = db.session
    engine = WorkflowEngine(registry(), frozenset({"ComposeForm", "ReviewForm"}))
    engine.versions.deploy(session, files)
    instance = engine.start(session, "test_review", FAMILY, {"max_chars": 100}, facility_id=1)
    session.commit()
    [compose] = open_tasks(session, instance)
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        engine.complete(session, compose.task_guid, FAMILY, {"message": "hello"})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert sum(s.startswith("SAVEPOINT") for s in statements) == savepoints
    assert engine.task_data(session, open_tasks(session, instance)[0])["chars"] == 5


def open_tasks(session, instance) -> list[HumanTask]:
    return session.scalars(
        select(HumanTask).where(
            HumanTask.instance_id == instance.id, HumanTask.status == TaskStatus.OPEN
        )
    ).all()
