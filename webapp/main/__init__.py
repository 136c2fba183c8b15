"""The site's own pages: home, health check, language switch, error pages and navigation."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from . import errors, navigation, routes  # noqa: E402,F401  (they attach to bp)
