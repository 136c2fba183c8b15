"""Per-facility API tokens for the delivery feed a facility's printing or tablet system pulls.

Only a keyed hash of each token is stored; the token itself is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.clock import clock
from workflows.db import Base, UTCDateTime

PREFIX = "fb_"


class FacilityToken(Base):
    """One API token of one facility."""

    __tablename__ = "facility_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def _digest(token: str) -> str:
    # Tokens are long random strings, so a plain SHA-256 is a safe look-up key (no salt needed).
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, facility_id: int, label: str = "") -> str:
    """Make a new token for a facility; returns it (the only time it is seen). Flushes."""
    token = PREFIX + secrets.token_urlsafe(32)
    session.add(
        FacilityToken(
            facility_id=facility_id,
            token_hash=_digest(token),
            label=label,
            created_at=clock.now(),
        )
    )
    session.flush()
    return token


def token_row(session: Session, token: str) -> FacilityToken | None:
    """The unrevoked token row a presented token matches; None for anything else."""
    if not token or not token.startswith(PREFIX):
        return None
    row = session.scalar(
        select(FacilityToken).where(
            FacilityToken.token_hash == _digest(token), FacilityToken.revoked_at.is_(None)
        )
    )
    if row is None or not hmac.compare_digest(row.token_hash, _digest(token)):
        return None
    return row


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
