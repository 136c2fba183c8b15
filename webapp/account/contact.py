"""`/account/contact` (correct contact details) and `/account/email/<token>` (confirm an address).

The confirmation link opens a page with a button, as the verification link does: mail scanners
fetch links, and must not be the ones to change an address.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from domain import links
from domain.contact_details import (
    EmailChangeFailed,
    confirm_email_change,
    request_email_change,
    update_phones,
)
from forms.personal_data import ConfirmForm, ContactDetailsForm

from ..access import family_only
from ..extensions import get_db, limiter
from . import bp


@bp.route("/account/contact", methods=["GET", "POST"])
@family_only
@limiter.limit("10 per hour", methods=["POST"])
def contact():
    """Mobile and phone change at once; a new e-mail address waits for its confirmation."""
    account = current_user._get_current_object()
    form = ContactDetailsForm(obj=account, account=account)
    if not form.validate_on_submit():
        return render_template("account/contact.html", form=form)
    update_phones(account, form.mobile.data, form.phone.data)
    if form.email_changes():
        request_email_change(get_db().session, account, form.email.data)
        flash(
            _(
                "We sent a link to the new address. Your e-mail address changes when you "
                "open it (within 24 hours)."
            ),
            "info",
        )
    else:
        flash(_("Your contact details were saved."), "info")
    return redirect(url_for("account.overview"))


@bp.route("/account/email/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """The link mailed to a new address: a button; pressing it makes the address the login."""
    form = ConfirmForm()
    try:
        links.read_email_change_token(token)
    except links.InvalidLink:
        return render_template("account/email_invalid.html"), 400
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("account/email_confirm.html", form=form, token=token), status
    try:
        confirm_email_change(get_db().session, token)
    except (links.InvalidLink, EmailChangeFailed):
        return render_template("account/email_invalid.html"), 400
    return render_template("account/email_changed.html")
