"""Builders for engine tests: a private operation registry and the test BPMN folder."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from workflows import Actor, WorkflowEngine
from workflows.models import HumanTask, ProcessInstance, TaskHistory, TaskStatus
from workflows.operations import OperationRegistry, context
from workflows.specs import read_folder

ENGINE_BPMN = Path(__file__).parent / "engine_bpmn"
FORM_KEYS = frozenset({"ComposeForm", "ReviewForm"})


class Switch:
    """Lets a test make an operation fail, then fix it (for incidents and retry), or ask
    what an instance must forget (workflows.forgetting)."""

    broken = False
    forget: tuple[str, str] | None = None
    erase = False


def make_registry(switch: Switch) -> OperationRegistry:
    registry = OperationRegistry()

    @registry.register
    def count_chars(message: str) -> int:
        if switch.broken:
            raise RuntimeError("counter offline")
        if switch.forget:
            context().forget(*switch.forget)
        if switch.erase:
            context().erase_when_ended()
        return len(message)

    @registry.register
    def correlate_on(message: str) -> None:
        context().correlate(message=message)

    @registry.register
    def spawn_review(message: str) -> None:  # rows and instance columns a step writes
        context().start_process("test_review", {"max_chars": 100}, facility_id=1)
        context().set_subject("spawned", message)

    @registry.register
    def note_seen(message: str) -> None:
        if switch.broken:  # a row that cannot be written: the flush after the script fails
            context().session.add(TaskHistory())
        context().set_subject("seen", message)

    return registry


def make_engine(session, switch: Switch | None = None, files: dict | None = None) -> WorkflowEngine:
    engine = WorkflowEngine(make_registry(switch or Switch()), FORM_KEYS)
    engine.versions.deploy(session, files or read_folder(ENGINE_BPMN))
    session.commit()
    return engine


# The actors engine tests work as: a family member and a reviewer of facility 1.
FAMILY = Actor(account_id=7, roles=frozenset({"family"}))
REVIEWER = Actor(account_id=20, roles=frozenset({"reviewer"}), facility_id=1)


def set_columns(session, instance, **values) -> None:
    """Change an instance row as code outside the engine does: through its ORM object, flushed
    (what the engine returns is a record of the row, not tracked)."""
    row = session.get(ProcessInstance, instance.id)
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()


def open_tasks(session, instance) -> list[HumanTask]:
    """The instance's open inbox rows."""
    return session.scalars(
        select(HumanTask).where(
            HumanTask.instance_id == instance.id, HumanTask.status == TaskStatus.OPEN
        )
    ).all()
