"""Protection of national ID numbers at rest: authenticated encryption plus a keyed look-up hash.

The ID is stored encrypted (AES-256-GCM) so staff screens can show a masked form and a
reviewer can read it when deciding; uniqueness is checked on an HMAC of the number, so the
database never needs the plain value to find a duplicate. Tokens carry the id of their key
("k3fa2b1c9:…", see domain.keyring), so `rotate-keys` can move them to a new key while the old
one (ID_ENCRYPTION_OLD_KEYS) still decrypts. Tokens of the first release carry "k1:" and are
tried with every configured key.

The hash key does not rotate: a look-up must find a number however it was stored, and during
a rotation of the hash a duplicate registration could slip past the uniqueness check. Nothing
here logs a value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag

from .keyring import KeyRing, derive
from .national_id import normalise

LEGACY_KEY_ID = "k1"
_PURPOSE = b"familybook id-encryption k1"  # the first release's; kept so old keys still derive
_NONCE_BYTES = 12
# Binds a token to its use: an encrypted ID cannot be passed off as another encrypted field.
_ASSOCIATED_DATA = b"familybook:national-id"

_ring: KeyRing | None = None
_hash_key: bytes | None = None


def configure(encryption_key: str, hash_key: str, old_keys: tuple[str, ...] = ()) -> None:
    """Set the keys once at start-up (from Settings.id_encryption_key / id_hash_key)."""
    global _hash_key, _ring
    if not encryption_key or not hash_key:
        raise ValueError("both the ID encryption key and the ID hash key are required")
    _ring = KeyRing.build(encryption_key, old_keys, _PURPOSE)
    _hash_key = derive(hash_key, b"familybook id-lookup-hash")


def is_configured() -> bool:
    """True once configure() has run."""
    return _ring is not None and _hash_key is not None


def _require_ring() -> KeyRing:
    if _ring is None or _hash_key is None:
        raise RuntimeError("domain.crypto is not configured; call configure() at start-up")
    return _ring


def current_key_id() -> str:
    """The id of the key new tokens are encrypted under."""
    return _require_ring().current_id


def token_key_id(token: str | None) -> str:
    """The key id a token names ("k1" for a first-release token)."""
    return (token or "").partition(":")[0]


def encrypt_id(plain: str) -> str:
    """Encrypt a (normalised) ID into a text token such as "k3fa2b1c9:<base64url>"."""
    ring = _require_ring()
    nonce = os.urandom(_NONCE_BYTES)
    sealed = ring.current.encrypt(nonce, normalise(plain).encode("utf-8"), _ASSOCIATED_DATA)
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")
    return f"{ring.current_id}:{body}"


def decrypt_id(token: str) -> str:
    """Decrypt a token from encrypt_id(); ValueError if it is malformed, altered or foreign."""
    ring = _require_ring()
    kid, _, body = (token or "").partition(":")
    if kid == LEGACY_KEY_ID:
        candidates = list(ring.ciphers.values())
    else:
        cipher = ring.get(kid)
        candidates = [cipher] if cipher is not None else []
    if not candidates or not body:
        raise ValueError("unknown key id or malformed token")
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError:
        raise ValueError("malformed token") from None
    for cipher in candidates:
        try:
            plain = cipher.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _ASSOCIATED_DATA)
        except (InvalidTag, ValueError):
            continue
        return plain.decode("utf-8")
    # No chained exception: it must not carry the token's bytes into a log.
    raise ValueError("token does not decrypt with the configured keys")


def id_lookup_hash(plain: str) -> str:
    """HMAC-SHA256 (hex) of the normalised ID: equal IDs give equal hashes, keyed per site."""
    _require_ring()
    assert _hash_key is not None
    return hmac.new(_hash_key, normalise(plain).encode("utf-8"), hashlib.sha256).hexdigest()
