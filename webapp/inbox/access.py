"""Who has a task inbox (a module of its own: the home page asks too, without the blueprint)."""

from __future__ import annotations

INBOX_ROLES = frozenset({"reviewer", "supervisor", "facility_admin"})


def is_inbox_user(user) -> bool:
    """Staff of one facility in a role that works tasks; families and others never see it."""
    return bool(user.is_authenticated and user.role in INBOX_ROLES and user.facility_id is not None)
