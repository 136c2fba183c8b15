"""The engine's writes after each step, as plain SQL statements instead of an ORM flush.

Every step saves the same few rows (the instance, its inbox rows, a history row); the ORM's
unit of work cost more per step than the database did. Each write here is one statement built
once, and the values written are copied into the records and ORM objects the session holds of
those rows (records.record), so code that reads them later in the same transaction sees what
the database holds and no flush writes them again. On PostgreSQL the usual step is a single
statement (see _fused), run on the driver's cursor (workflows.driver).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .driver import fetch
from .models import HumanTask, ProcessInstance, TaskHistory, TaskStatus
from .records import InstanceRecord, TaskRecord, record, remember

_INSTANCE = ProcessInstance.__table__
_TASK = HumanTask.__table__
_HISTORY = TaskHistory.__table__
# What a save writes: every column a step changes, or its operations (subject, owner,
# correlation), and the lock version; one statement shape for all of them. The process, its
# version and who started it are set once, by start.
_SET_ONCE = (
    "id",
    "version_hash",
    "process_id",
    "variant",
    "owner_session",
    "started_by",
    "created_at",
)
_SAVED = tuple(c.key for c in _INSTANCE.columns if c.key not in _SET_ONCE)
_SAVED_PARAMS = tuple((key, f"set_{key}") for key in _SAVED)  # named once, not per save
# The optimistic lock: the row is written only if nobody saved it since it was loaded. Named
# parameters (set_<column>), so the tasks' statements fused in below take none of them.
_SAVE_INSTANCE = (
    update(_INSTANCE)
    .where(
        _INSTANCE.c.id == bindparam("row_id"),
        _INSTANCE.c.lock_version == bindparam("loaded_version"),
    )
    .values({key: bindparam(name) for key, name in _SAVED_PARAMS})
)
# SET takes its columns from the parameters given, so one statement serves every shape.
_UPDATE_TASK = update(_TASK).where(_TASK.c.id == bindparam("row_id"))
_INSERT_TASKS = insert(_TASK)
_INSERT_INSTANCE = insert(_INSTANCE).returning(_INSTANCE.c.id)
# What a new inbox row is given (see projection._new_row); the other columns start empty.
NEW_TASK_COLUMNS = (
    "instance_id",
    "task_guid",
    "process_id",
    "bpmn_id",
    "title",
    "form_key",
    "lane",
    "facility_id",
    "owner_account_id",
    "owner_session",
    "subject_label",
    "search_key",
    "status",
    "created_at",
    "due_at",
)
_NEW_PARAMS = tuple((key, f"new_{key}") for key in NEW_TASK_COLUMNS)
_CLOSE_TASK = (
    update(_TASK)
    .where(_TASK.c.id == bindparam("done_id"))
    .values(
        status=bindparam("done_status"),
        completed_by=bindparam("done_by"),
        completed_at=bindparam("done_at"),
    )
)
_HISTORY_PARAMS = {
    "instance_id": "done_instance_id",
    "task_guid": "done_guid",
    "bpmn_id": "done_bpmn_id",
    "actor": "done_by",
    "completed_at": "done_at",
    "data": "done_data",
}
_RECORD_HISTORY = insert(_HISTORY).values(
    {column: bindparam(name) for column, name in _HISTORY_PARAMS.items()}
)


def _fused(completed: bool, adding: bool):
    """One statement for PostgreSQL: the instance's UPDATE with its version check, and, as
    data-modifying CTEs, the completed task's closing and history row and/or one new inbox row.

    One round trip instead of up to four (round trips dominate there). Every other write reads
    from the instance's UPDATE, so none happens when the version check fails (an inbox row
    re-added from a stale copy would otherwise break the unique task_guid, not the lock).
    The statement answers how many instance rows were saved. Built once per combination.
    """
    saved = _SAVE_INSTANCE.returning(_INSTANCE.c.id).cte("saved")
    was_saved = select(saved.c.id).exists()
    statement = select(func.count()).select_from(saved)
    if completed:
        history = select(*(_typed_param(_HISTORY, c, n) for c, n in _HISTORY_PARAMS.items()))
        statement = statement.add_cte(_CLOSE_TASK.where(was_saved).cte("closed"))
        statement = statement.add_cte(
            insert(_HISTORY)
            .from_select(list(_HISTORY_PARAMS), history.where(was_saved))
            .cte("recorded")
        )
    if adding:
        row = select(*(_typed_param(_TASK, c, f"new_{c}") for c in NEW_TASK_COLUMNS))
        statement = statement.add_cte(
            insert(_TASK).from_select(list(NEW_TASK_COLUMNS), row.where(was_saved)).cte("added")
        )
    return statement


def _typed_param(table, column: str, name: str):
    """A parameter standing in a SELECT list, typed as the column it fills."""
    return bindparam(name, type_=table.c[column].type)


_FUSED = {(c, a): _fused(c, a) for c in (False, True) for a in (False, True)}


@dataclass(frozen=True)
class Completion:
    """A user task being completed: its inbox row closes and a (redacted) history row is added."""

    row: TaskRecord
    actor_label: str
    data: dict
    now: datetime

    def closed(self) -> dict:
        """The inbox row's columns once closed."""
        return {
            "status": TaskStatus.COMPLETED,
            "completed_by": self.actor_label,
            "completed_at": self.now,
        }

    def params(self) -> dict:
        """Parameters of _CLOSE_TASK and _RECORD_HISTORY."""
        return {
            "done_id": self.row.id,
            "done_status": TaskStatus.COMPLETED,
            "done_by": self.actor_label,
            "done_at": self.now,
            "done_instance_id": self.row.instance_id,
            "done_guid": self.row.task_guid,
            "done_bpmn_id": self.row.bpmn_id,
            "done_data": self.data,
        }


