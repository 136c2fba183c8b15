"""`/api/v1`: the JSON API. For now the delivery feed a facility's tablet or printing system pulls.

Authentication is a per-facility API token in the `Authorization: Bearer` header, never the
session cookie, so the blueprint is exempt from CSRF (nothing here rides on a browser's cookie).
Errors are JSON too.
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


from . import routes  # noqa: E402,F401
