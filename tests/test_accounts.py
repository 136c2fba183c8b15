"""Account rows: e-mail spelling, look-ups, and the session id that a password change revokes.

Uses the shared `db` fixture of conftest.py (a real database, emptied after each test).
"""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from domain import crypto
from domain.accounts import (
    Account,
    AccountStatus,
    find_by_email,
    find_by_login_id,
    find_by_national_id,
)
from workflows.clock import clock


@pytest.fixture(autouse=True)
def keys():
    crypto.configure("account-test-encryption", "account-test-hash")


def make_account(session, email="Mei@Example.TW", **fields):
    values = dict(name="王小美", password_hash="x", role="family", status=AccountStatus.ACTIVE)
    account = Account(email=email, **{**values, **fields})
    session.add(account)
    session.flush()
    return account


def test_email_is_stored_lowercased_and_found_in_any_case(db):
    with db.transaction() as session:
        account = make_account(session)
    assert account.email == "mei@example.tw"
    assert find_by_email(db.session, " MEI@example.tw ") is account
    with pytest.raises(IntegrityError), db.transaction() as session:
        make_account(session, email="mei@EXAMPLE.tw")


def test_national_id_lookup_uses_the_hash(db):
    with db.transaction() as session:
        account = make_account(
            session,
            national_id_encrypted=crypto.encrypt_id("A123456789"),
            national_id_hash=crypto.id_lookup_hash("A123456789"),
        )
    assert find_by_national_id(db.session, "a123456789") is account
    assert find_by_national_id(db.session, "F224681354") is None
    assert find_by_national_id(db.session, "") is None
    assert account.national_id_masked == "A12****789"


def test_password_change_revokes_old_session_ids(db):
    with db.transaction() as session:
        account = make_account(session, password_changed_at=clock.now())
    old_id = account.get_id()
    assert old_id.startswith(f"{account.id}:") and len(old_id.split(":")[1]) == 8
    assert find_by_login_id(db.session, old_id) is account
    with db.transaction():
        account.password_changed_at = clock.now() + timedelta(microseconds=1)
    assert account.get_id() != old_id
    assert find_by_login_id(db.session, old_id) is None
    assert find_by_login_id(db.session, account.get_id()) is account


def test_only_active_accounts_load_for_a_session(db):
    with db.transaction() as session:
        account = make_account(session, status=AccountStatus.UNVERIFIED)
    assert not account.is_active and account.is_authenticated and not account.is_anonymous
    assert find_by_login_id(db.session, account.get_id()) is None
    for junk in ("", "abc:0", ":", "999:0"):
        assert find_by_login_id(db.session, junk) is None


def test_unknown_role_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError), db.transaction() as session:
        make_account(session, role="superuser")
