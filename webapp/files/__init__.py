"""Serving uploaded files to the people each feature's access policy allows."""

from flask import Blueprint

bp = Blueprint("files", __name__)

from . import routes  # noqa: E402,F401
