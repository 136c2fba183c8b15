"""Load, step and save one instance: the mechanics under every engine operation.

Each script-running task whose operations have an effect (reach the transaction or set an
instance column) gets a SAVEPOINT from that moment, so a failing operation leaves no
half-written rows while the tasks that ran before it keep theirs; the instance is then saved
in ERROR state and marked as an incident, never left to stall silently. Any exception counts
(see incidents.py), and so does a state that cannot be written: then every write of the step
is undone with it, because the first writing task's savepoint stays open until the save (the
others nest in it).
"""

from __future__ import annotations

import dataclasses

from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptEngineTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import WorkflowException
from sqlalchemy.orm import Session

from . import forgetting, writes
from .actors import Actor
from .cancellation import ERASED_DATA, ERASED_STATE, erase_history
from .clock import clock
from .incidents import DELIBERATE, incident, step_error, unstorable_element
from .models import InstanceStatus, TaskStatus
from .operations import OperationContext, running, set_fields
from .projection import reconcile, scan
from .records import InstanceRecord
from .serializer import InstanceSerializer
from .versions import VersionStore

# session.info key: instance id -> (state string, workflow) kept by load(keep=True).
LOADED_KEY = "familybook.loaded_workflows"
# session.info key: task guid -> (transaction, task row, instance, open rows) read by the
# engine's task_for; any save forgets them all (the open rows may have changed).
READ_KEY = "familybook.read_tasks"
# session.info key: instance id -> (transaction, open inbox rows) as the last save left them,
# so the wizard's next page (engine.next_task) needs no query; new rows as their column values.
OPEN_KEY = "familybook.open_after_save"
# session.info key: instance id -> (savepoint, operation snapshot) of the step under way: the
# savepoint of its first task that writes, released by save(), or rolled back there when the
# state the step reached cannot be stored (so a retry does not write the step's rows twice).
STEP_KEY = "familybook.step_savepoints"


def _writes_data(task) -> bool:
    """Tasks that may call operations (and so write rows): a savepoint of their own is opened
    at their operations' first effect (OperationContext.on_first_effect), if any."""
    spec = task.task_spec
    return isinstance(spec, ScriptEngineTask) or bool(
        getattr(spec, "prescript", None) or getattr(spec, "postscript", None)
    )


