"""Stopping instances for good and erasing the personal data they hold.

When the person a case is about deletes their account, the case must not go on: no timer may
fire, no task may be worked, no message may be correlated to it. Cancelling marks the instance
CANCELLED (tick, send_event and retry only load RUNNING or INCIDENT instances) with no next
timer, and its open inbox rows CANCELLED (completion refuses any task that is not OPEN). The
serialized workflow is not stepped to an end: stepping would run its scripts, which would mail
and write for a person who asked to be forgotten.

The state of the instance (task data: names, addresses, an encrypted ID during registration) is
then replaced by an empty one, what it says it is about (subject key, label, search term) is
cleared on it and its inbox rows, and the person's own entries in the task history are emptied;
staff entries (decisions, reasons) stay as the record of what was decided.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .clock import clock
from .models import HumanTask, InstanceStatus, ProcessInstance, TaskHistory, TaskStatus

ERASED_STATE = json.dumps({"data": {}, "erased": True})
ERASED_DATA = {"erased": True}


def cancel_instances(session: Session, instance_ids: Iterable[int], actor_label: str) -> int:
    """Cancel the running (or failed) instances among these and their open tasks (flush).

    Returns how many instances were cancelled; finished ones are left as they are.
    """
    ids = sorted(set(instance_ids))
    if not ids:
        return 0
    now = clock.now()
    instances = session.scalars(
        select(ProcessInstance).where(
            ProcessInstance.id.in_(ids),
            ProcessInstance.status.in_((InstanceStatus.RUNNING, InstanceStatus.INCIDENT)),
        )
    ).all()
    for instance in instances:
        instance.status = InstanceStatus.CANCELLED
        instance.next_timer_at = None
        instance.completed_at = now
        instance.updated_at = now
    session.execute(
        update(HumanTask)
        .where(HumanTask.instance_id.in_(ids), HumanTask.status == TaskStatus.OPEN)
        .values(status=TaskStatus.CANCELLED, completed_by=actor_label, completed_at=now),
        execution_options={"synchronize_session": "fetch"},
    )
    session.flush()
    return len(instances)


def erase_instance_data(session: Session, instance_ids: Iterable[int], person_labels) -> None:
    """Empty the state and subject of these instances, the subject of their inbox rows, and
    the history entries made by `person_labels` (None: all of them).

    Call after `cancel_instances`: a running instance with an empty state could not go on.
    """
    ids = sorted(set(instance_ids))
    if not ids:
        return
    for instance in session.scalars(select(ProcessInstance).where(ProcessInstance.id.in_(ids))):
        instance.state = ERASED_STATE
        instance.subject_key = instance.subject_label = instance.search_key = None
    session.execute(
        update(HumanTask)
        .where(HumanTask.instance_id.in_(ids))
        .values(subject_label=None, search_key=None),
        execution_options={"synchronize_session": "fetch"},
    )
    erase_history(session, ids, person_labels)
    session.flush()


def erase_history(session: Session, instance_ids: list[int], person_labels=None) -> None:
    """Empty the history entries of these instances made by `person_labels` (None: all)."""
    where = [TaskHistory.instance_id.in_(instance_ids)]
    if person_labels is not None:
        where.append(TaskHistory.actor.in_(list(person_labels)))
    session.execute(
        update(TaskHistory).where(*where).values(data=ERASED_DATA),
        execution_options={"synchronize_session": "fetch"},
    )
