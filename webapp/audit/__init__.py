"""`/audit`: the audit log, searchable by facility admins (their facility) and auditors."""

from flask import Blueprint

bp = Blueprint("audit", __name__)

from . import routes  # noqa: E402,F401