def insert_instance(session: Session, values: dict) -> InstanceRecord:
    """Add an instance row with these column values (the others empty) at lock version 1."""
    values = {**values, "lock_version": 1}
    values["id"] = session.connection().execute(_INSERT_INSTANCE, values).scalar_one()
    return remember(session, InstanceRecord.from_values(values))


def save_instance(
    session: Session,
    instance: InstanceRecord,
    changes: dict,
    completion: Completion | None = None,
    new_rows: Sequence[dict] = (),
) -> None:
    """Write the instance row with `changes` (plus whatever operations set on it) if its lock
    version is still the one loaded, bump the version; record the completion, add new rows.
    `changes` names columns a save writes (_SAVED), never those start set once.

    Raises StaleDataError (as the ORM's version check does) when another transaction saved
    the instance first, so callers keep one way to detect a lost race; the caller rolls back.
    """
    connection = session.connection()
    fuse = connection.dialect.name == "postgresql"
    completed = fuse and completion is not None
    adding = fuse and len(new_rows) == 1  # the usual step: one task done, the next one ready
    values = {key: changes.get(key, getattr(instance, key)) for key in _SAVED}
    values["lock_version"] = instance.lock_version + 1
    params = {name: values[key] for key, name in _SAVED_PARAMS}
    params.update(row_id=instance.id, loaded_version=instance.lock_version)
    if completed:
        params.update(completion.params())
    if adding:
        new = new_rows[0]
        params.update({name: new[key] for key, name in _NEW_PARAMS})
    if fuse:
        [(saved,)] = fetch(session, _FUSED[completed, adding], params)
    else:
        saved = connection.execute(_SAVE_INSTANCE, params).rowcount
    if saved != 1:
        raise StaleDataError(f"process_instance {instance.id} was saved by someone else")
    record(session, instance, values)
    if completion is not None:
        if not completed:
            connection.execute(_CLOSE_TASK, completion.params())
            connection.execute(_RECORD_HISTORY, completion.params())
        record(session, completion.row, completion.closed())
    if new_rows and not adding:
        connection.execute(_INSERT_TASKS, list(new_rows))


def update_tasks(session: Session, changes: list[tuple[TaskRecord, dict]]) -> None:
    """Write changed columns of loaded inbox rows, one statement per set of columns."""
    by_shape: dict[tuple, list[tuple[TaskRecord, dict]]] = defaultdict(list)
    for row, values in changes:
        if values:
            by_shape[tuple(sorted(values))].append((row, values))
    for group in by_shape.values():
        session.connection().execute(
            _UPDATE_TASK, [{**values, "row_id": row.id} for row, values in group]
        )
        for row, values in group:
            record(session, row, values)
