"""A family corrects its own contact details; a new e-mail address counts only once confirmed.

Mobile and phone change at once. The e-mail address is the login name and where every notice
goes, so a new one takes effect only when a link sent to it is opened (proof the family reads
it), and the old address is told. The name and the ID are not changed here: they are what
reviewers checked against the proofs, and a mistake in them is corrected by the facility.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from . import links
from .accounts import Account, AccountStatus, find_by_email
from .notifications import mask_destination
from .notify import notify_address


class EmailChangeFailed(Exception):
    """The link is stale (the address changed since) or the new address is taken meanwhile."""


def update_phones(account: Account, mobile: str, phone: str) -> None:
    account.mobile, account.phone = mobile, phone or ""


def request_email_change(session: Session, account: Account, new_email: str) -> None:
    """Mail a confirmation link to the new address (or, if it is taken, a note to it)."""
    new_email = new_email.strip().lower()
    if new_email == account.email:
        return
    if find_by_email(session, new_email) is not None:
        notify_address(session, new_email, "email_taken", {"link": links.url("/login")})
        return
    token = links.email_change_token(account.id, account.email, new_email)
    values = {"name": account.name, "link": links.url("/account/email/" + token)}
    notify_address(session, new_email, "email_change_link", values, account)


def confirm_email_change(session: Session, token: str) -> Account:
    """Apply the new address of a confirmation link and tell the old one (flush).

    InvalidLink for an altered or expired link; EmailChangeFailed when it no longer applies.
    """
    account_id, old_email, new_email = links.read_email_change_token(token)
    account = session.get(Account, account_id)
    if account is None or account.status != AccountStatus.ACTIVE or account.email != old_email:
        raise EmailChangeFailed()
    if find_by_email(session, new_email) is not None:
        raise EmailChangeFailed()
    account.email = new_email
    session.flush()
    values = {"name": account.name, "address": mask_destination(new_email)}
    notify_address(session, old_email, "email_changed", values, account)
    return account
