"""Keeps the `human_task` table in step with the instance: the inbox never reads workflow JSON."""

from __future__ import annotations

from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from .models import TaskStatus
from .records import InstanceRecord, TaskRecord, read_open_tasks


def _deadline(task) -> datetime | None:
    value = task.internal_data.get("event_value")
    return TimerEventDefinition.get_datetime(value) if isinstance(value, str) else None


def scan(workflow: BpmnWorkflow) -> tuple[dict, datetime | None]:
    """What a save needs of the tasks, in one walk of the tree: the READY manual tasks by id
    (the inbox rows to keep or add) and the earliest deadline of any waiting timer (boundary,
    intermediate or gateway), the instance's next_timer_at."""
    ready, deadlines = {}, []
    for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
        if task.state == TaskState.WAITING:
            deadline = _deadline(task)
            if deadline is not None:
                deadlines.append(deadline)
        elif task.task_spec.manual:
            ready[str(task.id)] = task
    return ready, min(deadlines, default=None)


DUE_AT_VARIABLE = "task_due_at"


def _holds_deadline(sibling) -> bool:
    """A timer still waiting, or a non-interrupting one that fired: the task it watches stays
    open, so its deadline is still the task's (now passed, shown as overdue)."""
    if sibling.state == TaskState.WAITING:
        return True
    spec = sibling.task_spec
    return sibling.state == TaskState.COMPLETED and getattr(spec, "cancel_activity", True) is False


def due_at(task) -> datetime | None:
    """When a user task is due: when a timer on its boundary fires (or fired, if it left the
    task open), else the ISO time in the task's `task_due_at` variable (for a task that follows
    a deadline already passed)."""
    siblings = task.parent.children if task.parent is not None else []
    deadlines = [_deadline(s) for s in siblings if s is not task and _holds_deadline(s)]
    boundary = min((d for d in deadlines if d is not None), default=None)
    if boundary is not None:
        return boundary
    declared = task.data.get(DUE_AT_VARIABLE)
    return datetime.fromisoformat(declared) if isinstance(declared, str) else None


def form_key(task_spec) -> str:
    return task_spec.extensions.get("properties", {}).get("form_class", "")


def reconcile(
    session: Session,
    instance: InstanceRecord,
    ready: dict,
    now: datetime,
    open_rows: list[TaskRecord] | None = None,
) -> tuple[list[tuple[TaskRecord, dict]], list[dict]]:
    """The inbox writes after a step: a new row per READY manual task (`ready`, from scan),
    open rows whose task is gone closed, the rest refreshed. Returns (changes to loaded rows,
    new rows); writes.py writes them with the instance.

    `open_rows`, when the caller already holds the instance's other open rows, saves a query.
    Only values that differ are changed, so a step that leaves a row alone costs nothing.
    """
    ready = dict(ready)  # taken apart below
    if open_rows is None:
        open_rows = read_open_tasks(session, instance.id)
    changes = []
    for row in open_rows:
        task = ready.pop(row.task_guid, None)
        if task is None:
            changes.append((row, {"status": TaskStatus.CANCELLED, "completed_at": now}))
            continue
        wanted = {**_instance_fields(instance), "due_at": due_at(task)}
        changes.append((row, {k: v for k, v in wanted.items() if getattr(row, k) != v}))
    return changes, [_new_row(instance, guid, t, now) for guid, t in ready.items()]


def _instance_fields(instance: InstanceRecord) -> dict:
    """What an inbox row copies from its instance, so the inbox never joins the instance."""
    return {
        "facility_id": instance.facility_id,
        "owner_account_id": instance.owner_account_id,
        "owner_session": instance.owner_session,
        "subject_label": instance.subject_label,
        "search_key": instance.search_key,
    }


def _new_row(instance: InstanceRecord, guid: str, task, now: datetime) -> dict:
    """The inbox row of a task that just became ready."""
    spec = task.task_spec
    return {
        "instance_id": instance.id,
        "task_guid": guid,
        "process_id": instance.process_id,
        "bpmn_id": spec.bpmn_id,
        "title": spec.bpmn_name or spec.bpmn_id,
        "form_key": form_key(spec),
        "lane": spec.lane or "",
        **_instance_fields(instance),
        "status": TaskStatus.OPEN,
        "created_at": now,
        "due_at": due_at(task),
    }


def first_form(spec) -> tuple[str | None, str]:
    """The form and title of the user task a process opens with, when nothing runs before it.

    Lets a page show a process's first form before any instance exists, so visitors who only
    look create nothing; the title is the page's heading, as on the task's own page.
    """
    from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptEngineTask
    from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask

    task_spec, seen = spec.start, set()
    while task_spec is not None and task_spec.name not in seen:
        seen.add(task_spec.name)
        if isinstance(task_spec, UserTask):
            return form_key(task_spec), task_spec.bpmn_name or task_spec.bpmn_id
        if isinstance(task_spec, ScriptEngineTask) or len(task_spec.outputs) != 1:
            return None, ""
        task_spec = task_spec.outputs[0]
    return None, ""
