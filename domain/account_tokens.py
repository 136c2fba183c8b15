"""Personal API tokens: an account (family or staff) works its own tasks through /api/v1.

Made and found like the facility tokens (domain.api_tokens): only the hash is stored, the token
is shown once. A token speaks for its account only while the account may sign in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.clock import clock
from workflows.db import Base, UTCDateTime

from .accounts import Account
from .api_tokens import live_row, new_token

LABEL_LENGTH = 100


class AccountToken(Base):
    """One personal API token of one account."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def issue_account_token(session: Session, account_id: int, label: str) -> tuple[str, AccountToken]:
    """A new token of the account: (the token, to show once; its row). Flushes."""
    token, token_hash = new_token()
    row = AccountToken(
        account_id=account_id, token_hash=token_hash, label=label, created_at=clock.now()
    )
    session.add(row)
    session.flush()
    return token, row


def account_for_token(session: Session, token: str) -> tuple[Account, AccountToken] | None:
    """The active account a live token speaks for, and the token's row (its use noted);
    None for an unknown or revoked token, or an account that may not sign in any more."""
    row = live_row(session, AccountToken, token)
    account = session.get(Account, row.account_id) if row is not None else None
    if account is None or not account.is_active:
        return None
    row.last_used_at = clock.now()
    return account, row


def own_tokens(session: Session, account_id: int) -> list[AccountToken]:
    """The account's tokens, revoked ones too, newest first."""
    return list(
        session.scalars(
            select(AccountToken)
            .where(AccountToken.account_id == account_id)
            .order_by(AccountToken.id.desc())
        )
    )


def revoke_own_token(
    session: Session, account_id: int, token_id: int
) -> tuple[AccountToken | None, bool]:
    """Revoke one of the account's tokens: (its row, whether this call revoked it; an already
    revoked one is unchanged). (None, False) when the account has no such token, so another's
    id reads as missing. Flushes."""
    row = session.get(AccountToken, token_id)
    if row is None or row.account_id != account_id:
        return None, False
    if row.revoked_at is not None:
        return row, False
    row.revoked_at = clock.now()
    session.flush()
    return row, True


def revoke_all_tokens(session: Session, account_id: int) -> int:
    """Revoke every token of the account still in force; how many (a disabled account's
    tokens must not come back to life when it is enabled again)."""
    result = session.execute(
        update(AccountToken)
        .where(AccountToken.account_id == account_id, AccountToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount
