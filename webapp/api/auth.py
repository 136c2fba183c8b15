"""Who calls the API (`Authorization: Bearer`): a facility, proven by one of its API tokens,
or an account (family or staff), proven by one of its personal tokens.

A missing, unknown or revoked token, or a token of another facility than the URL names, gets
the same 401, so a token cannot be used to probe which facility codes exist. The session
cookie never authenticates the API: nothing here can be forged by a cross-site request.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select

from domain.account_tokens import account_for_token
from domain.accounts import Facility
from domain.api_tokens import token_row
from workflows import Actor

from ..extensions import get_db, login_manager
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


def _unauthorized(message: str):
    """The 401 of every refused token, with the challenge a client reads."""
    response, status = api_error(401, "unauthorized", message)
    response.headers["WWW-Authenticate"] = 'Bearer realm="familybook"'
    return response, status


def facility_token_required(view):
    """Give the view `caller` (an ApiCaller) for a valid token of the URL's facility, else 401."""

    @wraps(view)
    def wrapped(code: str, *args, **kwargs):
        session = get_db().session
        row = token_row(session, _bearer())
        facility = session.scalar(select(Facility).where(Facility.code == code))
        if row is None or facility is None or row.facility_id != facility.id:
            return _unauthorized(_("A valid API token of this facility is required."))
        return view(ApiCaller(facility, row.id), *args, **kwargs)

    return wrapped


def account_token_required(view):
    """Give the view the account a valid personal token speaks for, else 401 (one message
    for a missing, unknown or revoked token, or an account that may no longer sign in).

    The account is also this request's Flask-Login user, whatever a cookie says, because task
    forms file uploads as `current_user`'s and the language follows the reader's role; set on
    the request context only, so no session cookie is written.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        found = account_for_token(get_db().session, _bearer())
        if found is None:
            return _unauthorized(_("A valid personal API token is required."))
        login_manager._update_request_context_with_user(found[0])
        return view(found[0], *args, **kwargs)

    return wrapped
