"""Recording a staff member's change in the audit log from a view, as the signed-in actor."""

from __future__ import annotations

from typing import Any

from domain.audit import changes, record, snapshot

from .actors import current_actor
from .extensions import get_db

INMATE_FIELDS = ("call_number", "name", "juvenile", "children_under_18", "facility_id")
# Named in the log when set or changed, never with their values (see `domain.audit`).
INMATE_PERSONAL = ("name",)
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
    """The person's fields as they are, name included: log them through `inmate_change`."""
    return snapshot(inmate, INMATE_FIELDS)


def inmate_change(before: dict | None, after: dict) -> dict[str, dict | None]:
    """`before` and `after` of a roster change for `audit`: changed fields, the name withheld."""
    return changes(before, after, INMATE_PERSONAL)


def restriction_state(restriction) -> dict:
    return snapshot(restriction, RESTRICTION_FIELDS)
