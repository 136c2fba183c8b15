"""Provisioning staff accounts (the `create-user` command)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.clock import clock
from workflows.db import column_width

from .accounts import Account, AccountStatus, Facility, find_by_email
from .passwords import hash_password, strength_problem

FACILITY_ROLES = {"reviewer", "supervisor", "facility_admin"}
# Column widths: SQLite would store a longer value, PostgreSQL refuses it (and the command
# would end in a traceback), so a longer one is refused here with a message.
EMAIL_WIDTH = column_width(Account.email)
NAME_WIDTH = column_width(Account.name)


class StaffError(ValueError):
    """A staff account cannot be created as asked; the message says why."""


def create_staff_account(
    session: Session,
    *,
    email: str,
    role: str,
    password: str,
    facility_code: str | None = None,
    name: str = "",
) -> Account:
    """An active staff account; facility roles need a facility, global roles must not have one."""
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
        raise StaffError(f"an account with e-mail {email} already exists")
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
    session.add(account)
    session.flush()
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
