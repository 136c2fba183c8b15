"""The Flask application factory.

`create_app()` builds the app from `Settings.from_env()`; tests pass their own settings. The
request lifecycle (one commit per request, session removal, security headers) lives here, in one
place, so no view commits on its own.
"""

from __future__ import annotations

from flask import Flask, Response, abort, request

from domain.settings import Settings
from forms.base import UNTYPABLE
from forms.fields import DEFAULT_MAX_TOTAL_BYTES
from workflows.db import Database

from . import i18n, ids, log_redaction, markup
from .extensions import csrf, limiter, login_manager
from .json_bodies import JSONProvider

# Three proofs of up to 10 MB each may arrive before the form says "20 MB together".
MAX_UPLOAD_BYTES = 32 * 1024 * 1024

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def create_app(settings: Settings | None = None, **overrides) -> Flask:
    """Build the web app from `settings` (default: the environment); `overrides` go to config."""
    settings = settings or Settings.from_env()
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.json = JSONProvider(app)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        # Tokens are bound to the session: a family writing slowly must not lose the form.
        WTF_CSRF_TIME_LIMIT=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        BABEL_DEFAULT_LOCALE="zh_Hant",
        BABEL_DEFAULT_TIMEZONE="Asia/Taipei",
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
    )
    app.config.update(overrides)
    # What a form's files may weigh together; the pages' upload script refuses more up front.
    app.jinja_env.globals["upload_limit_bytes"] = DEFAULT_MAX_TOTAL_BYTES
    app.extensions["settings"] = settings
    app.extensions["db"] = Database(settings.database_url)

    log_redaction.init_app(app)
    ids.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    markup.init_app(app)
    _init_request_lifecycle(app)

    from .workflow_setup import init_app as init_workflows

    init_workflows(app)
    _register_blueprints(app)

    from .cli import init_app as init_cli

    init_cli(app)
    return app


def _register_blueprints(app: Flask) -> None:
    """Every feature of the site, and the header links each one adds."""
    from .account import bp as account
    from .account.routes import add_account_links
    from .admin import bp as admin
    from .announcements import bp as announcements
    from .api import bp as api
    from .applications import bp as applications
    from .applications.navigation import add_application_links
    from .audit import bp as audit
    from .auth import bp as auth
    from .deliveries import bp as deliveries
    from .files import bp as files
    from .inbox import bp as inbox
    from .institution import bp as institution
    from .institution.navigation import add_institution_links
    from .main import bp as main
    from .notices import bp as notices
    from .posts import bp as posts
    from .posts.navigation import add_post_links
    from .processes import bp as processes
    from .taskpages import bp as taskpages

    blueprints = (
        main,
        auth,
        taskpages,
        inbox,
        applications,
        posts,
        institution,
        announcements,
        deliveries,
        files,
        admin,
        api,
        audit,
        processes,
        notices,
        account,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    csrf.exempt(api)  # token in a header, never a cookie: nothing for CSRF to protect
    add_application_links(app)
    add_post_links(app)
    add_institution_links(app)
    add_account_links(app)


def _init_request_lifecycle(app: Flask) -> None:
    """Commit once per request (only when it succeeded), close the session, add security headers."""
    db: Database = app.extensions["db"]

    @app.before_request
    def refuse_untypable_addresses() -> None:
        """A control character in the path or the query string (never typed: a crafted link)
        is a bad request here, before any view looks it up; PostgreSQL would fail on a NUL.
        Form fields get a message beside them instead (forms.base.Form)."""
        query = (text for pair in request.args.items(multi=True) for text in pair)
        if UNTYPABLE.search(request.path) or any(UNTYPABLE.search(text) for text in query):
            abort(400)

    @app.after_request
    def finish_transaction(response: Response) -> Response:
        """Commit the request's work when the response is a success, else throw it away."""
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        """A strict policy: no inline script or style, no framing, no type sniffing."""
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.teardown_appcontext
    def remove_session(_exc: BaseException | None) -> None:
        """Give the connection back to the pool at the end of every request or CLI command."""
        db.remove()
