"""Who holds the open work: claiming, handing over, and moving it with a transferred person."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .actors import Actor
from .errors import TaskAlreadyCompleted
from .models import HumanTask, InstanceStatus, ProcessInstance, TaskStatus


class AssignmentMixin:
    """The engine's operations on task assignment (mixed into WorkflowEngine)."""

    def assign(
        self, session: Session, task_guid: str, actor: Actor, assignee_id: int | None
    ) -> HumanTask:
        """Claim (assignee = actor), unclaim (None) or hand a task to a colleague.

        The caller checks that the colleague works at the task's facility in a fitting role;
        the engine only records who holds the task.
        """
        row = self.task_for(session, task_guid, actor)
        if row.status != TaskStatus.OPEN:
            raise TaskAlreadyCompleted()
        row.assignee_id = assignee_id
        session.flush()
        return row

    def move_subject(self, session: Session, subject_key: str, facility_id: int) -> int:
        """Move every running instance about `subject_key` (and its open tasks) to a facility.

        Used when a person in custody is transferred: their open work follows them.
        """
        instances = session.scalars(
            select(ProcessInstance).where(
                ProcessInstance.subject_key == subject_key,
                ProcessInstance.status.in_([InstanceStatus.RUNNING, InstanceStatus.INCIDENT]),
            )
        ).all()
        for instance in instances:
            instance.facility_id = facility_id
            for row in session.scalars(
                select(HumanTask).where(
                    HumanTask.instance_id == instance.id, HumanTask.status == TaskStatus.OPEN
                )
            ):
                row.facility_id = facility_id
                row.assignee_id = None  # the old facility's staff no longer hold it
        session.flush()
        return len(instances)
