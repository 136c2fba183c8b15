"""What a failed step leaves behind: the error as an incident, on the element that failed.

Any exception a step raises becomes an incident, not only SpiffWorkflow's own: a failure that
escaped would leave the instance running with no trace and fail again on every try. Errors the
engine raises on purpose for its caller (EngineError, a lost optimistic-lock race) are not
failures of the instance and keep propagating.
"""

from __future__ import annotations

import logging
from datetime import datetime

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm.exc import StaleDataError

from .errors import EngineError
from .models import InstanceStatus, ProcessInstance

log = logging.getLogger(__name__)

# Raised for the caller, never recorded as an incident.
DELIBERATE = (EngineError, StaleDataError)


def step_error(exc: Exception, task) -> WorkflowException:
    """`exc` as a WorkflowException on the task that was running (marked failed, so a retry
    re-runs it); SpiffWorkflow's own errors already are one, their task already failed."""
    if isinstance(exc, WorkflowException):
        return exc
    if task is None:
        error = WorkflowException(f"{type(exc).__name__}: {exc}")
        error.error_type = type(exc).__name__
        return error
    if task.state != TaskState.ERROR:
        # Also when it finished: a failed flush of its writes rolled them back, so it must run
        # again (retry resets it and what followed it).
        task.error()
    return WorkflowTaskException(f"{type(exc).__name__}: {exc}", task=task, exception=exc)


def unstorable_element(workflow, storable) -> str:
    """The first element (in tree order, so the one that made it) whose data cannot be stored."""
    for task in workflow.get_tasks():
        for name, value in task.data.items():
            try:
                storable(name, value)
            except TypeError:
                return task.task_spec.bpmn_id or task.task_spec.name
    return "?"


def incident(instance: ProcessInstance, error: Exception, now: datetime, element=None) -> dict:
    """The incident columns for a failed step, logged without task data."""
    spec = getattr(error, "task_spec", None)
    element = element or getattr(spec, "bpmn_id", None) or getattr(spec, "name", None) or "?"
    detail = str(error)
    if getattr(error, "error_line", None):
        detail += f" (line {error.line_number}: {error.error_line})"
    # Only ids and the element: task data may hold personal data and stays out of logs.
    log.error(
        "instance %s: incident at %s (%s)",
        instance.id,
        element,
        getattr(error, "error_type", type(error).__name__),
    )
    return {
        "status": InstanceStatus.INCIDENT,
        "incident_error": detail,
        "incident_element": element,
        "incident_at": now,
    }
