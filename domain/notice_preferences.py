"""Which channels (e-mail, SMS, both) a family wants for each group of notices.

A group without a row uses its default: e-mail for everything, nothing for new institution
posts (opt-in). Account notices always include e-mail: the verification and password links are
e-mail links, and an account must never be cut off from them by its own choice.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.db import Base

from .notice_kinds import ACCOUNT, FAMILY_GROUPS, INSTITUTION_POST

EMAIL, SMS, BOTH, OFF = "email", "sms", "both", "off"
CHANNELS = {EMAIL: ("email",), SMS: ("sms",), BOTH: ("email", "sms"), OFF: ()}


def choices_for(group: str) -> tuple[str, ...]:
    """What a family may choose for a group."""
    if group == ACCOUNT:
        return (EMAIL, BOTH)
    if group == INSTITUTION_POST:
        return (OFF, EMAIL, SMS, BOTH)
    return (EMAIL, SMS, BOTH)


def default_choice(group: str) -> str:
    return OFF if group == INSTITUTION_POST else EMAIL


class NoticePreference(Base):
    """One family's channels for one group of notices."""

    __tablename__ = "notice_preference"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    notice_group: Mapped[str] = mapped_column(String(30), primary_key=True)
    email: Mapped[bool] = mapped_column(Boolean)
    sms: Mapped[bool] = mapped_column(Boolean)

    @property
    def choice(self) -> str:
        if self.email and self.sms:
            return BOTH
        return EMAIL if self.email else SMS if self.sms else OFF


def preferences_of(session: Session, account_id: int) -> dict[str, str]:
    """group -> choice for every family group, defaults filled in."""
    rows = session.scalars(
        select(NoticePreference).where(NoticePreference.account_id == account_id)
    )
    chosen = {row.notice_group: row.choice for row in rows}
    return {group: chosen.get(group, default_choice(group)) for group in FAMILY_GROUPS}


def channels_for(session: Session, account_id: int, group: str) -> tuple[str, ...]:
    """The channels a notice of this group goes to for this account."""
    row = session.get(NoticePreference, (account_id, group))
    return CHANNELS[row.choice if row is not None else default_choice(group)]


def set_preferences(session: Session, account_id: int, choices: dict[str, str]) -> None:
    """Store the family's choices; a choice the group does not offer is a ValueError."""
    for group, choice in choices.items():
        if group not in FAMILY_GROUPS or choice not in choices_for(group):
            raise ValueError(f"{choice!r} is not a choice for {group!r}")
        row = session.get(NoticePreference, (account_id, group))
        if row is None:
            row = NoticePreference(account_id=account_id, notice_group=group)
            session.add(row)
        row.email, row.sms = (channel in CHANNELS[choice] for channel in ("email", "sms"))
    session.flush()
