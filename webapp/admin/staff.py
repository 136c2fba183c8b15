"""The facility's staff accounts: the list, a new account, a role changed, disable and enable,
a new link to set the password.

A new account gets no password from the admin: it is mailed a welcome with the
password-reset link (valid one hour, once) to set its own, and the admin can mail it a fresh
one when that hour has passed. The admin may neither disable their
own account nor give up their own admin role, and nobody may disable or demote the facility's
last active admin, so a facility is never locked out.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from domain.accounts import Account, AccountStatus, Facility, find_by_email
from domain.audit import latest_event
from domain.notice_render import Both
from domain.notify import notify_account
from domain.staff import (
    EmailTaken,
    LastAdmin,
    SelfLockout,
    awaits_password,
    change_staff_role,
    create_staff_account,
    facility_staff,
    renew_password_link,
    set_staff_enabled,
)
from forms.staff import FACILITY_ROLE_LABELS, StaffAccountForm, StaffRoleForm
from workflows.db import lock_row

from ..actors import current_actor
from ..auth.password import reset_link
from ..extensions import get_db
from ..roles import role_label
from . import bp
from .access import own_staff

TAKEN = _l("Another account already uses this e-mail address.")
LAST_ADMIN = _l(
    "This is the last active administrator of your facility: make another staff member an "
    "administrator first."
)


@bp.context_processor
def role_labels() -> dict:
    """Templates name the facility roles in the reader's language."""
    return {
        "staff_role_labels": FACILITY_ROLE_LABELS,
        "AccountStatus": AccountStatus,
        "awaits_password": awaits_password,
    }


def _already_done(response):
    """`response`, saying that the change was made already (its form sent twice, or by a
    colleague); nothing is recorded again."""
    flash(_("This task has already been completed."), "info")
    return response


@bp.route("/staff")
def staff():
    """The facility's reviewers, supervisors and admins, with their role and status."""
    accounts = facility_staff(get_db().session, current_user.facility_id)
    return render_template("admin/staff.html", accounts=accounts)


@bp.route("/staff/new", methods=["GET", "POST"])
def new_staff():
    """Add a staff member; they are mailed a link to set their password."""
    form = StaffAccountForm()
    if not form.validate_on_submit():
        return render_template("admin/staff_new.html", form=form)
    session = get_db().session
    # Two sends of the form queue on the facility's row; the second finds the first's account.
    lock_row(session, Facility, current_user.facility_id)
    existing = find_by_email(session, form.email.data)
    if existing is not None and _same_account(existing, form):
        return _already_done(redirect(url_for("admin.staff")))
    facility = session.get(Facility, current_user.facility_id)
    try:
        with session.begin_nested():  # another facility may take the address meanwhile
            account = create_staff_account(
                session,
                actor=current_actor(),
                email=form.email.data,
                role=form.role.data,
                password=None,
                facility_code=facility.code,
                name=form.name.data,
            )
    except (EmailTaken, IntegrityError):
        form.email.errors.append(TAKEN)
        return render_template("admin/staff_new.html", form=form)
    _mail_welcome(session, account, facility)
    flash(
        _(
            "%(name)s was added; a link to set the password was sent to %(email)s.",
            name=account.name,
            email=account.email,
        ),
        "success",
    )
    return redirect(url_for("admin.staff"))


def _same_account(account: Account, form: StaffAccountForm) -> bool:
    """Whether `account` is the one the form asks for, at this facility: the form sent twice."""
    return (account.facility_id, account.name, account.role) == (
        current_user.facility_id,
        form.name.data,
        form.role.data,
    )


@bp.route("/staff/<int:account_id>", methods=["GET", "POST"])
def staff_member(account_id: int):
    """A staff member's details; their role changed here."""
    session = get_db().session
    if request.method == "POST":
        lock_row(session, Account, account_id)  # two role changes at once queue here
    member = own_staff(account_id)
    form = StaffRoleForm(obj=member)
    if not form.validate_on_submit():
        return _member_page(member, form)
    try:
        changed = change_staff_role(session, current_actor(), member, form.role.data)
    except SelfLockout:
        form.role.errors.append(_("You cannot give up your own administrator role."))
        return _member_page(member, form)
    except LastAdmin:
        form.role.errors.append(LAST_ADMIN)
        return _member_page(member, form)
    back = redirect(url_for("admin.staff_member", account_id=member.id))
    if not changed:
        return _already_done(back)
    flash(_("The role was changed."), "success")
    return back


def _member_page(member: Account, form: StaffRoleForm):
    """The staff member's page; its link button names the newest link the admin has seen."""
    return render_template(
        "admin/staff_member.html", member=member, form=form, last_link=_last_link(member)
    )


@bp.post("/staff/<int:account_id>/password-link")
def send_password_link(account_id: int):
    """Mail an active staff member a new link to set their password (the welcome's lasts an
    hour); the page's newest link is posted back, so the button pressed twice mails once."""
    session = get_db().session
    lock_row(session, Account, account_id)  # the button pressed twice at once queues here
    member = own_staff(account_id)
    back = redirect(url_for("admin.staff_member", account_id=member.id))
    if request.form.get("last_link", "") != _last_link(member):
        return _already_done(back)  # a link was sent since the page was shown
    if member.status != AccountStatus.ACTIVE:
        flash(_("This account is disabled: it cannot sign in."), "warning")
        return back
    renew_password_link(session, current_actor(), member)
    _mail_welcome(session, member, session.get(Facility, member.facility_id))
    flash(_("A new link to set the password was sent to %(email)s.", email=member.email), "success")
    return back


def _last_link(member: Account) -> str:
    """The newest link to set the password sent from this page ("" for none), by its audit
    event."""
    event = latest_event(get_db().session, "account.password_link", "account", member.id)
    return str(event.id) if event is not None else ""


@bp.post("/staff/<int:account_id>/disable")
def disable_staff(account_id: int):
    """Disable the account: it can no longer sign in, open sessions end."""
    return _set_enabled(account_id, False)


@bp.post("/staff/<int:account_id>/enable")
def enable_staff(account_id: int):
    """Let a disabled account sign in again (with its old password)."""
    return _set_enabled(account_id, True)


def _set_enabled(account_id: int, enabled: bool):
    session = get_db().session
    lock_row(session, Account, account_id)  # the button pressed twice at once queues here
    member = own_staff(account_id)
    back = redirect(url_for("admin.staff_member", account_id=member.id))
    try:
        changed = set_staff_enabled(session, current_actor(), member, enabled)
    except SelfLockout:
        flash(_("You cannot disable your own account."), "warning")
        return back
    except LastAdmin:
        flash(str(LAST_ADMIN), "warning")
        return back
    if not changed:
        return _already_done(back)
    if enabled:
        flash(_("The account was enabled again."), "success")
    else:
        flash(_("The account was disabled; it can no longer sign in."), "success")
    return back


def _mail_welcome(session, account: Account, facility: Facility) -> None:
    """The new colleague's first mail, or its fresh copy: who made the account, its role, and
    the link to set the password (the reset link), in Chinese and English as staff mails are."""
    with force_locale("zh_Hant"):
        role_zh = role_label(account.role)
    with force_locale("en"):
        role_en = role_label(account.role)
    values = {
        "name": account.name,
        "facility": Both(facility.name_zh, facility.name_en),
        "role": Both(role_zh, role_en),
        "link": reset_link(account),
    }
    notify_account(session, account, "staff_welcome", values, facility_id=facility.id)
