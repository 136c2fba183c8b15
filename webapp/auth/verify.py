"""`/verify/<token>`: following the e-mail link, and asking for a new one.

The link opens a page with a button rather than verifying on GET: mail scanners fetch links
before people do, and must not spend a single-use link.
"""

from __future__ import annotations

from flask import redirect, render_template, url_for

from domain import links
from domain.accounts import Account, AccountStatus, find_by_email
from forms.account import EmailOnlyForm
from workflows import EventNotExpected, InstanceNotFound, TaskAlreadyCompleted, clock
from workflows.models import InstanceStatus

from ..extensions import get_db, get_engine, limiter
from . import bp


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token: str):
    """Confirm the address: the registration instance must still be waiting for this link."""
    form = EmailOnlyForm(meta={"csrf": True})
    account = _account_for(token)
    if account is None:
        return _not_usable(token, form)
    if not form.is_submitted():
        return render_template("auth/verify.html", token=token, form=form)
    if not form.validate_on_submit() and form.csrf_token.errors:
        return render_template("auth/verify.html", token=token, form=form), 400
    try:
        instance = get_engine().send_event(
            get_db().session,
            "email_verified",
            {"verified_at": clock.now().isoformat()},
            correlation={"account_id": account.id},
        )
    except (EventNotExpected, InstanceNotFound, TaskAlreadyCompleted):
        return _not_usable(token, form)
    if instance.status == InstanceStatus.INCIDENT:
        # The link was taken but activating failed: staff see the incident and retry it. A
        # success status, so the incident is committed.
        return render_template("auth/verify_stalled.html")
    return render_template("auth/verified.html")


@bp.route("/verify/<token>/resend", methods=["POST"])
@limiter.limit("5 per hour")
def resend_by_link(token: str):
    """The button on an expired link's page: a new link for the account the old one named."""
    try:
        account_id, _nonce = links.read_verification_token(token)
    except links.InvalidLink:
        account_id = None
    form = EmailOnlyForm()
    if form.is_submitted() and form.csrf_token.errors:
        return render_template("auth/link_invalid.html", token=token, form=form), 400
    if account_id is not None:
        _request_new_link(account_id)
    return redirect(url_for("auth.link_resent"))


@bp.route("/verify/resend", methods=["POST"])
@limiter.limit("5 per hour")
def resend_by_email():
    """From the login page: a new link for an unverified address (same answer for any address)."""
    form = EmailOnlyForm()
    if form.validate_on_submit():
        account = find_by_email(get_db().session, form.email.data)
        if account is not None:
            _request_new_link(account.id)
    return redirect(url_for("auth.link_resent"))


@bp.route("/verify/sent")
def link_resent():
    return render_template("auth/link_resent.html")


def _account_for(token: str) -> Account | None:
    """The unverified account a current (not altered, not superseded, unused) link names."""
    return _named_account(token, AccountStatus.UNVERIFIED)


def _not_usable(token: str, form: EmailOnlyForm):
    """The answer to a link that verifies nothing: 'already verified' when it is the very
    link that verified its account (opened again), else 'no longer works' with a new link.

    Only that link says so: an altered, superseded or expired link, or one of an erased
    account whose id was given again, tells its holder nothing about any account."""
    verified = _named_account(token, AccountStatus.ACTIVE)
    if verified is not None and verified.verified_at is not None:
        return render_template("auth/already_verified.html")
    return render_template("auth/link_invalid.html", token=token, form=form), 400


def _named_account(token: str, status: str) -> Account | None:
    """The account a genuine link names, when the link is its latest and it is in `status`."""
    try:
        account_id, nonce = links.read_verification_token(token)
    except links.InvalidLink:
        return None
    account = get_db().session.get(Account, account_id)
    if account is None or account.status != status or account.verification_nonce != nonce:
        return None
    return account


def _request_new_link(account_id: int) -> None:
    account = get_db().session.get(Account, account_id)
    if account is None or account.status != AccountStatus.UNVERIFIED:
        return
    try:
        get_engine().send_event(
            get_db().session, "new_link_requested", {}, correlation={"account_id": account_id}
        )
    except (EventNotExpected, InstanceNotFound, TaskAlreadyCompleted):
        pass  # nothing waits for a new link (already verified, or erased): say nothing
