"""`/account/export` (all the family's data as a zip) and `/account/delete` (erase the account)."""

from __future__ import annotations

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from domain.account_erasure import erase_account
from domain.data_export import build_export
from domain.files import storage_dir_for
from forms.personal_data import DeleteAccountForm
from workflows import clock

from ..access import family_only
from ..extensions import get_db, get_settings, limiter
from . import bp


def _storage_dir():
    return storage_dir_for(get_settings().instance_path)


@bp.route("/account/export")
@family_only
@limiter.limit("10 per hour")
def export():
    """A zip with data.json and the family's files, built in a temporary file and streamed."""
    archive = build_export(get_db().session, _storage_dir(), current_user._get_current_object())
    name = f"familybook-data-{clock.now().strftime('%Y%m%d')}.zip"
    response = send_file(
        archive, mimetype="application/zip", as_attachment=True, download_name=name
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/account/delete", methods=["GET", "POST"])
@family_only
@limiter.limit("10 per hour", methods=["POST"])
def delete():
    """What deletion does, then the password and a tick; the account is erased on success."""
    account = current_user._get_current_object()
    form = DeleteAccountForm(account=account)
    if not form.validate_on_submit():
        return render_template("account/delete.html", form=form)
    erase_account(get_db().session, _storage_dir(), account)
    logout_user()
    flash(_("Your account was deleted and your personal data erased."), "info")
    return redirect(url_for("main.home"))
