"""Home page, health check and the language switch."""

from __future__ import annotations

from flask import Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from domain.accounts import Facility
from domain.announcements import current_announcements
from workflows.inbox import TABS as TASK_TABS
from workflows.inbox import tab_counts as task_tab_counts

from ..actors import current_actor
from ..extensions import get_db
from ..i18n import reader_languages, remember_language, safe_next
from ..inbox.access import is_inbox_user
from ..inbox.filters import TAB_LABELS, InboxFilters
from ..posts.overview import active_books, book_lines, tab_counts
from . import bp

HOME_ANNOUNCEMENTS = 10


@bp.route("/")
def home() -> str:
    """What the service is and how to start, with the current announcements (before login too);
    a logged-in family also sees its contact books and how its posts stand."""
    announcements, facilities = _announcements()
    return render_template(
        "main/home.html",
        announcements=announcements,
        facilities=facilities,
        family=_family_overview(),
        work=_work_overview(),
    )


def _family_overview() -> dict | None:
    """The logged-in family's books (with any suspension) and post counts, else None."""
    if not (current_user.is_authenticated and current_user.role == "family"):
        return None
    session = get_db().session
    return {
        "books": book_lines(session, active_books(session, current_user.id)),
        "counts": tab_counts(session, current_user.id),
    }


def _work_overview() -> dict | None:
    """For staff with an inbox: how many open tasks each of its tabs holds, else None."""
    if not is_inbox_user(current_user):
        return None
    counts = task_tab_counts(get_db().session, InboxFilters().query(current_actor()))
    return {"tabs": [(tab, TAB_LABELS[tab], counts[tab]) for tab in TASK_TABS]}


def _announcements() -> tuple[list, dict]:
    """The current announcements and their facilities; none when the database cannot answer.

    The notices are a supplement: how the service works and how to register stay readable
    during a database outage (the health check reports the outage).
    """
    session = get_db().session
    try:
        announcements = current_announcements(session, limit=HOME_ANNOUNCEMENTS)
        ids = {a.facility_id for a in announcements if a.facility_id}
        return announcements, {i: session.get(Facility, i) for i in ids}
    except SQLAlchemyError as exc:
        session.rollback()
        current_app.logger.warning("home page: announcements unavailable (%s)", type(exc).__name__)
        return [], {}


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    """200 when the database answers, 503 otherwise (for load balancers and monitoring).

    Asks through the request's own session: a second connection would wait on SQLite for the
    write lock that this session took already when the request signed someone in.
    """
    session = get_db().session
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        session.rollback()
        # Only the error's type: the message may hold the database URL and its password.
        current_app.logger.warning("health check: database unreachable (%s)", type(exc).__name__)
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok"), 200


@bp.route("/lang/<code>", methods=["GET", "POST"])
def set_language(code: str) -> Response | str:
    """Switch the language by POST with the CSRF token (the header's buttons); a GET only asks.

    A GET must not switch: any other site could link to /lang/vi and change a visitor's pages,
    and a family's account too, which their e-mail notices follow. So an old link or bookmark
    shows a button that switches, and changes nothing by itself.
    """
    if code not in reader_languages():
        abort(404)
    back = safe_next(request.values.get("next")) or url_for("main.home")
    if request.method == "GET":
        return render_template("main/language.html", code=code, back=back)
    remember_language(code)
    if current_user.is_authenticated and current_user.role == "family":
        current_user.locale = code
    return redirect(back)
