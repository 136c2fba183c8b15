"""Encryption and look-up hashing of national IDs."""

import re

import pytest

from domain import crypto


@pytest.fixture(autouse=True)
def keys():
    crypto.configure("test-encryption-key", "test-hash-key")
    yield
    crypto.configure("test-encryption-key", "test-hash-key")


def test_encryption_round_trip_with_key_id():
    token = crypto.encrypt_id("A123456789")
    assert token.startswith(crypto.current_key_id() + ":")
    assert re.fullmatch(r"k[0-9a-f]{8}:[A-Za-z0-9_-]+", token)  # text-safe
    assert "A123456789" not in token
    assert crypto.decrypt_id(token) == "A123456789"


def test_encryption_normalises_and_is_randomised():
    first, second = crypto.encrypt_id(" a123456789 "), crypto.encrypt_id("A123456789")
    assert first != second  # a fresh nonce each time: equal IDs are not visible as equal tokens
    assert crypto.decrypt_id(first) == crypto.decrypt_id(second) == "A123456789"


def test_tampered_or_foreign_tokens_do_not_decrypt():
    token = crypto.encrypt_id("A123456789")
    kid, _, body = token.partition(":")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    for bad in [f"{kid}:" + flipped, "k9:" + body, "k1:" + flipped, "nonsense", "", f"{kid}:"]:
        with pytest.raises(ValueError):
            crypto.decrypt_id(bad)
    crypto.configure("another-encryption-key", "test-hash-key")
    with pytest.raises(ValueError):
        crypto.decrypt_id(token)


def test_lookup_hash_is_stable_normalised_and_key_dependent():
    digest = crypto.id_lookup_hash("A123456789")
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert crypto.id_lookup_hash(" a123456789") == digest
    assert crypto.id_lookup_hash("F224681354") != digest
    crypto.configure("test-encryption-key", "another-hash-key")
    assert crypto.id_lookup_hash("A123456789") != digest


def test_empty_keys_are_refused():
    with pytest.raises(ValueError):
        crypto.configure("", "x")
    with pytest.raises(ValueError):
        crypto.configure("x", "")
    assert crypto.is_configured()


def test_old_keys_still_decrypt_and_new_tokens_use_the_current_key():
    old_token = crypto.encrypt_id("A123456789")
    old_id = crypto.current_key_id()
    crypto.configure("new-encryption-key", "test-hash-key", ("test-encryption-key",))
    assert crypto.current_key_id() != old_id
    assert crypto.decrypt_id(old_token) == "A123456789"
    assert crypto.token_key_id(crypto.encrypt_id("A123456789")) == crypto.current_key_id()
    crypto.configure("new-encryption-key", "test-hash-key")  # the old key dropped
    with pytest.raises(ValueError):
        crypto.decrypt_id(old_token)


def test_first_release_tokens_decrypt_with_any_configured_key():
    """Tokens of the first release say "k1": they are tried with every key of the ring."""
    from domain.keyring import KeyRing

    ring = KeyRing.build("test-encryption-key", (), b"familybook id-encryption k1")
    legacy = "k1:" + crypto.encrypt_id("A123456789").partition(":")[2]
    assert ring.current_id == crypto.current_key_id()
    crypto.configure("new-encryption-key", "test-hash-key", ("test-encryption-key",))
    assert crypto.decrypt_id(legacy) == "A123456789"
