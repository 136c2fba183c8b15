"""Demo data: the three facilities of the seed documents, their rosters and one account per role.

Idempotent: rows are looked up by facility code, (facility, call number) and e-mail, and only
missing ones are created, so `seed-demo` can run at every start. Existing demo accounts are
left as they are (a changed password stays changed).

Demo passwords, printed by `seed-demo` and meant only for demonstration databases:
staff accounts "Staff-demo-2026", the family account "Family-demo-2026".
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.clock import clock

from . import crypto
from .accounts import Account, AccountStatus, ConsentRecord, Facility, find_by_email
from .applications import ContactBook, book_without_review
from .notice import CURRENT_VERSION
from .passwords import hash_password
from .roster import Inmate, Restriction
from .staff import staff_account

STAFF_PASSWORD = "Staff-demo-2026"
FAMILY_PASSWORD = "Family-demo-2026"
FAMILY_EMAIL = "family@example.tw"
FAMILY_NATIONAL_ID = "F224681354"  # fictitious, with a valid check digit

# code, short name used in staff e-mails, zh name, en name
FACILITIES = [
    ("taichung-detention", "taichung", "法務部矯正署臺中看守所", "Taichung Detention Center"),
    ("dunpin-school", "dunpin", "法務部矯正署敦品中學", "Dunpin Juvenile School"),
    ("yunlin-second-prison", "yunlin", "法務部矯正署雲林第二監獄", "Yunlin Second Prison"),
]

# facility code -> (call number, name, juvenile, children under 18)
INMATES = {
    "taichung-detention": [
        ("0609", "李大明", False, True),
        ("0610", "陳志強", False, True),
        ("0611", "張家豪", False, True),
        ("0612", "黃文雄", False, False),
    ],
    "dunpin-school": [
        ("1201", "林小偉", True, False),
        ("1202", "吳俊傑", True, False),
    ],
    "yunlin-second-prison": [
        ("2301", "王建國", False, True),
        ("2302", "劉家銘", True, False),
    ],
}

FACILITY_ROLES = [
    ("reviewer", "reviewer"),
    ("supervisor", "supervisor"),
    ("facility_admin", "admin"),
]
GLOBAL_ROLES = [("process_owner", "owner@example.tw"), ("auditor", "auditor@example.tw")]
# Staff are people with names (fictitious), never "<facility> <role>": inboxes name them.
STAFF_NAMES = {
    ("taichung", "reviewer"): "陳怡君",
    ("taichung", "supervisor"): "林志明",
    ("taichung", "facility_admin"): "黃淑芬",
    ("dunpin", "reviewer"): "張雅婷",
    ("dunpin", "supervisor"): "吳建宏",
    ("dunpin", "facility_admin"): "劉美玲",
    ("yunlin", "reviewer"): "蔡佩珊",
    ("yunlin", "supervisor"): "許文傑",
    ("yunlin", "facility_admin"): "鄭惠如",
    (None, "process_owner"): "周承翰",
    (None, "auditor"): "楊淑華",
}


def _facility(session: Session, code: str, name_zh: str, name_en: str) -> Facility:
    """The facility with this code, created if missing."""
    facility = session.scalar(select(Facility).where(Facility.code == code))
    if facility is None:
        facility = Facility(code=code, name_zh=name_zh, name_en=name_en)
        session.add(facility)
        session.flush()
    return facility


def _inmate(session: Session, facility: Facility, row: tuple[str, str, bool, bool]) -> None:
    """Add the person in custody unless the facility already has that call number."""
    call_number, name, juvenile, children = row
    existing = session.scalar(
        select(Inmate).where(Inmate.facility_id == facility.id, Inmate.call_number == call_number)
    )
    if existing is None:
        session.add(
            Inmate(
                facility_id=facility.id,
                call_number=call_number,
                name=name,
                juvenile=juvenile,
                children_under_18=children,
            )
        )


def _staff(session: Session, email: str, role: str, name: str, facility_id: int | None) -> None:
    """Add an active staff account (no national ID) unless the e-mail is taken."""
    if find_by_email(session, email) is not None:
        return
    session.add(
        staff_account(
            email=email,
            name=name,
            role=role,
            facility_id=facility_id,
            password_hash=_demo_hash(STAFF_PASSWORD),
        )
    )


def _family(session: Session) -> None:
    """Add the verified family account, with its encrypted ID and accepted notice."""
    if find_by_email(session, FAMILY_EMAIL) is not None:
        return
    now = clock.now()
    account = Account(
        email=FAMILY_EMAIL,
        name="王小美",
        national_id_encrypted=crypto.encrypt_id(FAMILY_NATIONAL_ID),
        national_id_hash=crypto.id_lookup_hash(FAMILY_NATIONAL_ID),
        birthday=date(1985, 3, 14),
        mobile="0912345678",
        password_hash=_demo_hash(FAMILY_PASSWORD),
        role="family",
        status=AccountStatus.ACTIVE,
        verified_at=now,
        password_changed_at=now,
    )
    session.add(account)
    session.flush()
    session.add(ConsentRecord(account_id=account.id, notice_version=CURRENT_VERSION))


def _demo_hash(password: str, _hashes: dict[str, str] = {}) -> str:  # noqa: B006 (a cache)
    """One argon2 hash per demo password: the demo accounts share two passwords, and hashing
    each of them anew made seeding take seconds."""
    if password not in _hashes:
        _hashes[password] = hash_password(password)
    return _hashes[password]


def seed_demo(session: Session) -> list[tuple[str, str, str]]:
    """Create whatever demo data is missing; return (e-mail, password, role@facility) rows.

    Needs domain.crypto to be configured (the family account's ID is encrypted). Flushes,
    never commits: the caller owns the transaction.
    """
    rows: list[tuple[str, str, str]] = []
    for code, short, name_zh, name_en in FACILITIES:
        facility = _facility(session, code, name_zh, name_en)
        for inmate in INMATES[code]:
            _inmate(session, facility, inmate)
        for role, prefix in FACILITY_ROLES:
            email = f"{prefix}.{short}@example.tw"
            _staff(session, email, role, STAFF_NAMES[short, role], facility.id)
            rows.append((email, STAFF_PASSWORD, f"{role}@{code}"))
    for role, email in GLOBAL_ROLES:
        _staff(session, email, role, STAFF_NAMES[None, role], None)
        rows.append((email, STAFF_PASSWORD, role))
    _family(session)
    rows.append((FAMILY_EMAIL, FAMILY_PASSWORD, "family"))
    _court_ban(session)
    session.flush()
    return rows


def _court_ban(session: Session) -> None:
    """0611 at Taichung is barred from visits and letters by a court (Criminal Procedure Code
    art. 105), open-ended: applying for him shows the refusal and its reason."""
    inmate = session.scalar(
        select(Inmate)
        .join(Facility)
        .where(Facility.code == "taichung-detention", Inmate.call_number == "0611")
    )
    if not session.scalar(select(Restriction.id).where(Restriction.inmate_id == inmate.id)):
        session.add(
            Restriction(
                inmate_id=inmate.id,
                kind="court_ban",
                starts_on=date(2026, 1, 1),
                ends_on=None,
                note="院檢禁止接見通信 (demo)",
            )
        )


def seed_demo_book(session: Session) -> None:
    """The demo family's approved application and active contact book for 2302 at Yunlin (a
    juvenile: one post per 2 days), so the demo can post without a reviewer first.

    Separate from `seed_demo`: tests build their applications and books themselves.
    """
    family = find_by_email(session, FAMILY_EMAIL)
    inmate = session.scalar(
        select(Inmate)
        .join(Facility)
        .where(Facility.code == "yunlin-second-prison", Inmate.call_number == "2302")
    )
    if session.scalar(select(ContactBook.id).where(ContactBook.inmate_id == inmate.id)):
        return
    book_without_review(session, family.id, inmate.id, inmate.facility_id, clock.now())
