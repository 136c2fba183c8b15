"""Signed-in browser sessions, known to the server so that logging out ends them.

The site's session lives in a signed cookie: clearing it at logout does not stop a copy of it
(taken from a shared computer, say) from working. So each log-in opens a row here, and the
cookie carries the row's random token; a request is signed in only while its row exists.
Logging out deletes the row. A password change or a disabled account already ends every
session (the account's password stamp, see domain.accounts). An account keeps at most
MAX_OPEN sessions: a new log-in ends the oldest beyond that (browsers closed without logging
out leave theirs behind, and the table must not grow with every log-in).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, delete, exists, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.clock import clock
from workflows.db import Base, UTCDateTime

from .accounts import Account, find_by_login_id
from .api_tokens import digest

MAX_OPEN = 30


class LoginSession(Base):
    """One signed-in browser session of one account (the token's hash only)."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


def open_session(session: Session, account_id: int) -> str:
    """A new session of the account (its oldest beyond MAX_OPEN end); returns its token, for
    the cookie. Flushes."""
    token = secrets.token_urlsafe(24)
    session.add(
        LoginSession(account_id=account_id, token_hash=digest(token), created_at=clock.now())
    )
    session.flush()
    newest = (
        select(LoginSession.id)
        .where(LoginSession.account_id == account_id)
        .order_by(LoginSession.id.desc())
        .limit(MAX_OPEN)
    )
    session.execute(
        delete(LoginSession).where(
            LoginSession.account_id == account_id, LoginSession.id.not_in(newest.scalar_subquery())
        )
    )
    return token


def signed_in(session: Session, login_id: str, token: str | None) -> Account | None:
    """The account a browser is signed in as: its login id still holds (domain.accounts) and
    `token` is an open session of that account. One query: it runs on every signed-in request."""
    if not token:
        return None
    is_open = exists().where(
        LoginSession.token_hash == digest(token), LoginSession.account_id == Account.id
    )
    return find_by_login_id(session, login_id, is_open)


def end_session(session: Session, token: str | None) -> None:
    """End the session of this token (logging out). Flushes."""
    if token:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == digest(token)))
        session.flush()


def end_all_sessions(session: Session, account_id: int) -> None:
    """End every session of the account (its data is being erased). Flushes."""
    session.execute(delete(LoginSession).where(LoginSession.account_id == account_id))
    session.flush()
