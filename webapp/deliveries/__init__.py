"""Delivery of approved posts, for a facility's admins: the list, the sheets, "delivered".

Facility admins only (others get 404, visitors the login page); every post is looked up within
the admin's own facility, so another facility's post answers 404.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..admin import is_facility_admin
from ..main.navigation import add_nav_item

bp = Blueprint("deliveries", __name__)


@bp.record_once
def _add_nav(state) -> None:
    """The header link, for facility admins only."""
    add_nav_item(state.app, "deliveries.index", _l("Deliveries"), visible=is_facility_admin)


from . import routes  # noqa: E402,F401
