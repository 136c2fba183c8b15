"""Per-facility API tokens for the delivery feed a facility's printing or tablet system pulls.

Only a hash of each token is stored; the token itself is shown once, when it is made. The
making and the look-up (`new_token`, `live_row`) serve every kind of token: an account's
personal tokens (domain/account_tokens.py) are made and found the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import TypeVar

from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.clock import clock
from workflows.db import Base, UTCDateTime

PREFIX = "fb_"
Row = TypeVar("Row")


class FacilityToken(Base):
    """One API token of one facility."""

    __tablename__ = "facility_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def digest(token: str) -> str:
    """The stored form of a token: tokens are long random strings, so a plain SHA-256 is a
    safe look-up key (no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh random token and its digest: the token for its owner, the digest to store."""
    token = PREFIX + secrets.token_urlsafe(32)
    return token, digest(token)


def live_row(session: Session, model: type[Row], token: str) -> Row | None:
    """The unrevoked row of `model` (a table with token_hash and revoked_at) a presented token
    matches; None for anything else, malformed tokens included."""
    if not token or not token.startswith(PREFIX):
        return None
    row = session.scalar(
        select(model).where(model.token_hash == digest(token), model.revoked_at.is_(None))
    )
    if row is None or not hmac.compare_digest(row.token_hash, digest(token)):
        return None
    return row


def issue_token(session: Session, facility_id: int, label: str = "") -> str:
    """Make a new token for a facility; returns it (the only time it is seen). Flushes."""
    token, token_hash = new_token()
    session.add(
        FacilityToken(
            facility_id=facility_id,
            token_hash=token_hash,
            label=label,
            created_at=clock.now(),
        )
    )
    session.flush()
    return token


def token_row(session: Session, token: str) -> FacilityToken | None:
    """The unrevoked facility token row a presented token matches; None for anything else."""
    return live_row(session, FacilityToken, token)


def facility_for_token(session: Session, token: str) -> int | None:
    """The facility a valid, unrevoked token belongs to; None for anything else."""
    row = token_row(session, token)
    return row.facility_id if row is not None else None


def revoke_token(session: Session, token_id: int) -> FacilityToken | None:
    """Revoke a token from now on (already revoked: unchanged); None if there is no such token."""
    row = session.get(FacilityToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = clock.now()
        session.flush()
    return row


def list_tokens(session: Session) -> list[FacilityToken]:
    """Every token, revoked ones too, in the order they were made."""
    return list(session.scalars(select(FacilityToken).order_by(FacilityToken.id)))
