"""The engine's public operations: start, complete, send_event, tick, retry.

Each runs inside the caller's transaction (one request or one job) and only flushes; the caller
commits once. Two completions of one task race on the instance row's optimistic lock: one wins,
the other gets TaskAlreadyCompleted.
"""

from __future__ import annotations

import logging
from datetime import datetime
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from . import writes
from .actors import SYSTEM, Actor
from .assignment import AssignmentMixin
from .clock import clock
from .errors import (
    EventNotExpected,
    InstanceNotFound,
    TaskAlreadyCompleted,
    TaskExpired,
)
from .incidents import incident
from .models import InstanceStatus, ProcessInstance
from .operations import OPERATIONS, OperationRegistry, correlation_key
from .reading import TaskReadingMixin, timers_due
from .records import INSTANCE_COLUMNS, InstanceRecord, first_instance, read_due, read_instance
from .redaction import keep_task_data_out_of_logs, redact
from .runner import InstanceRunner
from .scripting import make_script_engine
from .versions import VersionStore

log = logging.getLogger(__name__)

# The newest running instance with a correlation key (send_event).
_RUNNING_BY_CORRELATION = (
    select(*INSTANCE_COLUMNS)
    .where(
        ProcessInstance.correlation_key == bindparam("key"),
        ProcessInstance.status == InstanceStatus.RUNNING,
    )
    .order_by(ProcessInstance.id.desc())
    .limit(1)
)


