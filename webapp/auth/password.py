"""Forgotten password: a link by e-mail, valid one hour and once (it changes the password)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from domain import crypto, links
from domain.accounts import Account, AccountStatus, find_by_email
from domain.notify import notify_account
from domain.passwords import hash_password
from forms.account import EmailOnlyForm, PasswordResetForm
from workflows import clock

from ..extensions import get_db, limiter
from . import bp


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password():
    """Mail a reset link to an active account; the page says the same for any address."""
    form = EmailOnlyForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot.html", form=form)
    session = get_db().session
    account = find_by_email(session, form.email.data)
    if account is not None and account.status == AccountStatus.ACTIVE:
        mail_reset_link(session, account)
    return render_template("auth/forgot_sent.html")


def reset_link(account: Account) -> str:
    """The password-reset link of this account: valid one hour and once."""
    token = links.reset_token(account.id, account.password_stamp)
    return links.url(url_for("auth.reset_password", token=token))


def mail_reset_link(session, account: Account) -> None:
    """Queue the password-reset mail."""
    notify_account(
        session, account, "password_reset", {"name": account.name, "link": reset_link(account)}
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    account = _account_for(token)
    if account is None:
        return render_template("auth/reset_invalid.html"), 400
    form = PasswordResetForm(
        email=account.email,
        national_id=_national_id(account),
        name=account.name,
        birthday=account.birthday,
    )
    if not form.validate_on_submit():
        return render_template("auth/reset.html", form=form, token=token)
    account.password_hash = hash_password(form.password.data)
    account.password_changed_at = clock.now()  # voids this link and every open session
    # A new staff member's first link proves their address (families verified it already).
    account.verified_at = account.verified_at or account.password_changed_at
    flash(_("Your password has been changed. Please log in."), "success")
    return redirect(url_for("auth.login"))


def _national_id(account: Account) -> str | None:
    """The plain ID, only for the form's "must not contain" rule (staff accounts have none)."""
    if not account.national_id_encrypted:
        return None
    return crypto.decrypt_id(account.national_id_encrypted)


def _account_for(token: str) -> Account | None:
    try:
        account_id, stamp = links.read_reset_token(token)
    except links.InvalidLink:
        return None
    account = get_db().session.get(Account, account_id)
    if account is None or account.status != AccountStatus.ACTIVE or account.password_stamp != stamp:
        return None
    return account
