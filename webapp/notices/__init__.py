"""Notices: the family's SMS / e-mail record and channel choices, the facility's templates.

`/notifications` and `/notifications/preferences` are for families (their own rows only);
`/notices/templates` is for facility admins (their own facility's wording only).
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..admin import is_facility_admin
from ..main.navigation import add_nav_item

bp = Blueprint("notices", __name__)


def _family(user) -> bool:
    return bool(user.is_authenticated and user.role == "family")


@bp.record_once
def _add_nav(state) -> None:
    """The header links: the record for families, the templates for facility admins."""
    add_nav_item(state.app, "notices.record", _l("SMS / e-mail record"), visible=_family)
    add_nav_item(
        state.app,
        "notices.templates",
        _l("Notice templates"),
        visible=is_facility_admin,
        secondary=True,
    )


from . import record, templates  # noqa: E402,F401  (they attach to bp)
