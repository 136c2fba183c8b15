"""Signed links sent by e-mail: account verification, password reset, a new e-mail address.

Verification links carry the account id and a one-time nonce; how long they stay valid is the
registration BPMN's business (its timer), not the signature's. Password-reset links expire after
an hour and carry the password stamp, so using one (which changes the password) voids it.
"""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeSerializer
from itsdangerous.url_safe import URLSafeTimedSerializer

from workflows.clock import clock

RESET_MAX_AGE_SECONDS = 3600
_config: dict[str, str] = {}


class InvalidLink(Exception):
    """The link was altered, expired or already used."""


class _ClockSigner(TimestampSigner):
    """Timestamps from the application clock, so tests can age a link."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def configure(secret_key: str, base_url: str) -> None:
    """Set the signing key and the public address links point to (called at start-up)."""
    _config.update(secret_key=secret_key, base_url=base_url.rstrip("/"))


def url(path: str) -> str:
    """An absolute URL on this site."""
    return _config["base_url"] + path


def verification_token(account_id: int, nonce: str) -> str:
    return URLSafeSerializer(_config["secret_key"], salt="verify-email").dumps([account_id, nonce])


def read_verification_token(token: str) -> tuple[int, str]:
    """(account id, nonce) of a verification link; InvalidLink when altered."""
    try:
        account_id, nonce = URLSafeSerializer(_config["secret_key"], salt="verify-email").loads(
            token
        )
    except (BadSignature, ValueError, TypeError):
        raise InvalidLink() from None
    return int(account_id), str(nonce)


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_config["secret_key"], salt="reset-password", signer=_ClockSigner)


def reset_token(account_id: int, password_stamp: str) -> str:
    return _reset_serializer().dumps([account_id, password_stamp])


def read_reset_token(token: str) -> tuple[int, str]:
    """(account id, password stamp) of a reset link younger than an hour; InvalidLink otherwise."""
    try:
        account_id, stamp = _reset_serializer().loads(token, max_age=RESET_MAX_AGE_SECONDS)
    except (SignatureExpired, BadSignature, ValueError, TypeError):
        raise InvalidLink() from None
    return int(account_id), str(stamp)


EMAIL_CHANGE_MAX_AGE_SECONDS = 24 * 3600


def _email_change_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_config["secret_key"], salt="change-email", signer=_ClockSigner)


def email_change_token(account_id: int, old_email: str, new_email: str) -> str:
    """A link to confirm a new address: void once the address changed again, or after a day."""
    return _email_change_serializer().dumps([account_id, old_email, new_email])


def read_email_change_token(token: str) -> tuple[int, str, str]:
    """(account id, address when asked, new address); InvalidLink when altered or expired."""
    try:
        account_id, old, new = _email_change_serializer().loads(
            token, max_age=EMAIL_CHANGE_MAX_AGE_SECONDS
        )
    except (SignatureExpired, BadSignature, ValueError, TypeError):
        raise InvalidLink() from None
    return int(account_id), str(old), str(new)
