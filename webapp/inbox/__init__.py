"""The staff task inbox: open tasks of the reviewer's facility, with claim, unclaim, reassign."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..main.navigation import add_nav_item

# The inbox's own stylesheet, so the layout's CSS stays free of inbox rules.
bp = Blueprint("inbox", __name__, static_folder="static", static_url_path="/inbox/static")

INBOX_ROLES = frozenset({"reviewer", "supervisor", "facility_admin"})


def is_inbox_user(user) -> bool:
    """Staff of one facility in a role that works tasks; families and others never see it."""
    return bool(user.is_authenticated and user.role in INBOX_ROLES and user.facility_id is not None)


@bp.record_once
def _add_nav(state) -> None:
    """The header link, for staff only."""
    add_nav_item(state.app, "inbox.inbox", _l("Task inbox"), visible=is_inbox_user)


from . import routes  # noqa: E402,F401
