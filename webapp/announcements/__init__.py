"""Announcements (訊息及流程公告): public notices, and the page where editors keep them."""

from flask import Blueprint

bp = Blueprint("announcements", __name__)

from . import routes  # noqa: E402,F401
