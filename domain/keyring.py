"""A current encryption key and the old ones still readable during a rotation.

Each key is named by a short fingerprint ("k" + 8 hex digits of a hash of the key), written in
front of everything it encrypts, so a reader picks the right key without trying them all, and
`rotate-keys` finds what is not yet under the current key. The fingerprint reveals nothing of
the key: it is a keyed-purpose hash, not the key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def derive(secret: str, purpose: bytes) -> bytes:
    """A 32-byte key for one purpose from a configured string of any length."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose)
    return hkdf.derive(secret.encode("utf-8"))


def key_id(secret: str, purpose: bytes) -> str:
    """The fingerprint naming a key: "k" and 8 hex digits."""
    return (
        "k"
        + hashlib.sha256(
            b"familybook key id:" + purpose + b":" + derive(secret, purpose)
        ).hexdigest()[:8]
    )


@dataclass
class KeyRing:
    """AES-256-GCM ciphers by key id: the current one encrypts, all of them decrypt."""

    current_id: str
    ciphers: dict[str, AESGCM] = field(default_factory=dict)

    @classmethod
    def build(cls, current: str, old: tuple[str, ...] | list[str], purpose: bytes) -> KeyRing:
        """A ring for `purpose` from the current secret and the old ones (order kept)."""
        if not current:
            raise ValueError("an encryption key is required")
        ring = cls(current_id=key_id(current, purpose))
        for secret in (current, *old):
            ring.ciphers.setdefault(key_id(secret, purpose), AESGCM(derive(secret, purpose)))
        return ring

    @property
    def current(self) -> AESGCM:
        return self.ciphers[self.current_id]

    def get(self, kid: str) -> AESGCM | None:
        return self.ciphers.get(kid)
