"""Facilities, accounts (families and staff) and the record of each accepted personal-data notice.

An account's national ID is never stored in plain text: `national_id_encrypted` holds an
AES-GCM token (domain.crypto) and `national_id_hash` a keyed hash for uniqueness look-ups.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, validates

from workflows.clock import clock
from workflows.db import Base, UTCDateTime

from . import crypto, national_id

ROLES = ("family", "reviewer", "supervisor", "facility_admin", "process_owner", "auditor")
STAFF_ROLES = ROLES[1:]


class AccountStatus:
    UNVERIFIED = "unverified"  # registered, e-mail link not yet followed
    ACTIVE = "active"
    DISABLED = "disabled"


STATUSES = (AccountStatus.UNVERIFIED, AccountStatus.ACTIVE, AccountStatus.DISABLED)


def _in(column: str, values: tuple[str, ...]) -> str:
    """SQL text of a CHECK that a column holds one of the given words."""
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class Facility(Base):
    """A correctional facility (矯正機關); `code` names its BPMN variant folder and DMN rows."""

    __tablename__ = "facility"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    def name_for(self, locale: str) -> str:
        """The name a reader of `locale` reads: Chinese for zh-Hant, the Latin-script (English)
        name for English, and both for Vietnamese and Indonesian, the Chinese being the name
        on the facility's letters and signs."""
        if locale == "zh_Hant":
            return self.name_zh
        if locale == "en":
            return self.name_en
        return f"{self.name_en} ({self.name_zh})"


class Account(Base):
    """A person who signs in: a family member (with national ID) or a staff member (without)."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    national_id_encrypted: Mapped[str | None] = mapped_column(String(200))
    national_id_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    birthday: Mapped[date | None] = mapped_column(Date)
    mobile: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=AccountStatus.UNVERIFIED)
    verification_nonce: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locale: Mapped[str] = mapped_column(String(10), default="zh_Hant")
    # Set when the family deleted its account: the row stays, anonymised, for the records
    # staff must keep (decisions, deliveries), see domain.account_erasure.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint(_in("status", STATUSES), name="status"),
    )

    @validates("email")
    def _lowercase_email(self, _key: str, value: str) -> str:
        """E-mail is the login name: one spelling per address, whatever case people type."""
        return value.strip().lower()

    # Flask-Login's user protocol, without importing Flask (domain never does).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        """Only verified, not disabled accounts may sign in."""
        return self.status == AccountStatus.ACTIVE

    @property
    def password_stamp(self) -> str:
        """8 hex characters that change whenever the password changes ("0" if never set)."""
        if self.password_changed_at is None:
            return "0"
        moment = self.password_changed_at.isoformat(timespec="microseconds")
        return hashlib.sha256(moment.encode("ascii")).hexdigest()[:8]

    def get_id(self) -> str:
        """The session's user id, "<account id>:<password stamp>", e.g. "42:9f3a61c0".

        A password change alters the stamp, so sessions opened before it no longer load
        (see find_by_login_id).
        """
        return f"{self.id}:{self.password_stamp}"

    @property
    def national_id_masked(self) -> str:
        """The ID as staff screens show it (A12****789); '' for accounts without one."""
        if not self.national_id_encrypted:
            return ""
        return national_id.mask(crypto.decrypt_id(self.national_id_encrypted))


class ConsentRecord(Base):
    """One acceptance of the personal-data notice: which version, when, in which language."""

    __tablename__ = "consent_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Empty while a visitor registers; filled in when the account row is created.
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(Integer, index=True)
    notice_version: Mapped[str] = mapped_column(String(30))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    locale: Mapped[str] = mapped_column(String(10), default="zh_Hant")


def find_by_email(session: Session, email: str) -> Account | None:
    """The account registered under this e-mail address (any case), if any."""
    wanted = (email or "").strip().lower()
    return session.scalar(select(Account).where(Account.email == wanted))


def find_by_national_id(session: Session, plain: str) -> Account | None:
    """The account registered with this national ID, found by its keyed hash."""
    if not national_id.normalise(plain):
        return None
    digest = crypto.id_lookup_hash(plain)
    return session.scalar(select(Account).where(Account.national_id_hash == digest))


def find_by_login_id(session: Session, login_id: str, *also) -> Account | None:
    """The active account whose get_id() equals login_id (Flask-Login's user_loader), and that
    meets the conditions `also` (in the same query).

    None for a malformed id, a stale password stamp, or an account that is not active.
    """
    account_id, _, _stamp = (login_id or "").partition(":")
    if not account_id.isdigit():
        return None
    account = session.scalar(select(Account).where(Account.id == int(account_id), *also))
    if account is None or not account.is_active or account.get_id() != login_id:
        return None
    return account
