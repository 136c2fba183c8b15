"""Home page, health check and the language switch."""

from __future__ import annotations

from flask import Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import get_db
from ..i18n import LANGUAGES, remember_language, safe_next
from . import bp


@bp.route("/")
def home() -> str:
    """What the service is and how to start: register, apply, post."""
    return render_template("main/home.html")


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    """200 when the database answers, 503 otherwise (for load balancers and monitoring)."""
    try:
        with get_db().engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        # Only the error's type: the message may hold the database URL and its password.
        current_app.logger.warning("health check: database unreachable (%s)", type(exc).__name__)
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok"), 200


@bp.route("/lang/<code>")
def set_language(code: str) -> Response:
    """Remember the chosen language and go back to the page the visitor was on.

    A logged-in family's account keeps the choice too: their e-mail notices follow it.
    """
    if code not in LANGUAGES:
        abort(404)
    remember_language(code)
    if current_user.is_authenticated and current_user.role == "family":
        current_user.locale = code
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
