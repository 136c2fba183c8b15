"""Uploaded content encrypted at rest (AES-256-GCM), addressed by the hash of the plain bytes.

A stored blob is `MAGIC`, the key id (domain.keyring) and its length, a 12-byte nonce, then the
sealed content. The associated data is the plaintext's SHA-256 (the blob's name), so a blob
moved under another name does not decrypt. Blobs written before encryption (no `MAGIC`: they
start with JPEG, PNG or PDF bytes) are still read as they are; `rotate-keys` encrypts them.
"""

from __future__ import annotations

import os

from .keyring import KeyRing

MAGIC = b"FBENC1"
_NONCE_BYTES = 12
_PURPOSE = b"familybook file-encryption"

_ring: KeyRing | None = None


def configure(key: str, old_keys: tuple[str, ...] = ()) -> None:
    """Set the file keys at start-up (FILE_ENCRYPTION_KEY, FILE_ENCRYPTION_OLD_KEYS)."""
    global _ring
    _ring = KeyRing.build(key, old_keys, _PURPOSE)


def _require_ring() -> KeyRing:
    if _ring is None:
        raise RuntimeError("domain.file_crypto is not configured; call configure() at start-up")
    return _ring


def current_key_id() -> str:
    return _require_ring().current_id


def seal(data: bytes, sha256: str) -> bytes:
    """The blob to write for `data` (whose SHA-256 hex is `sha256`), under the current key."""
    ring = _require_ring()
    nonce = os.urandom(_NONCE_BYTES)
    kid = ring.current_id.encode("ascii")
    sealed = ring.current.encrypt(nonce, data, sha256.encode("ascii"))
    return MAGIC + bytes([len(kid)]) + kid + nonce + sealed


def blob_key_id(blob_head: bytes) -> str | None:
    """The key id a blob was sealed under, from its first bytes; None for a plain blob."""
    if not blob_head.startswith(MAGIC) or len(blob_head) <= len(MAGIC):
        return None
    length = blob_head[len(MAGIC)]
    return blob_head[len(MAGIC) + 1 : len(MAGIC) + 1 + length].decode("ascii", "replace")


def open_blob(blob: bytes, sha256: str) -> bytes:
    """The plain content of a stored blob (sealed or, from before encryption, plain).

    ValueError when the key is unknown or the blob was altered.
    """
    kid = blob_key_id(blob[:64])
    if kid is None:
        return blob
    cipher = _require_ring().get(kid)
    if cipher is None:
        raise ValueError("file sealed under a key that is not configured")
    start = len(MAGIC) + 1 + len(kid)
    nonce, sealed = blob[start : start + _NONCE_BYTES], blob[start + _NONCE_BYTES :]
    try:
        return cipher.decrypt(nonce, sealed, sha256.encode("ascii"))
    except Exception:
        raise ValueError("stored file does not decrypt") from None
