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
    assert token.startswith("k1:")
    assert re.fullmatch(r"k1:[A-Za-z0-9_-]+", token)  # text-safe
    assert "A123456789" not in token
    assert crypto.decrypt_id(token) == "A123456789"


def test_encryption_normalises_and_is_randomised():
    first, second = crypto.encrypt_id(" a123456789 "), crypto.encrypt_id("A123456789")
    assert first != second  # a fresh nonce each time: equal IDs are not visible as equal tokens
    assert crypto.decrypt_id(first) == crypto.decrypt_id(second) == "A123456789"


def test_tampered_or_foreign_tokens_do_not_decrypt():
    token = crypto.encrypt_id("A123456789")
    body = token[3:]
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    for bad in ["k1:" + flipped, "k9:" + body, "nonsense", "", "k1:"]:
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
