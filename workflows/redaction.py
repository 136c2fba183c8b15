"""Keeps secrets out of the task history: hashes, ciphertexts and passwords are blanked."""

from __future__ import annotations

SECRET_SUFFIXES = ("_hash", "_encrypted", "password", "password_confirm", "csrf_token")
REDACTED = "[redacted]"


def redact(value):
    """A copy of `value` with every secret-looking key's value replaced."""
    if isinstance(value, dict):
        return {
            k: REDACTED if str(k).endswith(SECRET_SUFFIXES) else redact(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value
