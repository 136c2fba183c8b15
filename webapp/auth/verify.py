"""`/verify/<token>`: following the e-mail link, and asking for a new one.

The link opens a page with a button rather than verifying on GET: mail scanners fetch links
before people do, and must not spend a single-use link.
"""

from __future__ import annotations

from flask import redirect, render_template, url_for

from domain import links
from domain.accounts import Account, AccountStatus, find_by_email
from domain.notifications import was_mailed
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
    if _verified_account(token) is not None:  # verified meanwhile, by a newer link: it says so
        return redirect(url_for("auth.verify", token=token))
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
    account, nonce = _named_account(token)
    if (
        account is None
        or account.status != AccountStatus.UNVERIFIED
        or account.verification_nonce != nonce
    ):
        return None
    return account


def _not_usable(token: str, form: EmailOnlyForm):
    """The answer to a link that verifies nothing: 'already verified' when its account is
    verified (by this link, opened again, or by a newer one), else 'no longer works' with a
    new link."""
    if _verified_account(token) is not None:
        return render_template("auth/already_verified.html")
    return render_template("auth/link_invalid.html", token=token, form=form), 400


def _verified_account(token: str) -> Account | None:
    """The verified account any of its links names: used, superseded or expired.

    The account's notice record proves the link was mailed to it. An erased never-verified
    account's record went with it, so its link tells nothing of a later account given the
    same id, nor does an altered link of any account."""
    account, _nonce = _named_account(token)
    if account is None or account.status != AccountStatus.ACTIVE or account.verified_at is None:
        return None
    if not was_mailed(get_db().session, account.id, "verification", token):
        return None
    return account


def _named_account(token: str) -> tuple[Account | None, str]:
    """The account a genuine link names (None for an altered one or a gone account), and the
    link's nonce."""
    try:
        account_id, nonce = links.read_verification_token(token)
    except links.InvalidLink:
        return None, ""
    return get_db().session.get(Account, account_id), nonce


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
