"""The engine's view of whoever makes the current request."""

from __future__ import annotations

import secrets

from flask import session
from flask_login import current_user

from workflows import Actor

VISITOR_KEY = "visitor"


def visitor_key() -> str:
    """A random key that lets a visitor without an account own the instance they started."""
    if VISITOR_KEY not in session:
        session[VISITOR_KEY] = secrets.token_urlsafe(24)
    return session[VISITOR_KEY]


def account_actor(account) -> Actor:
    """An account as the engine sees it: its id, its role and its facility."""
    return Actor(
        account_id=account.id, roles=frozenset({account.role}), facility_id=account.facility_id
    )


def current_actor() -> Actor:
    """The logged-in account with its role and facility, or the visitor of this browser."""
    if current_user.is_authenticated:
        return account_actor(current_user)
    # A visitor registering acts in the family role; the session key makes the task theirs.
    return Actor(roles=frozenset({"family"}), session_key=visitor_key())
