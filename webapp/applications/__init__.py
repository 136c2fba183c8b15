"""Service applications: the family's status page, starting one, and the reviewer's context."""

from flask import Blueprint

bp = Blueprint("applications", __name__)

import domain.application_access  # noqa: E402,F401  (registers who may see proofs)

from . import review_context, routes, template_helpers  # noqa: E402,F401
