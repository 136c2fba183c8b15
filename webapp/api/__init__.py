"""`/api/v1`: the JSON API — the delivery feed a facility's tablet or printing system pulls
(routes.py), and the caller's own tasks: list, read, complete (tasks.py).

Authentication is a token in the `Authorization: Bearer` header (a facility's, or an account's
personal one), never the session cookie, so the blueprint is exempt from CSRF (nothing here
rides on a browser's cookie). Errors are JSON too.
"""

from flask import Blueprint, jsonify
from werkzeug.exceptions import HTTPException

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def api_error(status: int, error: str, message: str):
    """A JSON error body with its status: {"error": code, "message": text}."""
    return jsonify({"error": error, "message": message}), status


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    """Aborts inside the API answer JSON, not the site's HTML error page."""
    return api_error(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"), exc.name)


# The site's HTML pages for these codes are registered by code, which Flask prefers to a
# handler by class: name them here too, so a rate limit or an oversized upload answers JSON.
for _code in (400, 403, 404, 413, 429):
    bp.register_error_handler(_code, _http_error)


from . import routes, tasks  # noqa: E402,F401
