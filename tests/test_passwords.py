"""Password hashing and the shared strength rules."""

from datetime import date

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


def test_easily_guessed_passwords_are_refused():
    rule = passwords.strength_problem
    for weak in ("1234567890", "password12", "qwertyuiop", "abcdefghij", "iloveyou2026"):
        assert rule(weak) == passwords.EASY_TO_GUESS, weak
    own = ["王小明", *passwords.birthday_forms(date(1985, 4, 12))]
    assert rule("王小明19850412", user_inputs=own) == passwords.EASY_TO_GUESS
    assert rule("xx王小明740412", user_inputs=own) == passwords.EASY_TO_GUESS  # ROC year 74
    for good in ("correct horse 42", "Family-demo-2026", "Staff-demo-2026", "a brand new secret 7"):
        assert rule(good, user_inputs=own) is None, good


def test_birthday_forms_include_the_roc_year():
    forms = passwords.birthday_forms(date(1985, 4, 12))
    assert {"19850412", "850412", "0412", "740412"} <= set(forms)
    assert passwords.birthday_forms(None) == []
