"""Human-task rows made by hand for the inbox tests, and the bare instance they hang on."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from workflows.models import HumanTask, ProcessInstance, ProcessVersion, TaskStatus

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def dummy_instance(session, facility_id: int | None = None) -> int:
    """A bare instance row for hand-made tasks to hang on (human_task.instance_id is a FK)."""
    if session.get(ProcessVersion, "0" * 64) is None:
        session.add(ProcessVersion(hash="0" * 64, files={}, deployed_at=T0))
        session.flush()
    instance = ProcessInstance(
        version_hash="0" * 64,
        process_id="service_application",
        state="{}",
        serializer_version="1",
        started_by="test",
        facility_id=facility_id,
        created_at=T0,
        updated_at=T0,
    )
    session.add(instance)
    session.flush()
    return instance.id


def add_task(session, instance_id: int, facility_id: int, call: str | None = "0609", **fields):
    """One human-task row, open in the Reviewer lane unless told otherwise."""
    values = dict(
        task_guid=str(uuid4()),
        process_id="service_application",
        bpmn_id="review",
        title="Review the application",
        form_key="ReviewForm",
        lane="Reviewer",
        facility_id=facility_id,
        subject_label=f"{call} 李〇〇" if call else None,
        search_key=call,
        status=TaskStatus.OPEN,
        created_at=T0,
    )
    values.update(fields)
    row = HumanTask(instance_id=instance_id, **values)
    session.add(row)
    session.flush()
    return row
