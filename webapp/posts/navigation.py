"""Header link of the post pages, shown to families."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..main.navigation import add_nav_item


def _family(user) -> bool:
    return user.is_authenticated and user.role == "family"


def _lifts_suspensions(user) -> bool:
    return user.is_authenticated and user.role in ("facility_admin", "supervisor")


def _supervisor(user) -> bool:
    return user.is_authenticated and user.role == "supervisor"


def _facility_admin(user) -> bool:
    return user.is_authenticated and user.role == "facility_admin"


def add_post_links(app: Flask) -> None:
    add_nav_item(app, "posts.index", _l("Family contact book"), visible=_family)
    add_nav_item(app, "posts.suspensions", _l("Suspensions"), visible=_lifts_suspensions)
    add_nav_item(app, "posts.special_projects", _l("Special projects"), visible=_supervisor)
    add_nav_item(app, "posts.books", _l("Contact books"), visible=_facility_admin)
