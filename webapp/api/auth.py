"""Who calls the API: a facility, proven by one of its API tokens (`Authorization: Bearer`).

A missing, unknown or revoked token, or a token of another facility than the URL names, gets
the same 401, so a token cannot be used to probe which facility codes exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import request
from sqlalchemy import select

from domain.accounts import Facility
from domain.api_tokens import token_row
from workflows import Actor

from ..extensions import get_db
from . import api_error


@dataclass(frozen=True)
class ApiCaller:
    """The facility a valid token speaks for, and the token's id (named in task history)."""

    facility: Facility
    token_id: int

    def actor(self) -> Actor:
        """The engine actor: a facility admin of this facility, recorded as the token."""
        return Actor(
            roles=frozenset({"facility_admin"}),
            facility_id=self.facility.id,
            agent=f"api-token:{self.token_id}",
        )


def _bearer() -> str:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def facility_token_required(view):
    """Give the view `caller` (an ApiCaller) for a valid token of the URL's facility, else 401."""

    @wraps(view)
    def wrapped(code: str, *args, **kwargs):
        session = get_db().session
        row = token_row(session, _bearer())
        facility = session.scalar(select(Facility).where(Facility.code == code))
        if row is None or facility is None or row.facility_id != facility.id:
            response, status = api_error(
                401, "unauthorized", "A valid API token of this facility is required."
            )
            response.headers["WWW-Authenticate"] = 'Bearer realm="familybook"'
            return response, status
        return view(ApiCaller(facility, row.id), *args, **kwargs)

    return wrapped
