"""`/account/api-tokens`: the signed-in account's personal API tokens — list, make, revoke.

A new token is shown once, on the page that answers its POST (never through a redirect, the
session or a log), with `Cache-Control: no-store` so no cache keeps it. Families and staff who
work tasks may have tokens; anyone else gets a 404.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from domain.account_tokens import issue_account_token, own_tokens, revoke_own_token
from forms.api_tokens import NewApiTokenForm, RevokeApiTokenForm

from ..audit_trail import audit
from ..extensions import get_db, limiter
from ..inbox.access import is_inbox_user
from . import bp


def may_have_tokens(user) -> bool:
    """Families and staff with an inbox: the accounts that have tasks to work."""
    return user.is_authenticated and (user.role == "family" or is_inbox_user(user))


def _page(form, new_token: str | None = None):
    """The token list with the form to make one; `new_token` is shown once."""
    response = render_template(
        "account/api_tokens.html",
        form=form,
        revoke_form=RevokeApiTokenForm(),
        tokens=own_tokens(get_db().session, current_user.id),
        new_token=new_token,
    )
    return response, 200, {"Cache-Control": "private, no-store"}


@bp.route("/account/api-tokens", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per hour", methods=["POST"])
def api_tokens():
    """List the account's tokens; a valid POST makes one and shows it this once."""
    if not may_have_tokens(current_user):
        abort(404)
    form = NewApiTokenForm()
    if not form.validate_on_submit():
        return _page(form)
    token, row = issue_account_token(get_db().session, current_user.id, form.label.data)
    audit("account_token.create", "account_token", row.id, current_user.facility_id)
    return _page(NewApiTokenForm(formdata=None), new_token=token)


@bp.post("/account/api-tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id: int):
    """Revoke one of the account's tokens; another's id is a 404, a second revoke changes
    nothing (and records nothing)."""
    if not may_have_tokens(current_user):
        abort(404)
    form = RevokeApiTokenForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_db().session
    row, revoked = revoke_own_token(session, current_user.id, token_id)
    if row is None:
        abort(404)
    if revoked:
        audit("account_token.revoke", "account_token", row.id, current_user.facility_id)
    flash(_("The token is revoked: programs using it can no longer sign in with it."), "success")
    return redirect(url_for("account.api_tokens"), code=303)
