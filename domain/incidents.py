"""Retrying an instance stopped by an incident, recorded in the audit log: one function for the
command line (`workflows retry`) and the process owner's web page, so both do the same."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workflows import Actor, WorkflowEngine
from workflows.models import ProcessInstance

from .audit import record


def retry_incident(
    session: Session, engine: WorkflowEngine, actor: Actor, instance_id: int
) -> ProcessInstance:
    """Re-run the failed element of the instance in the caller's transaction and log who did.

    The steps run as the system, whoever asked (the command line does the same); the log names
    the one who asked. Only the status and the element are logged: an error message may quote
    task data. Raises InstanceNotFound when the instance has no incident (any more).
    """
    stopped = session.get(ProcessInstance, instance_id)
    element = stopped.incident_element if stopped is not None else None
    instance = engine.retry(session, instance_id)
    record(
        session,
        actor,
        "instance.retry",
        "process_instance",
        instance.id,
        facility_id=instance.facility_id,
        before={"status": "incident", "incident_element": element},
        after={"status": instance.status, "incident_element": instance.incident_element},
    )
    return instance
