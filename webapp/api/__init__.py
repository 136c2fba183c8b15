"""`/api/v1`: the JSON API — the delivery feed a facility's tablet or printing system pulls
(routes.py), and the caller's own tasks: list, read, complete (tasks.py).

Authentication is a token in the `Authorization: Bearer` header (a facility's, or an account's
personal one), never the session cookie, so the blueprint is exempt from CSRF (nothing here
rides on a browser's cookie). Errors are JSON too: a code for programs, a message for people
in the caller's language (Accept-Language, or the account's; 中文 by default).
"""

from flask import Blueprint, jsonify
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# What an abort inside the API says (other codes keep the HTTP reason phrase).
HTTP_MESSAGES = {
    400: _l("The request could not be understood."),
    403: _l("This token may not do that."),
    404: _l("Nothing is at this address."),
    413: _l("The request is too large: at most 20 MB in total."),
    429: _l("Too many requests. Please wait a minute and try again."),
}


def api_error(status: int, error: str, message: str):
    """A JSON error body with its status: {"error": code, "message": text}."""
    return jsonify({"error": error, "message": message}), status


@bp.errorhandler(HTTPException)
def json_error(exc: HTTPException):
    """Aborts inside the API answer JSON, not the site's HTML error page (and so does an
    address under /api/v1 that no route has: see main.errors)."""
    code = (exc.name or "error").lower().replace(" ", "_")
    return api_error(exc.code or 500, code, str(HTTP_MESSAGES.get(exc.code, exc.name)))


# The site's HTML pages for these codes are registered by code, which Flask prefers to a
# handler by class: name them here too, so a rate limit or an oversized upload answers JSON.
for _code in (400, 403, 404, 413, 429):
    bp.register_error_handler(_code, json_error)


from . import routes, tasks  # noqa: E402,F401
