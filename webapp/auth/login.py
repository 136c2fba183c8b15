"""`/login` and `/logout`, with the same answer for a wrong password and an unknown address."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from domain.accounts import AccountStatus, find_by_email
from domain.login_sessions import end_session, open_session, signed_in
from domain.passwords import hash_password, needs_rehash, verify_password
from forms.account import EmailOnlyForm, LoginForm

from ..extensions import get_db, limiter, login_manager
from ..i18n import safe_next
from . import bp

# Verifying against a real hash for unknown addresses keeps both answers equally slow.
_DUMMY_HASH = hash_password("not-a-real-password-0")
FAILURES_LIMIT = "5 per 15 minutes"
# Flask session key: the token of the server's row of this log-in (domain.login_sessions).
LOGIN_TOKEN_KEY = "login_token"


@login_manager.user_loader
def load_user(login_id: str):
    """The session's account, unless its password changed, it was disabled or this session
    was logged out since (a copy of the cookie then signs nobody in)."""
    return signed_in(get_db().session, login_id, session.get(LOGIN_TOKEN_KEY))


def _email_key() -> str:
    return "login:" + (request.form.get("email") or "").strip().lower()


def _failed(response) -> bool:
    """Only failed attempts count towards the limits; a success redirects."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    FAILURES_LIMIT,
    key_func=_email_key,
    methods=["POST"],
    deduct_when=_failed,
    scope="login-account",
)
@limiter.limit(
    FAILURES_LIMIT,
    key_func=get_remote_address,
    methods=["POST"],
    deduct_when=_failed,
    scope="login-address",
)
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form, resend=None)
    account = find_by_email(get_db().session, form.email.data)
    password_ok = verify_password(
        account.password_hash if account else _DUMMY_HASH, form.password.data
    )
    if account is None or not password_ok or account.status == AccountStatus.DISABLED:
        form.password.errors.append(_("The e-mail address or the password is not right."))
        return render_template("auth/login.html", form=form, resend=None)
    if account.status == AccountStatus.UNVERIFIED:
        resend = EmailOnlyForm(formdata=None, email=account.email)
        return render_template("auth/login.html", form=form, resend=resend)
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(form.password.data)
    login_user(account)
    session[LOGIN_TOKEN_KEY] = open_session(get_db().session, account.id)
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    """Log out by POST with the CSRF token (the header's button); a GET only asks.

    A GET must not log out: any other site could embed /logout in an image and end the session.
    """
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("main.home"))
        return render_template("auth/logout.html")
    end_session(get_db().session, session.pop(LOGIN_TOKEN_KEY, None))
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.home"))
