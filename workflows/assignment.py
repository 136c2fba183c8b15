"""Who holds the open work: claiming, handing over, and moving it with a transferred person."""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from .actors import Actor
from .errors import TaskAlreadyCompleted, TaskHeldByOther
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

    def claim(self, session: Session, task_guid: str, actor: Actor) -> HumanTask:
        """Take a task nobody holds (or keep one already the actor's).

        A colleague's task stays theirs: TaskHeldByOther names them; taking it over is the
        explicit reassign (`assign`). One conditional UPDATE, so of two claims sent at once
        only the first takes the task, on any database.
        """
        row = self.task_for(session, task_guid, actor)
        for _attempt in range(2):  # a second try when the holder let go meanwhile
            taken = session.execute(
                update(HumanTask)
                .where(
                    HumanTask.id == row.id,
                    HumanTask.status == TaskStatus.OPEN,
                    or_(
                        HumanTask.assignee_id.is_(None),
                        HumanTask.assignee_id == actor.account_id,
                    ),
                )
                .values(assignee_id=actor.account_id)
                .execution_options(synchronize_session="fetch")
            ).rowcount
            if taken:
                return row
            session.refresh(row, ["status", "assignee_id"])
            if row.status != TaskStatus.OPEN:
                raise TaskAlreadyCompleted()
            if row.assignee_id is not None:
                raise TaskHeldByOther(row.assignee_id)
        raise TaskHeldByOther(row.assignee_id)

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