class WorkflowEngine(TaskReadingMixin, AssignmentMixin):
    """Starts and drives process instances stored in the database."""

    def __init__(
        self, operations: OperationRegistry = OPERATIONS, form_keys: frozenset[str] = frozenset()
    ) -> None:
        keep_task_data_out_of_logs()
        self.operations = operations
        self.versions = VersionStore(operations.names, form_keys)
        self.runner = InstanceRunner(self.versions, make_script_engine(operations))
        self.runner.spawn = self._spawn

    # -- starting and completing -------------------------------------------------------------

    def start(
        self,
        session: Session,
        process_id: str,
        actor: Actor,
        data: dict | None = None,
        *,
        variant: str = "",
        facility_id: int | None = None,
        correlation: dict | None = None,
    ) -> InstanceRecord:
        """Start the newest version of a process (the facility's variant if it has one)."""
        version = self.versions.current(session)
        process = version.get(process_id, variant)
        workflow = self.runner.new_workflow(process)
        workflow.task_tree.data.update(data or {})  # seed data on the root: it reaches every task
        now = clock.now()
        family = "family" in actor.roles
        # Inserted before the first step: operations correlate on its id.
        instance = writes.insert_instance(
            session,
            {
                "version_hash": version.hash,
                "process_id": process_id,
                "variant": process.variant,
                "status": InstanceStatus.RUNNING,
                "state": "",
                "serializer_version": "",
                "facility_id": facility_id,
                "owner_account_id": actor.account_id if family else None,
                "owner_session": actor.session_key if actor.account_id is None else None,
                "correlation_key": correlation_key(correlation) if correlation else None,
                "started_by": actor.label,
                "created_at": now,
                "updated_at": now,
            },
        )
        error = self.runner.run(session, instance, workflow, actor)
        self.runner.save(session, instance, workflow, error, open_rows=[])  # a new one has none
        return instance

    def complete(
        self, session: Session, task_guid: str, actor: Actor, data: dict | None = None
    ) -> InstanceRecord:
        """Complete a ready user task with form data, then run until input is needed again.

        Timers already due fire first: a task whose deadline passed before the tick ran is
        refused with TaskExpired (its transaction holds the timer's step, to commit).
        """
        row, instance, open_rows = self._load_for_completion(session, task_guid, actor)
        workflow = self.runner.load(session, instance)
        task = workflow.get_task_from_id(UUID(task_guid))
        if task.state != TaskState.READY:
            raise TaskAlreadyCompleted()
        late = timers_due(instance)  # its deadline may have passed since task_for read it
        timer_error = self.runner.run(session, instance, workflow, actor) if late else None
        if task.state != TaskState.READY:
            self._locked(
                session, lambda: self.runner.save(session, instance, workflow, timer_error)
            )
            raise TaskExpired()
        task.task_spec.add_data_from_form(task, data or {})

        def run_and_record():
            # The engine runs before the bookkeeping rows are written, so the savepoint of the
            # first script step has nothing to flush.
            error = self.runner.run(session, instance, workflow, actor, task)
            completion = writes.Completion(row, actor.label, redact(data or {}), clock.now())
            others = [r for r in open_rows if r is not row]
            self.runner.save(session, instance, workflow, timer_error or error, others, completion)

        self._locked(session, run_and_record)
        return instance

    def _spawn(
        self, session: Session, process_id: str, data: dict, *, facility_id=None, variant=""
    ) -> InstanceRecord:
        """Start a process for an operation of another instance (as the system)."""
        return self.start(
            session, process_id, SYSTEM, data, variant=variant, facility_id=facility_id
        )

    # -- events, timers, incidents -----------------------------------------------------------

    def send_event(
        self,
        session: Session,
        name: str,
        payload: dict | None = None,
        *,
        correlation: dict,
        actor: Actor = SYSTEM,
    ) -> InstanceRecord:
        """Deliver a message to the running instance correlated by `correlation`.

        Timers that are already due fire first, so a message that arrives after its deadline
        (a verification link clicked after 10 minutes) is refused even before the tick ran.
        """
        key = correlation_key(correlation)
        instance = first_instance(session, _RUNNING_BY_CORRELATION, {"key": key})
        if instance is None:
            raise InstanceNotFound(f"no running instance for {correlation_key(correlation)}")
        workflow = self.runner.load(session, instance)
        error = self.runner.run(session, instance, workflow, actor)  # due timers fire first
        if error is None:
            definition = _waiting_definition(workflow, name)
            if definition is None:
                self._locked(session, lambda: self.runner.save(session, instance, workflow))
                raise EventNotExpected(f"instance {instance.id} is not waiting for {name!r}")
            workflow.send_event(BpmnEvent(type(definition)(definition.name), payload or {}))
            error = self.runner.run(session, instance, workflow, actor)
        self._locked(session, lambda: self.runner.save(session, instance, workflow, error))
        return instance

    def tick(self, session: Session, now: datetime | None = None, limit: int = 500) -> list[int]:
        """Advance every instance whose next timer is due; returns their ids."""
        with clock.pinned(now or clock.now()) as at:
            advanced = []
            for instance, open_rows, read_at_version in read_due(session, at, limit):
                if instance.lock_version != read_at_version:
                    continue  # a step of this tick saved it meanwhile: the next tick sees it
                try:
                    with session.begin_nested():
                        workflow = self.runner.load(session, instance)
                        self.runner.advance(session, instance, workflow, SYSTEM, open_rows)
                    advanced.append(instance.id)
                except StaleDataError:
                    continue  # another worker advanced it first
                except Exception as exc:  # one broken instance must not stop the others
                    self._fail(session, instance.id, exc)
            return advanced

    def _fail(self, session: Session, instance_id: int, exc: Exception) -> None:
        """Mark an instance whose step failed outside the runner's own incident handling (its
        state could not even be loaded, say), so the next tick does not pick it again first."""
        try:
            with session.begin_nested():
                # Re-read: the rolled-back savepoint may have left written values in the record.
                instance = read_instance(session, instance_id)
                values = {"updated_at": clock.now(), "next_timer_at": None}
                values.update(incident(instance, exc, clock.now()))
                writes.save_instance(session, instance, values)
        except Exception as failure:  # the others still advance; this one stays due
            # Type names only: messages may quote task data.
            log.error(
                "instance %s: step failed (%s), incident not recorded (%s)",
                instance_id,
                type(exc).__name__,
                type(failure).__name__,
            )

    def retry(self, session: Session, instance_id: int, actor: Actor = SYSTEM) -> InstanceRecord:
        """Re-run the failed element of an incident, once its cause is fixed."""
        instance = read_instance(session, instance_id)
        if instance is None or instance.status != InstanceStatus.INCIDENT:
            raise InstanceNotFound(f"instance {instance_id} has no incident")
        workflow = self.runner.load(session, instance)
        for failed in workflow.get_tasks(state=TaskState.ERROR):
            workflow.reset_from_task_id(failed.id)
        self._locked(session, lambda: self.runner.advance(session, instance, workflow, actor))
        return instance

    @staticmethod
    def _locked(session: Session, step) -> None:
        """Run a save; a stale instance row means another request won the race.

        No savepoint: the caller rolls the whole transaction back on this error (a request
        answers "already completed"; tick wraps each instance in its own savepoint).
        """
        try:
            step()
        except StaleDataError:
            raise TaskAlreadyCompleted() from None


def _waiting_definition(workflow, name: str):
    """The event definition named `name` that a WAITING task (or gateway) listens for."""
    for task in workflow.get_tasks(state=TaskState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        candidates = (
            definition.event_definitions
            if isinstance(definition, MultipleEventDefinition)
            else [definition]
        )
        for candidate in candidates:
            if getattr(candidate, "name", None) == name:
                return candidate
    return None
