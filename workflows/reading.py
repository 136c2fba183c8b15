"""Reading tasks: the one the actor may work, its data, the next one of a wizard.

Mixed into WorkflowEngine. `task_for` keeps what it read for the completion that usually
follows in the same transaction (a task page's POST), so that completion reads nothing again.
"""

from __future__ import annotations

import json
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .actors import SYSTEM, Actor
from .clock import clock
from .driver import fetch
from .errors import TaskAlreadyCompleted, TaskNotFound
from .models import HumanTask, InstanceStatus, ProcessInstance, TaskStatus
from .permissions import may_work
from .projection import first_form
from .records import (
    InstanceRecord,
    TaskRecord,
    open_rows_of_instance,
    read_instance,
    read_open_tasks,
    remember,
)
from .runner import OPEN_KEY, READ_KEY

_INSTANCE = ProcessInstance.__table__
_TASK = HumanTask.__table__


def _completion_query():
    """Task, instance and the instance's open tasks by task guid: every column of each."""
    target, sibling = _TASK.alias("target"), _TASK.alias("sibling")
    return (
        select(*target.c, *_INSTANCE.c, *sibling.c)
        .select_from(
            target.join(_INSTANCE, _INSTANCE.c.id == target.c.instance_id).outerjoin(
                sibling, open_rows_of_instance(sibling)
            )
        )
        .where(target.c.task_guid == bindparam("task_guid"))
    )


_COMPLETION_QUERY = _completion_query()


def _split(session: Session, found: list[tuple]):
    """The completion query's rows as (task, instance, open tasks) records."""
    tasks, instances = len(TaskRecord.COLUMNS), len(InstanceRecord.COLUMNS)
    first = found[0]
    row = remember(session, TaskRecord(first[:tasks]))
    instance = remember(session, InstanceRecord(first[tasks : tasks + instances]))
    open_rows = [
        row if values[0] == row.id else remember(session, TaskRecord(values))
        for values in (r[tasks + instances :] for r in found)
        if values[0] is not None
    ]
    return row, instance, open_rows


class TaskReadingMixin:
    """The engine's reads of tasks and their data (mixed into WorkflowEngine)."""

    def task_for(self, session: Session, task_guid: str, actor: Actor) -> TaskRecord:
        """A task the actor may work; TaskNotFound for anything else (callers answer 404).

        Its instance and open rows are read along and kept for this transaction, so the
        completion that usually follows (a task page's POST) does not read them again.
        Timers of the instance that are already due fire first (see _catch_up), so a task
        whose deadline closed it comes back closed even before the tick has run.
        """
        row, instance, open_rows = self._read_task(session, task_guid, actor)
        if row.status == TaskStatus.OPEN and timers_due(instance):
            row, instance, open_rows = self._catch_up(session, task_guid, actor, instance)
        if row.status == TaskStatus.OPEN:
            read = session.info.setdefault(READ_KEY, {})
            read[task_guid] = (session.get_transaction(), row, instance, open_rows)
        return row

    def _read_task(self, session: Session, task_guid: str, actor: Actor):
        """The task, its instance and the instance's open tasks, in one query (the hot path),
        as records refreshed from the database (pending ORM changes flushed first)."""
        session.flush()
        found = fetch(session, _COMPLETION_QUERY, {"task_guid": task_guid})
        if not found:
            raise TaskNotFound(task_guid)
        row, instance, open_rows = _split(session, found)
        if not may_work(row, actor):
            raise TaskNotFound(task_guid)
        return row, instance, open_rows

    def _catch_up(self, session: Session, task_guid: str, actor: Actor, instance):
        """Fire the instance's due timers as the next tick would (as the system), and read the
        task again: a page must not offer a task its deadline has closed (an unsent draft).

        In a savepoint, as tick's steps are: when another request saved the instance first
        (it caught up too, or completed a task), this one's step is undone and what the other
        saved is read instead.
        """
        try:
            with session.begin_nested():
                workflow = self.runner.load(session, instance)
                self.runner.advance(session, instance, workflow, SYSTEM)
        except StaleDataError:
            pass  # another request saved it first: what it saved is read below
        return self._read_task(session, task_guid, actor)

    def _load_for_completion(self, session: Session, task_guid: str, actor: Actor):
        """What task_for read in this transaction (nothing was saved since), or a fresh read."""
        read = session.info.get(READ_KEY, {}).pop(task_guid, None)
        if read is not None and read[0] is session.get_transaction():
            row, instance, open_rows = read[1:]
        else:
            row, instance, open_rows = self._read_task(session, task_guid, actor)
        if row.status != TaskStatus.OPEN:
            raise TaskAlreadyCompleted()
        return row, instance, open_rows

    def next_task(self, session: Session, instance_id: int, actor: Actor) -> TaskRecord | None:
        """The next open task of this instance for this actor: the next page of a wizard.

        Right after a save in this transaction, its open rows are known (runner.OPEN_KEY);
        the rows it added are kept as their column values until asked for here.
        """
        saved = session.info.get(OPEN_KEY, {}).pop(instance_id, None)
        if saved is not None and saved[0] is session.get_transaction():
            rows = [r if isinstance(r, TaskRecord) else TaskRecord.from_values(r) for r in saved[1]]
        else:
            rows = read_open_tasks(session, instance_id)
        return next((r for r in rows if may_work(r, actor)), None)

    def start_form(
        self, session: Session, process_id: str, variant: str = ""
    ) -> tuple[str | None, str]:
        """The form and title a new instance would ask for first (no form if code runs first)."""
        return first_form(self.versions.current(session).get(process_id, variant).spec)

    def final_data(self, instance: InstanceRecord | ProcessInstance) -> dict:
        """The data a finished instance ended with (its outcome), without loading the workflow.

        Takes the engine's record or the ORM row: pages find finished instances by query."""
        if instance.status != InstanceStatus.COMPLETED:
            raise ValueError(f"instance {instance.id} has not finished")
        return json.loads(instance.state).get("data", {})

    def task_data(self, session: Session, row: TaskRecord) -> dict:
        """The data a ready task holds (what its form and page show). Its instance as task_for
        read it along in this transaction (nothing saved since), else read afresh."""
        read = session.info.get(READ_KEY, {}).get(row.task_guid)
        if read is not None and read[0] is session.get_transaction():
            instance = read[2]
        else:
            instance = read_instance(session, row.instance_id)
        workflow = self.runner.load(session, instance, keep=True)  # complete() may reuse it
        return dict(workflow.get_task_from_id(UUID(row.task_guid)).data)


def timers_due(instance: InstanceRecord) -> bool:
    """Whether a timer of the instance is due and has not fired yet (the tick is behind)."""
    return instance.next_timer_at is not None and instance.next_timer_at <= clock.now()
