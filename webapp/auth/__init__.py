"""Registration entry, e-mail verification, login/logout and password reset."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import login, password, register, verify  # noqa: E402,F401
