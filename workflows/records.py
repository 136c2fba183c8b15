"""The engine's rows as plain records: what it reads and writes of process_instance and human_task.

The engine reads and writes its few rows per step with single statements (workflows.driver,
workflows.writes). Loading them as ORM objects cost more than the statements (the ORM builds
its loaders for every column of every entity on each query), so the engine works on records:
one attribute per column, nothing tracked. The ORM models stay what the rest of the
application queries.

Three rules keep every copy of a row in one session alike:
- One live record per row and session: a read refreshes the record a caller may still hold
  (`remember`), so an instance returned by `start` shows what a later `complete` did to it.
- Every value the engine writes is also set on that record and on the ORM object the session
  holds for the row, if any (`record`), as the database's state, not as a change to flush.
- What a flush writes of an ORM object reaches the live record of its row (`_copy_flushed`):
  an instance moved to another facility through the ORM shows it. A record is never written
  back: setting its attributes changes nothing in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from weakref import WeakValueDictionary

from sqlalchemy import Integer, and_, bindparam, event, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .driver import fetch
from .models import HumanTask, InstanceStatus, ProcessInstance, TaskStatus

# session.info key: (model, row id) -> the live record of that row in this session.
LIVE_KEY = "familybook.live_records"


class Record:
    """A row of `MODEL`'s table: its columns as attributes, in `COLUMNS` order."""

    __slots__ = ("__weakref__",)
    MODEL: type
    COLUMNS: tuple[str, ...]

    def __init__(self, values: Iterable) -> None:
        for name, value in zip(self.COLUMNS, values, strict=True):
            setattr(self, name, value)

    @classmethod
    def from_values(cls, values: dict) -> Record:
        """A record from column values by name; columns not given are None."""
        return cls(values.get(name) for name in cls.COLUMNS)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={getattr(self, 'id', None)}>"


def _columns(model) -> tuple[str, ...]:
    return tuple(column.key for column in model.__table__.columns)


class InstanceRecord(Record):
    """A process_instance row (see workflows.models.ProcessInstance for its columns)."""

    MODEL = ProcessInstance
    COLUMNS = _columns(ProcessInstance)
    __slots__ = COLUMNS


class TaskRecord(Record):
    """A human_task row, an inbox entry (see workflows.models.HumanTask for its columns)."""

    MODEL = HumanTask
    COLUMNS = _columns(HumanTask)
    __slots__ = COLUMNS


def remember(session: Session, fresh: Record) -> Record:
    """The session's live record of this row, refreshed with `fresh`'s values (or `fresh`)."""
    live = session.info.setdefault(LIVE_KEY, WeakValueDictionary())
    key = (fresh.MODEL, fresh.id)
    known = live.get(key)
    if known is None:
        live[key] = fresh
        return fresh
    if known is not fresh:
        for name in fresh.COLUMNS:
            setattr(known, name, getattr(fresh, name))
    return known


def record(session: Session, row, values: dict) -> None:
    """Set values the database now holds on `row` (a record or an ORM object), on the session's
    live record of that row and on the ORM object it has loaded for it."""
    model = row.MODEL if isinstance(row, Record) else type(row)
    copies = {id(row): row}
    live = session.info.get(LIVE_KEY)
    if live is not None:
        known = live.get((model, row.id))
        if known is not None:
            copies[id(known)] = known
    loaded = session.identity_map.get(inspect(model).identity_key_from_primary_key((row.id,)))
    if loaded is not None:
        copies[id(loaded)] = loaded
    for copy in copies.values():
        set_values(copy, values)


@event.listens_for(Session, "after_flush")
def _copy_flushed(session: Session, _context) -> None:
    """Give the live records the values a flush wrote of their rows' ORM objects."""
    live = session.info.get(LIVE_KEY)
    if not live:
        return
    for obj in session.dirty:
        state = inspect(obj)
        known = live.get((state.class_, state.identity[0])) if state.identity else None
        if known is not None:
            loaded = state.dict  # what the object holds, without loading anything
            set_values(known, {name: loaded[name] for name in known.COLUMNS if name in loaded})


def set_values(row, values: dict) -> None:
    """Set values on this one copy of a row (a record, or an ORM object as its loaded state)."""
    if isinstance(row, Record):
        for name, value in values.items():
            setattr(row, name, value)
    else:
        for name, value in values.items():
            set_committed_value(row, name, value)


_INSTANCE, _TASK = ProcessInstance.__table__, HumanTask.__table__
INSTANCE_COLUMNS = tuple(_INSTANCE.c)  # a statement selecting these reads InstanceRecords


def open_rows_of_instance(tasks):
    """Join condition: `tasks` (human_task or an alias of it) are the instance's open rows."""
    return and_(tasks.c.instance_id == _INSTANCE.c.id, tasks.c.status == TaskStatus.OPEN)


_INSTANCE_BY_ID = select(*INSTANCE_COLUMNS).where(_INSTANCE.c.id == bindparam("instance_id"))
_OPEN_TASKS = (
    select(*_TASK.c)
    .where(_TASK.c.instance_id == bindparam("instance_id"), _TASK.c.status == TaskStatus.OPEN)
    .order_by(_TASK.c.id)
)


def read_instance(session: Session, instance_id: int) -> InstanceRecord | None:
    """The instance row as the database holds it (pending ORM changes flushed first)."""
    return first_instance(session, _INSTANCE_BY_ID, {"instance_id": instance_id})


def first_instance(session: Session, statement, params: dict) -> InstanceRecord | None:
    """The first instance row `statement` (selecting every column) finds, or None."""
    session.flush()
    found = fetch(session, statement, params)
    return remember(session, InstanceRecord(found[0])) if found else None


def read_open_tasks(session: Session, instance_id: int) -> list[TaskRecord]:
    """The instance's open inbox rows, oldest first (pending ORM changes flushed first)."""
    session.flush()
    found = fetch(session, _OPEN_TASKS, {"instance_id": instance_id})
    return [remember(session, TaskRecord(values)) for values in found]


def _due_query():
    """Running instances whose next timer is due by :at, earliest first (at most :limit), each
    with its open inbox rows: every column of both, one row per open task (or one without)."""
    due = (
        select(_INSTANCE.c.id)
        .where(
            _INSTANCE.c.status == InstanceStatus.RUNNING,
            _INSTANCE.c.next_timer_at <= bindparam("at"),
        )
        .order_by(_INSTANCE.c.next_timer_at)
        .limit(bindparam("limit", type_=Integer))
        .subquery("due")
    )
    return (
        select(*INSTANCE_COLUMNS, *_TASK.c)
        .select_from(
            _INSTANCE.join(due, due.c.id == _INSTANCE.c.id).outerjoin(
                _TASK, open_rows_of_instance(_TASK)
            )
        )
        .order_by(_INSTANCE.c.next_timer_at, _INSTANCE.c.id, _TASK.c.id)
    )


_DUE = _due_query()


def read_due(session: Session, at, limit: int) -> list[tuple[InstanceRecord, list, int]]:
    """The instances a tick at `at` advances, with their open inbox rows and the lock version
    they were read at, in one query (not two per instance); pending ORM changes flushed first.
    """
    session.flush()
    width, due = len(InstanceRecord.COLUMNS), {}
    for values in fetch(session, _DUE, {"at": at, "limit": limit}):
        instance_id = values[0]
        if instance_id not in due:
            instance = remember(session, InstanceRecord(values[:width]))
            due[instance_id] = (instance, [], instance.lock_version)
        if values[width] is not None:
            due[instance_id][1].append(remember(session, TaskRecord(values[width:])))
    return list(due.values())
