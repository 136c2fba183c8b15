"""Header links of the institution contact book and the announcements' admin page."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..main.navigation import add_nav_item

READERS = ("family", "reviewer", "supervisor", "facility_admin")


def _reader(user) -> bool:
    return user.is_authenticated and user.role in READERS


def _facility_admin(user) -> bool:
    return user.is_authenticated and user.role == "facility_admin"


def _announcement_editor(user) -> bool:
    return user.is_authenticated and user.role in ("facility_admin", "process_owner")


def add_institution_links(app: Flask) -> None:
    add_nav_item(
        app, "institution.index", _l("Institution contact book"), visible=_reader, secondary=True
    )
    add_nav_item(
        app,
        "institution.manage",
        _l("Write institution posts"),
        visible=_facility_admin,
        secondary=True,
    )
    add_nav_item(
        app,
        "announcements.manage",
        _l("Announcements"),
        visible=_announcement_editor,
        secondary=True,
    )
