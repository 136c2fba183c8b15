"""Protection of national ID numbers at rest: authenticated encryption plus a keyed look-up hash.

The ID is stored encrypted (AES-256-GCM) so staff screens can show a masked form and a
reviewer can read it when deciding; uniqueness is checked on an HMAC of the number, so the
database never needs the plain value to find a duplicate. Tokens carry a key id ("k1:") so a
new key can be added later while old tokens still decrypt. Nothing here logs a value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .national_id import normalise

CURRENT_KEY_ID = "k1"
_NONCE_BYTES = 12
# Binds a token to its use: an encrypted ID cannot be passed off as another encrypted field.
_ASSOCIATED_DATA = b"familybook:national-id"

_ciphers: dict[str, AESGCM] = {}
_hash_key: bytes | None = None


def _derive(secret: str, purpose: bytes) -> bytes:
    """A 32-byte key for one purpose from a configured string of any length."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose)
    return hkdf.derive(secret.encode("utf-8"))


def configure(encryption_key: str, hash_key: str) -> None:
    """Set the keys once at start-up (from Settings.id_encryption_key / id_hash_key)."""
    global _hash_key
    if not encryption_key or not hash_key:
        raise ValueError("both the ID encryption key and the ID hash key are required")
    _ciphers.clear()
    _ciphers[CURRENT_KEY_ID] = AESGCM(_derive(encryption_key, b"familybook id-encryption k1"))
    _hash_key = _derive(hash_key, b"familybook id-lookup-hash")


def is_configured() -> bool:
    """True once configure() has run."""
    return bool(_ciphers) and _hash_key is not None


def _require_configured() -> None:
    if not is_configured():
        raise RuntimeError("domain.crypto is not configured; call configure() at start-up")


def encrypt_id(plain: str) -> str:
    """Encrypt a (normalised) ID into a text token such as "k1:<base64url>"."""
    _require_configured()
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _ciphers[CURRENT_KEY_ID].encrypt(
        nonce, normalise(plain).encode("utf-8"), _ASSOCIATED_DATA
    )
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")
    return f"{CURRENT_KEY_ID}:{body}"


def decrypt_id(token: str) -> str:
    """Decrypt a token from encrypt_id(); ValueError if it is malformed, altered or foreign."""
    _require_configured()
    key_id, _, body = (token or "").partition(":")
    cipher = _ciphers.get(key_id)
    if cipher is None or not body:
        raise ValueError("unknown key id or malformed token")
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        plain = cipher.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _ASSOCIATED_DATA)
    except (InvalidTag, ValueError):
        # `from None`: the exception chain must not carry the token's bytes into a log.
        raise ValueError("token does not decrypt with the configured key") from None
    return plain.decode("utf-8")


def id_lookup_hash(plain: str) -> str:
    """HMAC-SHA256 (hex) of the normalised ID: equal IDs give equal hashes, keyed per site."""
    _require_configured()
    assert _hash_key is not None
    return hmac.new(_hash_key, normalise(plain).encode("utf-8"), hashlib.sha256).hexdigest()
