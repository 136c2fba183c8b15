"""What a process owner looks after: deployed versions, instances by status, one instance's
tasks and history. Read-only queries over the engine's own tables; no workflow is loaded.

Only ids, titles, statuses and times leave here: task data (which may hold a family's personal
data) is never read, so a page built from these rows shows nothing beyond what the instance row
itself says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from .inbox import Page
from .models import (
    HumanTask,
    InstanceStatus,
    ProcessInstance,
    ProcessVersion,
    TaskHistory,
    TaskStatus,
)

# What the instance list filters by; cancelled instances are listed under "all" only.
STATUSES = (InstanceStatus.RUNNING, InstanceStatus.COMPLETED, InstanceStatus.INCIDENT)
PER_PAGE = 25


@dataclass(frozen=True)
class VersionSummary:
    """One deployed version as the version list shows it."""

    hash: str
    deployed_at: datetime
    current: bool
    files: list[str]
    running: int  # instances on this version still running (or stopped by an incident)
    total: int  # every instance ever started on it


def version_summaries(session: Session) -> list[VersionSummary]:
    """Every deployed version, newest (the current one) first, with its instance counts."""
    counts = {
        digest: (running or 0, total)
        for digest, running, total in session.execute(
            select(
                ProcessInstance.version_hash,
                func.count().filter(
                    ProcessInstance.status.in_((InstanceStatus.RUNNING, InstanceStatus.INCIDENT))
                ),
                func.count(),
            ).group_by(ProcessInstance.version_hash)
        )
    }
    rows = session.execute(
        select(ProcessVersion.hash, ProcessVersion.deployed_at, ProcessVersion.files).order_by(
            ProcessVersion.deployed_at.desc(), ProcessVersion.hash
        )
    ).all()
    return [
        VersionSummary(
            hash=digest,
            deployed_at=deployed_at,
            current=index == 0,  # new instances start on the newest deployed (VersionStore)
            files=sorted(files),
            running=counts.get(digest, (0, 0))[0],
            total=counts.get(digest, (0, 0))[1],
        )
        for index, (digest, deployed_at, files) in enumerate(rows)
    ]


@dataclass(frozen=True)
class InstanceQuery:
    """Which instances to list: each filter optional, one page of them, newest first."""

    process_id: str | None = None
    status: str | None = None
    facility_id: int | None = None
    page: int = 1
    per_page: int = PER_PAGE

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.page < 1 or self.per_page < 1:
            raise ValueError("page and per_page start at 1")


INSTANCE_COLUMNS = (
    ProcessInstance.id,
    ProcessInstance.process_id,
    ProcessInstance.variant,
    ProcessInstance.facility_id,
    ProcessInstance.status,
    ProcessInstance.created_at,
    ProcessInstance.updated_at,
    ProcessInstance.version_hash,
    ProcessInstance.incident_element,
    ProcessInstance.incident_error,
    ProcessInstance.incident_at,
)


def list_instances(session: Session, q: InstanceQuery) -> Page:
    """One page of instances (plain rows of INSTANCE_COLUMNS), newest first."""
    where = []
    if q.process_id:
        where.append(ProcessInstance.process_id == q.process_id)
    if q.status:
        where.append(ProcessInstance.status == q.status)
    if q.facility_id is not None:
        where.append(ProcessInstance.facility_id == q.facility_id)
    total = session.scalar(select(func.count()).select_from(ProcessInstance).where(*where)) or 0
    rows = session.execute(
        select(*INSTANCE_COLUMNS)
        .where(*where)
        .order_by(ProcessInstance.id.desc())
        .limit(q.per_page)
        .offset((q.page - 1) * q.per_page)
    ).all()
    return Page(list(rows), total, q.page, q.per_page)


def process_ids(session: Session) -> list[str]:
    """The process ids instances were started for, for the filter menu."""
    return list(
        session.scalars(
            select(ProcessInstance.process_id).distinct().order_by(ProcessInstance.process_id)
        )
    )


def open_tasks(session: Session, instance_id: int) -> list[Row]:
    """The instance's open human tasks: title, lane, facility and due time only."""
    return session.execute(
        select(HumanTask.bpmn_id, HumanTask.title, HumanTask.lane, HumanTask.facility_id)
        .add_columns(HumanTask.created_at, HumanTask.due_at)
        .where(HumanTask.instance_id == instance_id, HumanTask.status == TaskStatus.OPEN)
        .order_by(HumanTask.id)
    ).all()


def history(session: Session, instance_id: int) -> list[Row]:
    """Who completed which task of the instance, and when; the task's title where the inbox
    row is still there. The data sent with each task is not read."""
    return session.execute(
        select(TaskHistory.bpmn_id, HumanTask.title, TaskHistory.actor, TaskHistory.completed_at)
        .outerjoin(HumanTask, HumanTask.task_guid == TaskHistory.task_guid)
        .where(TaskHistory.instance_id == instance_id)
        .order_by(TaskHistory.completed_at, TaskHistory.id)
    ).all()
