"""The operations the registration BPMN calls: create, link, activate, expire, discard, forget.

Each takes and returns plain data; the database is reached through the engine's context, so
they run inside the transaction of the step that called them.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import select

from workflows.operations import context, operation

from . import links
from .accounts import Account, AccountStatus, ConsentRecord, find_by_email
from .notifications import Notification
from .notify import notify_account

# What the details carry only for create_account: the instance lets them go once it has run.
USED_UP = ("password_hash", "national_id_encrypted", "national_id_hash")


def _conflict(session, registration: dict) -> tuple[str, Account] | None:
    """Why these details cannot get a new account, with the account that has them:
    ('email', owner), ('national_id', owner), or None."""
    owner = find_by_email(session, registration["email"])
    if owner is not None:
        return "email", owner
    owner = session.scalar(
        select(Account).filter_by(national_id_hash=registration["national_id_hash"]).limit(1)
    )
    return ("national_id", owner) if owner is not None else None


@operation
def create_account(registration: dict, consent: dict) -> dict:
    """Create the unverified family account and its consent record.

    Returns {'account_id': id, 'conflict': None}, or {'account_id': None, 'conflict': why}
    when the e-mail or the ID is already registered (the visitor is not told which: the
    account's owner gets a notice instead). Either way the instance keeps none of the secrets
    (USED_UP): the account row holds them now, and key rotation re-encrypts only that row;
    once the account exists it keeps none of the registration at all.
    """
    ctx = context()
    for key in USED_UP:
        ctx.forget("registration", key)
    conflict = _conflict(ctx.session, registration)
    if conflict:
        return {"account_id": None, "conflict": conflict[0]}
    account = Account(
        email=registration["email"],
        name=registration["name"],
        national_id_encrypted=registration["national_id_encrypted"],
        national_id_hash=registration["national_id_hash"],
        birthday=date.fromisoformat(registration["birthday"]),
        mobile=registration["mobile"],
        phone=registration.get("phone") or "",
        password_hash=registration["password_hash"],
        role="family",
        status=AccountStatus.UNVERIFIED,
        created_at=ctx.now,
        password_changed_at=ctx.now,
        locale=consent.get("locale") or "zh_Hant",
    )
    ctx.session.add(account)
    ctx.session.flush()
    ctx.session.add(
        ConsentRecord(
            account_id=account.id,
            instance_id=ctx.instance.id,
            notice_version=consent["version"],
            accepted_at=datetime.fromisoformat(consent["accepted_at"]),
            locale=consent.get("locale") or "zh_Hant",
        )
    )
    ctx.set_owner(account_id=account.id)
    ctx.correlate(account_id=account.id)
    # The account row holds all of it now; a copy in the instance would only go stale (the
    # family may correct its details later) and outlive the need.
    for key in registration:
        ctx.forget("registration", key)
    return {"account_id": account.id, "conflict": None}


@operation
def notify_registration_conflict(registration: dict, conflict: str) -> None:
    """Tell the owner of the account that has this e-mail address or ID that someone tried to
    register with it (never the web page, which looks the same either way).

    The notice goes to the owner's own address, greets them by their own name, is in their
    language and on their record: nothing the registering visitor typed is in it, so nobody
    can put words of their choice into another person's inbox. Runs in the step that
    create_account ran in, while the registration still holds the ID's lookup hash.
    """
    ctx = context()
    found = _conflict(ctx.session, registration)
    if found is None:
        return
    why, owner = found  # as found now: `conflict` is what create_account found
    kind = "registration_conflict_email" if why == "email" else "registration_conflict_id"
    values = {"name": owner.name, "link": links.url("/login")}
    notify_account(ctx.session, owner, kind, values)


@operation
def send_verification_link(account_id: int) -> None:
    """Mail a fresh single-use link; any earlier link stops working."""
    ctx = context()
    account = ctx.session.get(Account, account_id)
    account.verification_nonce = secrets.token_urlsafe(16)
    link = links.url("/verify/" + links.verification_token(account.id, account.verification_nonce))
    values = {"name": account.name, "link": link, "minutes": "10"}
    notify_account(ctx.session, account, "verification", values)


@operation
def activate_account(account_id: int) -> None:
    """The link was followed in time: the account may log in.

    The used link's nonce stays on the row: it verifies nothing more (only an unverified
    account is verified). Opened again, it and every older link of the account say the account
    is already verified (webapp.auth.verify)."""
    ctx = context()
    account = ctx.session.get(Account, account_id)
    account.status = AccountStatus.ACTIVE
    account.verified_at = ctx.now


@operation
def expire_verification_link(account_id: int) -> None:
    """The link's time is up: it no longer verifies anything."""
    account = context().session.get(Account, account_id)
    if account is not None:
        account.verification_nonce = None


@operation
def discard_unverified_account(account_id: int) -> None:
    """Never verified: erase the account and its consent (we keep no data we do not need)."""
    session = context().session
    account = session.get(Account, account_id)
    if account is None or account.status != AccountStatus.UNVERIFIED:
        return
    session.query(ConsentRecord).filter_by(account_id=account_id).delete()
    # Its verification mails go too: nobody keeps a record of an account that never was (and
    # a later account given the same id must not inherit them).
    session.query(Notification).filter_by(account_id=account_id).delete()
    session.delete(account)


@operation
def forget_registration() -> None:
    """The registration ends without an account to hold its details (taken address or ID,
    never verified, never finished): the instance keeps nothing of them, neither in its
    state nor in its history. Call it in the step that reaches the end event."""
    context().erase_when_ended()
