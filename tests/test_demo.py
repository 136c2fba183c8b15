"""Demo data: complete, usable and idempotent."""

import pytest
from sqlalchemy import func, select

from domain import crypto
from domain.accounts import (
    Account,
    ConsentRecord,
    Facility,
    find_by_email,
    find_by_login_id,
    find_by_national_id,
)
from domain.demo import (
    FAMILY_EMAIL,
    FAMILY_NATIONAL_ID,
    FAMILY_PASSWORD,
    STAFF_PASSWORD,
    seed_demo,
)
from domain.passwords import verify_password
from domain.roster import Inmate, masked_name
from domain.tables import load_all_tables
from workflows.db import Database


@pytest.fixture(scope="module")
def seeded():
    """One seeded database for the module (argon2 makes seeding take seconds), and its rows.

    Its own in-memory database, not conftest's `db`, which is emptied after every test.
    """
    crypto.configure("demo-test-encryption", "demo-test-hash")
    load_all_tables()  # the demo touches applications, whose tables refer to others
    database = Database("sqlite://")
    database.create_all()
    with database.transaction() as session:
        rows = seed_demo(session)
    yield database, rows
    database.dispose()


@pytest.fixture
def demo_db(seeded):
    crypto.configure("demo-test-encryption", "demo-test-hash")  # other modules set other keys
    return seeded[0]


def counts(session):
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model))
        for model in (Facility, Inmate, Account, ConsentRecord)
    }


def test_seeding_twice_creates_nothing_new(demo_db, seeded):
    first_rows = seeded[1]
    first = counts(demo_db.session)
    with demo_db.transaction() as session:
        second_rows = seed_demo(session)
    assert counts(demo_db.session) == first
    assert first_rows == second_rows
    # 3 facilities × 3 staff roles + process owner + auditor + family
    assert first == {"Facility": 3, "Inmate": 8, "Account": 12, "ConsentRecord": 1}


def test_demo_accounts_can_sign_in(demo_db, seeded):
    session = demo_db.session
    for email, _password, role_at in seeded[1]:
        account = find_by_email(session, email)
        assert account.is_active and role_at.split("@")[0] == account.role
        assert find_by_login_id(session, account.get_id()) is account
    # Checking every hash would take seconds; one staff and the family account suffice.
    for email, password, _ in (seeded[1][0], seeded[1][-1]):
        assert verify_password(find_by_email(session, email).password_hash, password)
    rows = seeded[1]
    reviewer = find_by_email(session, "reviewer.taichung@example.tw")
    assert reviewer.facility_id is not None and reviewer.national_id_encrypted is None
    assert reviewer.national_id_masked == ""
    assert ("reviewer.taichung@example.tw", STAFF_PASSWORD, "reviewer@taichung-detention") in rows
    assert find_by_email(session, "owner@example.tw").facility_id is None


def test_family_account_has_an_encrypted_valid_id(demo_db):
    family = find_by_national_id(demo_db.session, FAMILY_NATIONAL_ID.lower())
    assert family.email == "family@example.tw" and family.role == "family"
    assert FAMILY_NATIONAL_ID not in family.national_id_encrypted
    assert family.national_id_masked == "F22****354"
    assert (FAMILY_EMAIL, FAMILY_PASSWORD, "family") in seed_demo(demo_db.session)


def test_rosters_match_the_facilities(demo_db):
    rows = demo_db.session.execute(
        select(Facility.code, Inmate.call_number, Inmate.name, Inmate.juvenile).join(
            Inmate, Inmate.facility_id == Facility.id
        )
    ).all()
    assert all(juvenile for code, _, _, juvenile in rows if code == "dunpin-school")
    assert any(juvenile for code, _, _, juvenile in rows if code == "yunlin-second-prison")
    assert ("taichung-detention", "0609", "李大明", False) in rows
    assert masked_name("李大明") == "李〇〇"


def test_demo_family_can_post_at_once(demo_db):
    """The demo family's contact book at Yunlin (2302) is active, so a demo can post right away."""
    from domain.applications import ContactBook
    from domain.demo import seed_demo_book

    with demo_db.transaction() as session:
        seed_demo_book(session)
        seed_demo_book(session)  # idempotent
        family = find_by_email(session, FAMILY_EMAIL)
        [book] = session.scalars(select(ContactBook).where(ContactBook.account_id == family.id))
        assert book.status == "active"
        assert session.get(Inmate, book.inmate_id).call_number == "2302"


def test_demo_family_reads_its_facilitys_institution_book_and_a_national_notice(demo_db):
    """One published post per facility (the family's Yunlin book shows Yunlin's only) and a
    current national announcement, seeded once however often seed-demo runs."""
    from domain.announcements import current_announcements
    from domain.demo import seed_demo_book
    from domain.demo_notices import seed_demo_notices
    from domain.institution_posts import (
        family_facility_ids,
        published_in,
        published_months,
    )

    with demo_db.transaction() as session:
        seed_demo_book(session)
        seed_demo_notices(session)
        seed_demo_notices(session)  # idempotent
        family = find_by_email(session, FAMILY_EMAIL)
        facilities = family_facility_ids(session, family.id)
        [month] = published_months(session, facilities)
        [post] = published_in(session, facilities, month)
        assert "雲林第二監獄" in post.title
        [notice] = current_announcements(session)
        assert notice.facility_id is None


def test_demo_announcement_and_institution_post_are_traditional_chinese_only(demo_db):
    """Staff write announcements and institution posts in one language: no English sentence
    in the demo texts the families read (the language switch translates pages, not content)."""
    import re

    from domain.announcements import current_announcements
    from domain.demo_notices import seed_demo_notices
    from domain.institution_posts import InstitutionPost

    with demo_db.transaction() as session:
        seed_demo_notices(session)
        texts = [n.body for n in current_announcements(session)]
        texts += [p.body for p in session.scalars(select(InstitutionPost))]
    assert texts
    for text in texts:
        assert re.search(r"[A-Za-z]", text) is None, text
