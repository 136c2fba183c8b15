"""The institution contact book (機關聯絡簿): families and staff read it, admins write it."""

from flask import Blueprint

bp = Blueprint("institution", __name__)

import domain.institution_access  # noqa: E402,F401  (registers who may see its files)

from . import manage, routes, task_context  # noqa: E402,F401
