"""Everything the service holds about one family, as plain rows: for its own page and export.

One place decides what "all its data" is, so the page and the download never disagree. Secrets
are left out (password hash, the encrypted ID and its look-up hash, link nonces); the ID is
given masked, as on every other page. Only rows of this account are read, and files only when
they belong to its own uploads, applications or posts, or to replies in its own books.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from . import family_records
from .accounts import Account, ConsentRecord
from .applications import Application, ApplicationDocument, ApplicationRound, ContactBook
from .document_views import DocumentView
from .files import StoredFile
from .notice_preferences import NoticePreference
from .notifications import Notification
from .posts import Post
from .replies import InmateReply
from .special_projects import SpecialProject
from .suspensions import Suspension

SECRET_COLUMNS = frozenset(
    {"password_hash", "national_id_encrypted", "national_id_hash", "verification_nonce"}
)
# Internal bookkeeping of other people's work: not the family's data.
INTERNAL_COLUMNS = frozenset(
    {"dedupe_key", "touched_at", "attempts", "last_error", "job_touched_at", "viewer_account_id"}
)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_dict(row, leave_out: frozenset[str] = frozenset()) -> dict:
    """A model row as a JSON-ready dict of its columns, without secrets and bookkeeping."""
    skip = SECRET_COLUMNS | INTERNAL_COLUMNS | leave_out
    return {
        column.key: _plain(getattr(row, column.key))
        for column in inspect(row).mapper.column_attrs
        if column.key not in skip
    }


def _all(session: Session, statement) -> list:
    return list(session.scalars(statement))


def collect(session: Session, account: Account) -> dict[str, list[dict] | dict]:
    """All of the family's rows by table (the account itself as one dict)."""
    me = account.id
    books = _all(session, select(ContactBook).where(ContactBook.account_id == me))
    applications = _all(session, select(Application).where(Application.account_id == me))
    app_ids = [a.id for a in applications]
    posts = _all(session, select(Post).where(Post.account_id == me))
    return {
        "account": {**row_dict(account), "national_id_masked": account.national_id_masked},
        "consent_records": [
            row_dict(r)
            for r in _all(session, select(ConsentRecord).where(ConsentRecord.account_id == me))
        ],
        "contact_books": [row_dict(b) for b in books],
        "applications": [row_dict(a) for a in applications],
        "application_rounds": [
            row_dict(r, frozenset({"decided_by"}))
            for r in _all(
                session,
                select(ApplicationRound).where(ApplicationRound.application_id.in_(app_ids)),
            )
        ],
        "application_documents": [
            row_dict(d)
            for d in _all(
                session,
                select(ApplicationDocument).where(ApplicationDocument.application_id.in_(app_ids)),
            )
        ],
        "posts": [row_dict(p, frozenset({"decided_by", "delivered_by"})) for p in posts],
        "inmate_replies": [
            row_dict(r, frozenset({"entered_by"}))
            for r in _all(
                session, select(InmateReply).where(InmateReply.book_id.in_([b.id for b in books]))
            )
        ],
        "suspensions": [
            row_dict(s)
            for s in _all(session, select(Suspension).where(Suspension.account_id == me))
        ],
        "special_projects": [
            row_dict(p, frozenset({"granted_by"}))
            for p in _all(session, select(SpecialProject).where(SpecialProject.account_id == me))
        ],
        "notifications": [
            row_dict(n)
            for n in _all(
                session,
                select(Notification)
                .where(Notification.account_id == me)
                .order_by(Notification.created_at.desc()),
            )
        ],
        "notice_preferences": [
            row_dict(p)
            for p in _all(
                session, select(NoticePreference).where(NoticePreference.account_id == me)
            )
        ],
        "document_views": [
            row_dict(v)
            for v in _all(session, select(DocumentView).where(DocumentView.owner_account_id == me))
        ],
        "files": [row_dict(f) for f in files_of(session, account)],
    }


def files_of(session: Session, account: Account) -> list[StoredFile]:
    """The stored files that are this family's: uploads, proofs, post photos, replies' scans."""
    ids = family_records.file_ids(session, account.id, derived=False)
    if not ids:
        return []
    return list(
        session.scalars(select(StoredFile).where(StoredFile.id.in_(ids)).order_by(StoredFile.id))
    )
