"""The Flask extensions, created unbound here and bound to the app in `create_app`.

Also the accessors views use to reach the per-app objects (settings, database, engine), so no
module needs the app object itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

if TYPE_CHECKING:
    from domain.settings import Settings
    from workflows.db import Database

csrf = CSRFProtect()
babel = Babel()
# The storage comes from RATELIMIT_STORAGE_URI (memory by default, Redis in production).
limiter = Limiter(key_func=get_remote_address)

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"
# Translate the message when it is flashed, so the session stores plain text in the user's language.
login_manager.localize_callback = str


def get_settings() -> Settings:
    """The settings the running app was built with."""
    return current_app.extensions["settings"]


def get_db() -> Database:
    """The database handle of the running app (its `.session` is the request's session)."""
    return current_app.extensions["db"]


def get_engine():
    """The workflow engine, put in place by `webapp.workflow_setup.init_app`."""
    return current_app.extensions["engine"]
