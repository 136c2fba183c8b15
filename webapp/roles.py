"""How a reader sees a staff role, and a staff member named with their role."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forms.staff import FACILITY_ROLE_LABELS

ROLE_LABELS = {
    **FACILITY_ROLE_LABELS,
    "process_owner": _l("Process owner"),
    "auditor": _l("Auditor"),
}


# A BPMN lane as its role reads: the lane a task waits in, on pages that list tasks.
LANE_ROLE = {
    "Family": "family",
    "Reviewer": "reviewer",
    "Supervisor": "supervisor",
    "FacilityAdmin": "facility_admin",
    "ProcessOwner": "process_owner",
}


def lane_label(lane: str) -> str:
    """The lane in the reader's language: the family, or the staff role that works it."""
    role = LANE_ROLE.get(lane)
    if role == "family":
        return _("Family")
    return role_label(role) if role else lane


def role_label(role: str) -> str:
    """The role in the reader's language (the code itself for a role without a label)."""
    return str(ROLE_LABELS.get(role, role))


def staff_label(name: str, role: str) -> str:
    """A staff member as menus and messages show them: their own name and their role."""
    return _("%(name)s (%(role)s)", name=name, role=role_label(role))
