"""Tables of the engine layer: deployed versions, instances, the human-task inbox and history.

These tables hold no foreign keys into the product's own tables (accounts, facilities): the
engine stays usable on its own, and ownership columns are plain ids the app fills in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base, UTCDateTime


class ProcessVersion(Base):
    """One deployed set of BPMN/DMN files, stored once, keyed by the hash of its contents."""

    __tablename__ = "process_version"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    files: Mapped[dict] = mapped_column(JSON)  # relative path -> file text
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class InstanceStatus:
    RUNNING = "running"
    COMPLETED = "completed"
    INCIDENT = "incident"
    CANCELLED = "cancelled"


class ProcessInstance(Base):
    """One running (or finished) workflow; its state is the serialized workflow without the spec."""

    __tablename__ = "process_instance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_hash: Mapped[str] = mapped_column(ForeignKey("process_version.hash"), index=True)
    process_id: Mapped[str] = mapped_column(String(100))
    variant: Mapped[str] = mapped_column(String(100), default="")  # facility code of an override
    status: Mapped[str] = mapped_column(String(20), default=InstanceStatus.RUNNING)
    state: Mapped[str] = mapped_column(Text)
    serializer_version: Mapped[str] = mapped_column(String(10))
    # Only instances whose earliest timer is due are loaded by tick().
    next_timer_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    correlation_key: Mapped[str | None] = mapped_column(String(200), index=True)
    # What the instance is about, set by operations: a key to find every instance about it
    # ("inmate:12"), a label staff see ("0609 李〇〇") and the term they search by ("0609").
    subject_key: Mapped[str | None] = mapped_column(String(100), index=True)
    subject_label: Mapped[str | None] = mapped_column(String(200))
    search_key: Mapped[str | None] = mapped_column(String(50))
    facility_id: Mapped[int | None] = mapped_column(Integer, index=True)
    owner_account_id: Mapped[int | None] = mapped_column(Integer, index=True)
    owner_session: Mapped[str | None] = mapped_column(String(64))
    started_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    incident_error: Mapped[str | None] = mapped_column(Text)
    incident_element: Mapped[str | None] = mapped_column(String(200))
    incident_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Optimistic lock: every save bumps it; a save from a stale copy fails.
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": lock_version}


def compress_state_with_lz4(connection: Connection) -> bool:
    """Have PostgreSQL compress the state column with lz4 instead of its default pglz.

    Every engine step rewrites the state (a few kilobytes of JSON, stored out of line and
    compressed): lz4 compresses and decompresses several times faster, which shortens the
    step's write and the next step's read (bench/engine.py measured the fused write at about
    0.5 ms with pglz and 0.38 ms with lz4). Values written before keep pglz until their next
    save. A no-op (False) on SQLite, before PostgreSQL 14 and on a server built without lz4.
    """
    if connection.dialect.name != "postgresql" or connection.dialect.server_version_info < (14,):
        return False
    try:
        with connection.begin_nested():
            connection.execute(
                text("ALTER TABLE process_instance ALTER COLUMN state SET COMPRESSION lz4")
            )
    except DBAPIError:  # "compression method lz4 not supported": the server lacks it
        return False
    return True


event.listen(
    ProcessInstance.__table__,
    "after_create",
    lambda _table, connection, **_kw: compress_state_with_lz4(connection),
)


class TaskStatus:
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class HumanTask(Base):
    """The inbox projection of one READY user task, reconciled after every engine step."""

    __tablename__ = "human_task"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_guid: Mapped[str] = mapped_column(String(36), unique=True)
    process_id: Mapped[str] = mapped_column(String(100))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    form_key: Mapped[str] = mapped_column(String(100))
    lane: Mapped[str] = mapped_column(String(50))
    facility_id: Mapped[int | None] = mapped_column(Integer)
    owner_account_id: Mapped[int | None] = mapped_column(Integer)
    owner_session: Mapped[str | None] = mapped_column(String(64))
    assignee_id: Mapped[int | None] = mapped_column(Integer)
    subject_label: Mapped[str | None] = mapped_column(String(200))
    search_key: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20), default=TaskStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by: Mapped[str | None] = mapped_column(String(100))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        # The staff inbox: open tasks of one lane at one facility, by due date.
        Index("ix_human_task_inbox", "status", "facility_id", "lane", "due_at"),
        # Tab counts and filter menus are answered from this index alone (no table rows).
        Index(
            "ix_human_task_tabs",
            "status",
            "facility_id",
            "lane",
            "process_id",
            "bpmn_id",
            "title",
            "assignee_id",
        ),
        # Search by call number within a facility's open tasks.
        Index("ix_human_task_search", "status", "facility_id", "search_key"),
        # "Assigned to me".
        Index("ix_human_task_assignee", "status", "assignee_id"),
        # A family's own open tasks.
        Index("ix_human_task_owner", "owner_account_id", "status"),
    )


class TaskHistory(Base):
    """Who completed which task, when, with which (redacted) data. Never updated."""

    __tablename__ = "task_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    task_guid: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    actor: Mapped[str] = mapped_column(String(100))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[dict] = mapped_column(JSON)
