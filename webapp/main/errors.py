"""Error pages in the site's layout, with words a family member understands."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..api import bp as api
from ..api import json_error
from . import bp

# status -> (title, explanation)
MESSAGES = {
    400: (
        _l("Something was wrong with the request"),
        _l("The page could not understand what was sent. Please go back and try again."),
    ),
    403: (
        _l("Not allowed"),
        _l("Your account may not open this page."),
    ),
    404: (
        _l("Page not found"),
        _l("The page you asked for does not exist, or it has moved."),
    ),
    413: (
        _l("The upload is too large"),
        _l(
            "Attachments may be at most 20 MB in total. What you typed is still in the form: "
            "go back with your browser's Back button and choose a smaller file."
        ),
    ),
    429: (
        _l("Too many attempts"),
        _l("You have tried this too many times. Please wait a few minutes and try again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("The error has been recorded. Please try again later."),
    ),
}


def render_error(status: int) -> tuple[str, int]:
    """The error page for `status`, in the layout, with that status code."""
    title, message = MESSAGES[status]
    return render_template("errors/error.html", title=title, message=message), status


@bp.app_errorhandler(CSRFError)
def form_expired(_error: CSRFError) -> tuple[str, int]:
    """A form sent without a valid token: usually an old tab or a lost session cookie."""
    page = render_template(
        "errors/error.html",
        title=_l("The form has expired"),
        message=_l(
            "For your safety the form could not be sent. Please go back, reload the page "
            "and try again."
        ),
    )
    return page, 400


@bp.app_errorhandler(400)
@bp.app_errorhandler(403)
@bp.app_errorhandler(404)
@bp.app_errorhandler(413)
@bp.app_errorhandler(429)
@bp.app_errorhandler(500)
def http_error(error: HTTPException):
    """Render one of the known errors in the layout; JSON under the API's prefix, where no
    blueprint handler runs for an address that matches no route."""
    if request.path.startswith(f"{api.url_prefix}/"):
        return json_error(error)
    return render_error(error.code or 500)
