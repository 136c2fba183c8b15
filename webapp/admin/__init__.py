"""The facility admin's pages (`/admin/...`): the roster and staff accounts of the admin's
own facility.

Every page is for the `facility_admin` role and shows only the admin's facility; anyone else,
and anything of another facility, gets 404, so ids cannot be probed.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import login_manager
from ..main.navigation import add_nav_item

# The admin pages' own stylesheet (tables), so the layout's CSS stays free of admin rules.
bp = Blueprint(
    "admin", __name__, url_prefix="/admin", static_folder="static", static_url_path="/static"
)


def is_facility_admin(user) -> bool:
    """A signed-in facility admin attached to a facility."""
    return bool(
        user.is_authenticated and user.role == "facility_admin" and user.facility_id is not None
    )


@bp.before_request
def facility_admins_only():
    """Send visitors to the login page; other roles get 404."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not is_facility_admin(current_user):
        abort(404)
    return None


@bp.record_once
def _add_nav(state) -> None:
    """The header link, for facility admins only."""
    add_nav_item(state.app, "admin.roster", _l("Roster"), visible=is_facility_admin)
    add_nav_item(
        state.app, "admin.staff", _l("Staff accounts"), visible=is_facility_admin, secondary=True
    )


from . import restrictions, roster, staff  # noqa: E402,F401  (they attach to bp)