class InstanceRunner:
    """Turns instance rows into running workflows and back."""

    def __init__(self, versions: VersionStore, script_engine) -> None:
        self.versions = versions
        self.script_engine = script_engine
        self.serializer = InstanceSerializer()
        self.spawn = None  # the engine's way to start a process from an operation

    def new_workflow(self, process) -> BpmnWorkflow:
        return BpmnWorkflow(
            process.spec, process.subprocess_specs, script_engine=self.script_engine
        )

    def load(
        self, session: Session, instance: InstanceRecord, *, keep: bool = False
    ) -> BpmnWorkflow:
        """The instance's workflow, on the version it started with, with our script engine.

        `keep` lets the next load in this session reuse the object (a task page reads the task
        data, then completes the task): reused only while the stored state is still the one it
        was made from, and handed out once, so a workflow that was run is never reused.
        """
        kept = session.info.setdefault(LOADED_KEY, {})
        hit = kept.pop(instance.id, None)
        fresh = hit is not None and hit[0] == instance.state
        workflow = hit[1] if fresh else self._deserialize(session, instance)
        if keep:
            kept[instance.id] = (instance.state, workflow)
        return workflow

    def _deserialize(self, session: Session, instance: InstanceRecord) -> BpmnWorkflow:
        version = self.versions.get(session, instance.version_hash)
        process = version.get(instance.process_id, instance.variant)
        workflow = self.serializer.loads(instance.state, process.spec, process.subprocess_specs)
        workflow.script_engine = self.script_engine  # the engine is not serialized
        return workflow

    def advance(
        self,
        session: Session,
        instance: InstanceRecord,
        workflow: BpmnWorkflow,
        actor: Actor,
        open_rows: list | None = None,
    ) -> None:
        """Run due timers and every engine step, then save (`open_rows`: the instance's open
        inbox rows, when the caller read them along)."""
        error = self.run(session, instance, workflow, actor)
        self.save(session, instance, workflow, error, open_rows)

    def run(
        self,
        session: Session,
        instance: InstanceRecord,
        workflow: BpmnWorkflow,
        actor: Actor,
        first_task=None,
    ) -> WorkflowException | None:
        """Run `first_task` (if any), due timers and every engine step; the error, if one failed."""
        ctx = OperationContext(
            session=session, instance=instance, actor=actor, now=clock.now(), spawn=self.spawn
        )
        with running(ctx):
            return self._run(session, ctx, workflow, first_task)

    def _run(
        self, session: Session, ctx: OperationContext, workflow: BpmnWorkflow, first_task
    ) -> WorkflowException | None:
        savepoint, snapshot, current = None, None, None

        def open_savepoint():
            nonlocal savepoint, snapshot
            savepoint, snapshot = session.begin_nested(), ctx.snapshot()

        def before(task):
            nonlocal current
            current = task
            if _writes_data(task):
                ctx.on_first_effect = open_savepoint  # on its first effect, if it has any

        def after(task):
            nonlocal savepoint, current
            ctx.on_first_effect = None
            if savepoint is not None:
                if _open_step(session, ctx.instance.id) is None:
                    session.flush()  # the task's writes: a failure is still this task's
                    session.info.setdefault(STEP_KEY, {})[ctx.instance.id] = (
                        savepoint,
                        snapshot,
                    )
                else:
                    savepoint.commit()  # flushes the task's writes (see above)
                savepoint = None
            current = None

        try:
            if first_task is not None:
                before(first_task)
                first_task.run()
                after(first_task)
            workflow.refresh_timers()  # a timer that is due fires before anything else
            workflow.do_engine_steps(before, after)
        except DELIBERATE:
            raise
        except Exception as exc:
            if savepoint is not None:
                # Also when a failed flush has already deactivated it: only its rollback makes
                # the session usable again, so the incident can still be saved.
                savepoint.rollback()
                ctx.restore(snapshot)
            return step_error(exc, current)
        return None

    def save(
        self,
        session: Session,
        instance: InstanceRecord,
        workflow: BpmnWorkflow,
        error: WorkflowException | None = None,
        open_rows: list | None = None,
        completion: writes.Completion | None = None,
    ) -> None:
        """Write state, status, incident, next timer, the completed task and inbox rows; flush
        (the caller commits). What operations asked to forget is dropped first, and an
        instance to be erased is saved empty, with its history (workflows.forgetting).

        The instance row goes first (on PostgreSQL in the same statement as the inbox writes):
        its version check fails when another request saved the instance meanwhile.
        """
        session.info.pop(READ_KEY, None)
        opened = session.info.setdefault(OPEN_KEY, {})
        opened.pop(instance.id, None)
        now = clock.now()
        erase = forgetting.apply(session, instance.id, workflow, error)
        if erase and completion is not None:
            completion = dataclasses.replace(completion, data=ERASED_DATA)
        step = _open_step(session, instance.id, pop=True)
        try:
            state = ERASED_STATE if erase else self.serializer.dumps(workflow)
        except (TypeError, ValueError) as exc:
            if step is not None:  # the step's writes go with the state it reached
                step[0].rollback()
                set_fields(instance, step[1])
            self._save_unstorable(session, instance, workflow, exc, now)
            return
        if step is not None:
            step[0].commit()
        ready, timer_at = scan(workflow)
        values = {
            "state": state,
            "serializer_version": self.serializer.version,
            "updated_at": now,
            "next_timer_at": None if error else timer_at,
            **_outcome(instance, workflow, error, now),
        }
        changes, new_rows = reconcile(session, instance, ready, now, open_rows)
        writes.save_instance(session, instance, values, completion, new_rows)
        writes.update_tasks(session, changes)
        if erase:
            erase_history(session, [instance.id])
        session.flush()  # rows operations added, so the caller's queries see them
        still_open = [row for row, _values in changes if row.status == TaskStatus.OPEN]
        still_open += new_rows  # in insertion (id) order; next_task makes records of them
        opened[instance.id] = (session.get_transaction(), still_open)

    def _save_unstorable(self, session, instance, workflow, exc, now) -> None:
        """An incident that keeps the last state saved (or, for a new instance, its start):
        the state the step reached cannot be written, so its tasks and inbox rows stay as they
        were (checked scripts make this rare: a value changed in place, an operation's data)."""
        state = instance.state
        if not state:
            fresh = BpmnWorkflow(workflow.spec, workflow.subprocess_specs)
            fresh.task_tree.data.update(workflow.task_tree.data)
            state = self.serializer.dumps(fresh)
        element = unstorable_element(workflow, self.serializer.storable)
        values = {
            "state": state,
            "serializer_version": self.serializer.version,
            "updated_at": now,
            "next_timer_at": None,
            **incident(instance, exc, now, element),
        }
        writes.save_instance(session, instance, values)
        session.flush()


def _open_step(session: Session, instance_id: int, *, pop: bool = False):
    """The (savepoint, snapshot) of the instance's step under way in this transaction, if any
    (one left by a step that raised is inactive: its transaction was rolled back)."""
    steps = session.info.get(STEP_KEY, {})
    step = steps.pop(instance_id, None) if pop else steps.get(instance_id)
    return step if step is not None and step[0].is_active else None


def _outcome(
    instance: InstanceRecord, workflow: BpmnWorkflow, error: WorkflowException | None, now
) -> dict:
    """Status columns after a step: incident, completed, or running (a fixed incident clears)."""
    if error is not None:
        return incident(instance, error, now)
    if workflow.is_completed():
        return {"status": InstanceStatus.COMPLETED, "completed_at": now}
    return {
        "status": InstanceStatus.RUNNING,
        "incident_error": None,
        "incident_element": None,
        "incident_at": None,
    }
