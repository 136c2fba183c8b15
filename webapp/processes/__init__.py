"""The process owner's pages (`/processes/...`): deployed versions, instances, incidents.

DESIGN §6: the process owner, of every facility, looks after process definitions, versions,
instances and incidents, and sees no family data beyond what an instance row holds. Every page
is for that role only: visitors are sent to the login page, anyone else gets 404.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import login_manager
from ..main.navigation import add_nav_item

bp = Blueprint("processes", __name__, url_prefix="/processes")


def is_process_owner(user) -> bool:
    """A signed-in process owner (a role of every facility: no facility is checked)."""
    return bool(user.is_authenticated and user.role == "process_owner")


@bp.before_request
def process_owners_only():
    """Send visitors to the login page; other roles get 404."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not is_process_owner(current_user):
        abort(404)
    return None


@bp.record_once
def _add_nav(state) -> None:
    """The header links, for process owners only."""
    add_nav_item(state.app, "processes.versions", _l("Process versions"), visible=is_process_owner)
    add_nav_item(
        state.app, "processes.instances", _l("Process instances"), visible=is_process_owner
    )
    add_nav_item(state.app, "processes.incidents", _l("Incidents"), visible=is_process_owner)


from . import routes  # noqa: E402,F401  (they attach to bp)
