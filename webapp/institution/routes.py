"""`/institution-book`: the published posts of the reader's facilities, by month (發佈年月).

A family reads the facilities where its contact book is active, staff their own facility; a
post of any other facility answers 404 like one that does not exist.
"""

from __future__ import annotations

import re

from flask import abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from domain.accounts import Facility
from domain.institution_posts import (
    published_in,
    published_months,
    readable_facility_ids,
    readable_post,
)

from ..extensions import get_db
from . import bp
from .navigation import READERS

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _readable() -> list[int]:
    """The facilities the signed-in person may read; 404 for roles the book is not for."""
    if current_user.role not in READERS:
        abort(404)
    roles = frozenset({current_user.role})
    return readable_facility_ids(get_db().session, current_user.id, roles, current_user.facility_id)


def facilities_by_id(session, ids) -> dict[int, Facility]:
    """The facilities of these ids, for their names on the page."""
    if not ids:
        return {}
    return {f.id: f for f in session.scalars(select(Facility).where(Facility.id.in_(ids)))}


@bp.route("/institution-book")
@login_required
def index():
    """One month of posts, newest first, with the months to choose from (newest by default)."""
    session, ids = get_db().session, _readable()
    months = published_months(session, ids)
    month = request.args.get("month", "")
    if not MONTH.match(month):
        month = months[0] if months else ""
    posts = published_in(session, ids, month) if month else []
    return render_template(
        "institution/index.html",
        months=months,
        month=month,
        posts=posts,
        facilities=facilities_by_id(session, ids),
        has_books=bool(ids),
    )


@bp.route("/institution-book/<int:post_id>")
@login_required
def detail(post_id: int):
    """One published post: date, from which facility, body, photo and attachment."""
    session = get_db().session
    post = readable_post(session, post_id, _readable())
    if post is None:
        abort(404)
    return render_template(
        "institution/detail.html", post=post, facility=session.get(Facility, post.facility_id)
    )


@bp.app_template_filter("month_label")
def month_label(month: str) -> str:
    """'2026-11' as people read it: 2026年11月 / November 2026 (from the catalog)."""
    from flask_babel import gettext as _

    year, number = month.split("-")
    return _("%(year)s-%(month)s", year=year, month=int(number))
