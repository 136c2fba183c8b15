"""Password hashing and the shared strength rules."""

from domain import passwords


def test_hash_verifies_only_the_right_password():
    stored = passwords.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert "correct horse battery" not in stored
    assert passwords.verify_password(stored, "correct horse battery")
    assert not passwords.verify_password(stored, "correct horse batterY")


def test_verify_never_raises_on_a_bad_hash():
    assert not passwords.verify_password("not-a-hash", "whatever123")
    assert not passwords.verify_password("", "whatever123")
    assert not passwords.verify_password(None, "whatever123")


def test_needs_rehash():
    assert not passwords.needs_rehash(passwords.hash_password("long enough pw"))
    weak = "$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8"
    assert passwords.needs_rehash(weak)
    assert passwords.needs_rehash("garbage")


def test_strength_rules():
    rule = passwords.strength_problem
    assert rule("short1") == passwords.TOO_SHORT
    assert rule("x" * 129) == passwords.TOO_LONG
    assert rule("my-a123456789-pw", national_id="A123456789") == passwords.CONTAINS_ID
    assert rule("XX-Mei@Example.TW", email="mei@example.tw") == passwords.CONTAINS_EMAIL
    assert rule("wangmei1985!", email="WangMei@example.tw") == passwords.CONTAINS_EMAIL
    assert rule("a good long passphrase", national_id="A123456789", email="a@b.tw") is None
