"""Recording a staff member's change in the audit log from a view, as the signed-in actor."""

from __future__ import annotations

from typing import Any

from domain.audit import record, snapshot

from .actors import current_actor
from .extensions import get_db

INMATE_FIELDS = ("call_number", "name", "juvenile", "children_under_18", "facility_id")
RESTRICTION_FIELDS = ("inmate_id", "kind", "starts_on", "ends_on", "note")


def audit(
    action: str,
    object_type: str,
    object_id: Any,
    facility_id: int | None,
    *,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """One event in this request's transaction (it commits, or not, with the change)."""
    record(
        get_db().session,
        current_actor(),
        action,
        object_type,
        object_id,
        facility_id=facility_id,
        before=before,
        after=after,
    )


def inmate_state(inmate) -> dict:
    return snapshot(inmate, INMATE_FIELDS)


def restriction_state(restriction) -> dict:
    return snapshot(restriction, RESTRICTION_FIELDS)
