"""The staff task inbox: open tasks of the reviewer's facility, with claim, unclaim, reassign."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..main.navigation import add_nav_item
from .access import is_inbox_user

# The inbox's own stylesheet, so the layout's CSS stays free of inbox rules.
bp = Blueprint("inbox", __name__, static_folder="static", static_url_path="/inbox/static")


@bp.record_once
def _add_nav(state) -> None:
    """The header link, for staff only."""
    add_nav_item(state.app, "inbox.inbox", _l("Task inbox"), visible=is_inbox_user)


from . import routes  # noqa: E402,F401
