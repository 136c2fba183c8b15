"""Who holds the open work: claiming, handing over, and moving it with a transferred person."""

from __future__ import annotations

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from .actors import Actor
from .errors import TaskAlreadyCompleted, TaskHeldByOther
from .models import HumanTask, InstanceStatus, ProcessInstance, TaskStatus
from .records import TaskRecord, record

# The columns a claim that lost reads again: whether the task is still open, and who holds it.
_HOLDER = select(HumanTask.status, HumanTask.assignee_id).where(HumanTask.id == bindparam("id"))


class AssignmentMixin:
    """The engine's operations on task assignment (mixed into WorkflowEngine)."""

    def assign(
        self, session: Session, task_guid: str, actor: Actor, assignee_id: int | None
    ) -> TaskRecord:
        """Claim (assignee = actor), unclaim (None) or hand a task to a colleague.

        The caller checks that the colleague works at the task's facility in a fitting role;
        the engine only records who holds the task.
        """
        row = self.task_for(session, task_guid, actor)
        if row.status != TaskStatus.OPEN:
            raise TaskAlreadyCompleted()
        session.connection().execute(
            update(HumanTask).where(HumanTask.id == row.id).values(assignee_id=assignee_id)
        )
        record(session, row, {"assignee_id": assignee_id})
        return row

    def claim(self, session: Session, task_guid: str, actor: Actor) -> TaskRecord:
        """Take a task nobody holds (or keep one already the actor's).

        A colleague's task stays theirs: TaskHeldByOther names them; taking it over is the
        explicit reassign (`assign`). One conditional UPDATE, so of two claims sent at once
        only the first takes the task, on any database.
        """
        row = self.task_for(session, task_guid, actor)
        for _attempt in range(2):  # a second try when the holder let go meanwhile
            taken = (
                session.connection()
                .execute(
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
                )
                .rowcount
            )
            if taken:
                record(session, row, {"assignee_id": actor.account_id})
                return row
            status, holder = session.connection().execute(_HOLDER, {"id": row.id}).one()
            record(session, row, {"status": status, "assignee_id": holder})
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
