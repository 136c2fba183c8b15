"""Sending a notice: render its template, then queue one outbox row per channel chosen.

Every operation that tells someone something calls `notify_account` (or `notify_address` when
there is no account yet). The rows go out after the commit (see `domain.notifications`).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from .accounts import Account, AccountStatus, Facility
from .applications import ContactBook
from .notice_kinds import STAFF, kind
from .notice_preferences import channels_for
from .notice_render import Both, InEach
from .notice_templates import render
from .notifications import Notification, queue_notice
from .roster import Inmate

Values = dict[str, "str | Both | InEach"]


def notify_account(
    session: Session,
    account: Account,
    kind_key: str,
    values: Values,
    *,
    facility_id: int | None = None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Queue the notice to `account` on each channel its preferences name (flush, no commit).

    Staff notices go by e-mail. SMS goes to the account's mobile; with no mobile on record a
    notice meant only for SMS goes by e-mail, so it is never silently dropped. With a
    `dedupe_key`, the e-mail row uses it as given and the SMS row adds ":sms".
    """
    group = kind(kind_key).group
    channels = ("email",) if group == STAFF else channels_for(session, account.id, group)
    if "sms" in channels and not account.mobile:
        channels = ("email",)
    rendered = render(session, kind_key, facility_id, values, account.locale or "zh_Hant")
    rows = []
    for channel in channels:
        sms = channel == "sms"
        rows.append(
            queue_notice(
                session,
                channel=channel,
                to=account.mobile if sms else account.email,
                subject=rendered.subject,
                body=rendered.sms if sms else rendered.body,
                category=kind_key,
                account_id=account.id,
                dedupe_key=f"{dedupe_key}:sms" if dedupe_key and sms else dedupe_key,
            )
        )
    return rows


def notify_address(
    session: Session, to: str, kind_key: str, values: Values, account: Account | None = None
) -> Notification:
    """E-mail a notice to one address: one with no account (a failed registration), or an
    account's other address (a new one to confirm, the old one after a change), when `account`
    is given the notice is in its record and its language."""
    locale = (account.locale if account is not None else None) or "zh_Hant"
    rendered = render(session, kind_key, None, values, locale)
    return queue_notice(
        session,
        channel="email",
        to=to,
        subject=rendered.subject,
        body=rendered.body,
        category=kind_key,
        account_id=account.id if account is not None else None,
    )


def notify_institution_post(session: Session, facility_id: int, title: str, link: str) -> int:
    """Tell the families who opted in, and hold an active contact book at this facility, about a
    new institution post; returns how many families were told.

    Safe to call again for the same post (same link): each family is told once.
    """
    facility = session.get(Facility, facility_id)
    accounts = session.scalars(
        select(Account)
        .join(ContactBook, ContactBook.account_id == Account.id)
        .join(Inmate, Inmate.id == ContactBook.inmate_id)
        .where(
            ContactBook.status == "active",
            Inmate.facility_id == facility_id,
            Account.status == AccountStatus.ACTIVE,
        )
        .distinct()
        .order_by(Account.id)
    ).all()
    post_key = hashlib.sha256(link.encode()).hexdigest()[:16]
    told = 0
    for account in accounts:
        if not channels_for(session, account.id, kind("institution_post").group):
            continue
        values = {
            "name": account.name,
            "facility": Both(facility.name_zh, facility.name_en),
            "title": title,
            "link": link,
        }
        key = f"institution_post:{facility_id}:{post_key}:{account.id}"
        notify_account(
            session, account, "institution_post", values, facility_id=facility_id, dedupe_key=key
        )
        told += 1
    return told
