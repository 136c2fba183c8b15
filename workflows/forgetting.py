"""Personal data an instance lets go of: a secret once it is used, everything when it ends.

A script cannot do this by itself: the saved state keeps what every finished task held, and
the history row of the step that is running is written after its scripts. So operations ask
(`OperationContext.forget`, `erase_when_ended`) and the step's save does it (runner.save).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
# session.info key: instance id -> what its next save lets go of.
FORGET_KEY = "familybook.forget"


@dataclass
class Forgetting:
    """What one instance's next save drops: keys of dict variables, or all it holds."""

    fields: set[tuple[str, str]] = field(default_factory=set)
    erase: bool = False


def request(session: Session, instance_id: int) -> Forgetting:
    """The requests recorded for this instance's next save (made on first use)."""
    return session.info.setdefault(FORGET_KEY, {}).setdefault(instance_id, Forgetting())


def apply(session: Session, instance_id: int, workflow: BpmnWorkflow, error) -> bool:
    """Drop the keys asked for from the workflow about to be saved; whether the whole instance
    is to be saved empty (asked for, and this step ended it without an error).

    Requests are taken: each applies to one save only.
    """
    asked = session.info.get(FORGET_KEY, {}).pop(instance_id, None)
    if asked is None:
        return False
    drop_fields(workflow, asked.fields)
    if asked.erase and not (error is None and workflow.is_completed()):
        log.warning("instance %s: erasure asked for, but the step did not end it", instance_id)
        return False
    return asked.erase


def drop_fields(workflow: BpmnWorkflow, fields: set[tuple[str, str]]) -> None:
    """Remove `variable[key]` from the data of every task and of the workflow itself."""
    holders = [workflow.data, *(task.data for task in workflow.get_tasks())]
    for data in holders:
        for variable, key in fields:
            value = data.get(variable)
            if isinstance(value, dict):
                value.pop(key, None)
