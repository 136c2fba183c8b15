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
from .notifications import mask_destination, queue_mail
from .privacy_mail_texts import email_change_link, email_changed, email_taken


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
        subject, body = email_taken(links.url("/login"))
        queue_mail(session, to=new_email, subject=subject, body=body, category="account")
        return
    token = links.email_change_token(account.id, account.email, new_email)
    subject, body = email_change_link(account.name, links.url("/account/email/" + token))
    queue_mail(
        session,
        to=new_email,
        subject=subject,
        body=body,
        category="account",
        account_id=account.id,
    )


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
    subject, body = email_changed(account.name, mask_destination(new_email))
    queue_mail(
        session,
        to=old_email,
        subject=subject,
        body=body,
        category="account",
        account_id=account.id,
    )
    return account
