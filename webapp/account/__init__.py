"""`/account`: a family's own data — see it, correct it, download it, delete the account —
and any task worker's personal API tokens."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from . import api_tokens, contact, erase, routes  # noqa: E402,F401
