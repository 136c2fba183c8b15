"""The generic task page: any ready user task the current person may work, with its form."""

from flask import Blueprint

bp = Blueprint("taskpages", __name__)

from . import routes  # noqa: E402,F401
