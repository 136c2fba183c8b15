"""Staff accounts: provisioning (the `create-user` command, a facility admin's staff page),
a facility role changed, an account disabled or enabled again, a new link to set the password.
Every change is audited here.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workflows.actors import Actor
from workflows.clock import clock
from workflows.db import column_width, lock_row
from workflows.models import HumanTask, TaskStatus

from .account_tokens import revoke_all_tokens
from .accounts import Account, AccountStatus, Facility, find_by_email
from .audit import changes, record
from .passwords import hash_password, strength_problem

FACILITY_ROLES = {"reviewer", "supervisor", "facility_admin"}
# Column widths: SQLite would store a longer value, PostgreSQL refuses it (and the command
# would end in a traceback), so a longer one is refused here with a message.
EMAIL_WIDTH = column_width(Account.email)
NAME_WIDTH = column_width(Account.name)


class StaffError(ValueError):
    """A staff account cannot be created or changed as asked; the message says why."""


class EmailTaken(StaffError):
    """Another account already signs in with this e-mail address."""


class SelfLockout(StaffError):
    """An admin may neither disable their own account nor give up their own admin role, so a
    facility is never left without an admin by a slip of the hand."""


class LastAdmin(StaffError):
    """Nobody may disable or demote a facility's last active admin: nobody else could then
    manage its staff (two admins disabling each other at once would otherwise both succeed)."""


def create_staff_account(
    session: Session,
    *,
    actor: Actor,
    email: str,
    role: str,
    password: str | None,
    facility_code: str | None = None,
    name: str = "",
) -> Account:
    """An active staff account, its creation audited; facility roles need a facility, global
    roles must not have one. With no password (`None`) the account gets an unguessable one:
    its owner sets their own through a password-reset link (see webapp.admin.staff)."""
    if len(email) > EMAIL_WIDTH:
        raise StaffError(f"e-mail address longer than {EMAIL_WIDTH} characters")
    if len(name) > NAME_WIDTH:
        raise StaffError(f"name longer than {NAME_WIDTH} characters")
    facility = None
    if role in FACILITY_ROLES or (role == "auditor" and facility_code):
        if not facility_code:
            raise StaffError(f"role {role} needs --facility")
        facility = session.scalar(select(Facility).where(Facility.code == facility_code))
        if facility is None:
            raise StaffError(f"no facility with code {facility_code!r}")
    elif facility_code:
        raise StaffError(f"role {role} works across facilities: leave out --facility")
    if find_by_email(session, email) is not None:
        raise EmailTaken(f"an account with e-mail {email} already exists")
    mailed = password is None
    if mailed:
        password = secrets.token_urlsafe(32)  # known to no one: replaced by the mailed link
    problem = strength_problem(password, email=email)
    if problem:
        raise StaffError(f"password refused: {problem}")
    account = staff_account(
        email=email,
        # The default name is only a label staff pages show, so a long local part is clipped.
        name=name or email.split("@")[0][:NAME_WIDTH],
        role=role,
        facility_id=facility.id if facility else None,
        password_hash=hash_password(password),
    )
    if mailed:  # its address is proven, and its password set, by the mailed link
        account.verified_at = None
    session.add(account)
    session.flush()
    # The account id names the person: e-mail and name are withheld (domain.audit).
    state = {"email": account.email, "name": account.name, "role": account.role}
    record(
        session,
        actor,
        "account.create_staff",
        "account",
        account.id,
        facility_id=account.facility_id,
        **changes(None, state, personal=("email", "name")),
    )
    return account


def staff_account(
    *, email: str, name: str, role: str, facility_id: int | None, password_hash: str
) -> Account:
    """A new active staff account: staff are provisioned, not registered, so no e-mail check."""
    now = clock.now()
    return Account(
        email=email,
        name=name,
        role=role,
        facility_id=facility_id,
        password_hash=password_hash,
        status=AccountStatus.ACTIVE,
        created_at=now,
        verified_at=now,
        password_changed_at=now,
    )


def awaits_password(account: Account) -> bool:
    """Whether a staff member made on the staff page has not set their password yet: following
    the mailed link verifies their address (webapp.auth.password)."""
    return account.verified_at is None


def renew_password_link(session: Session, actor: Actor, account: Account) -> None:
    """Before a new link to set the password is mailed to a staff member: audited; flushes.

    While they have not set their password, the links mailed before stop working (the stamp
    they carry changes; nobody knows that password, so no session of theirs ends). Once they
    have, a new stamp would also sign them out everywhere, so earlier links keep their hour.
    """
    if awaits_password(account):
        account.password_changed_at = clock.now()
    _record(session, actor, "account.password_link", account, None, None)


def change_staff_role(session: Session, actor: Actor, account: Account, role: str) -> bool:
    """Give a facility staff member another facility role; whether it changed (False: it had
    that role already, e.g. the form sent twice). Audited; flushes."""
    if role not in FACILITY_ROLES or account.role not in FACILITY_ROLES:
        raise StaffError(f"role {role} is not a facility role")
    if account.id == actor.account_id and role != "facility_admin":
        raise SelfLockout("an admin cannot give up their own admin role")
    if account.role == role:
        return False
    _keep_an_admin(session, account)
    before = account.role
    account.role = role
    released = release_held_tasks(session, account.id)  # they may be in lanes no longer theirs
    after = {"role": role, **({"tasks_released": released} if released else {})}
    _record(session, actor, "account.change_role", account, {"role": before}, after)
    return True


def set_staff_enabled(session: Session, actor: Actor, account: Account, enabled: bool) -> bool:
    """Disable a staff account (it can no longer sign in; its open sessions, mailed links and API
    tokens end for good) or enable it again; whether it changed. Audited; flushes."""
    if account.id == actor.account_id and not enabled:
        raise SelfLockout("an admin cannot disable their own account")
    status = AccountStatus.ACTIVE if enabled else AccountStatus.DISABLED
    if account.status == status:
        return False
    if not enabled:
        _keep_an_admin(session, account)
    before = account.status
    account.status = status
    after = {"status": status}
    if not enabled:
        after.update(_end_access(session, account))
    released = 0 if enabled else release_held_tasks(session, account.id)
    if released:  # nobody would work what they hold: back to the facility's pile
        after["tasks_released"] = released
    action = "account.enable" if enabled else "account.disable"
    _record(session, actor, action, account, {"status": before}, after)
    return True


def _end_access(session: Session, account: Account) -> dict:
    """For good, not only while disabled: a new session stamp ends its open sessions and
    voids its mailed links, and its API tokens are revoked, so none of them works again when
    the account is enabled. What the audit entry adds ({"tokens_revoked": n} if any)."""
    account.password_changed_at = clock.now()  # the stamp sessions and links carry
    revoked = revoke_all_tokens(session, account.id)
    return {"tokens_revoked": revoked} if revoked else {}


def _keep_an_admin(session: Session, account: Account) -> None:
    """Raise LastAdmin when `account` is its facility's last active admin. The facility's row
    is locked first, so two such changes at once queue and the second sees the first's."""
    if account.role != "facility_admin" or account.status != AccountStatus.ACTIVE:
        return
    lock_row(session, Facility, account.facility_id)
    others = session.scalar(
        select(func.count(Account.id)).where(
            Account.facility_id == account.facility_id,
            Account.role == "facility_admin",
            Account.status == AccountStatus.ACTIVE,
            Account.id != account.id,
        )
    )
    if not others:
        raise LastAdmin("the facility would have no active admin left")


def _record(session: Session, actor: Actor, action: str, account: Account, before, after):
    """Flush the change to a staff account and put it in the audit log."""
    session.flush()
    record(
        session,
        actor,
        action,
        "account",
        account.id,
        facility_id=account.facility_id,
        before=before,
        after=after,
    )


def release_held_tasks(session: Session, account_id: int) -> int:
    """Unassign the open tasks this staff member holds (they show as unassigned again in the
    inbox); how many."""
    return session.execute(
        update(HumanTask)
        .where(HumanTask.assignee_id == account_id, HumanTask.status == TaskStatus.OPEN)
        .values(assignee_id=None)
        .execution_options(synchronize_session="fetch")
    ).rowcount


def facility_staff(session: Session, facility_id: int) -> list[Account]:
    """The facility's reviewers, supervisors and admins, disabled ones too, by name."""
    return list(
        session.scalars(
            select(Account)
            .where(Account.facility_id == facility_id, Account.role.in_(FACILITY_ROLES))
            .order_by(Account.name, Account.id)
        )
    )
