"""`/account`: a family's own data — see it, correct it, download it, delete the account."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from . import contact, erase, routes  # noqa: E402,F401
