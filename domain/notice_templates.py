"""Notice templates: the national defaults (files beside this module) and facility overrides.

The defaults live in `domain/notices/templates/<kind>.<locale>.txt` (first line the subject,
then a blank line, then the body), so process owners read and change them without code. A row of
`notice_template` overrides them: `facility_id` NULL for the whole country, else for one
facility. A facility's notices use its own row, then the national row, then the file.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.db import Base, UTCDateTime

from .notice_kinds import KINDS
from .notice_render import FAMILY_LOCALES, Both, Rendered, Texts, check, compose

TEMPLATE_DIR = Path(__file__).resolve().parent / "notices" / "templates"


class NoticeTemplate(Base):
    """One kind's texts for one facility (or, with facility_id NULL, for every facility)."""

    __tablename__ = "notice_template"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    facility_id: Mapped[int | None] = mapped_column(ForeignKey("facility.id"), index=True)
    subject_zh: Mapped[str] = mapped_column(String(300))
    body_zh: Mapped[str] = mapped_column(Text)
    subject_en: Mapped[str] = mapped_column(String(300))
    body_en: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("kind", "facility_id"),)

    @property
    def texts(self) -> Texts:
        return Texts(self.subject_zh, self.body_zh, self.subject_en, self.body_en)


def _read(path: Path) -> tuple[str, str]:
    subject, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    return subject.strip(), body.rstrip("\n")


@cache
def default_texts(kind_key: str) -> Texts:
    """The national default of a kind, from its two files."""
    if kind_key not in KINDS:
        raise KeyError(kind_key)
    subject_zh, body_zh = _read(TEMPLATE_DIR / f"{kind_key}.zh_Hant.txt")
    subject_en, body_en = _read(TEMPLATE_DIR / f"{kind_key}.en.txt")
    return Texts(subject_zh, body_zh, subject_en, body_en)


def _row(session: Session, kind_key: str, facility_id: int | None) -> NoticeTemplate | None:
    match = (
        NoticeTemplate.facility_id.is_(None)
        if facility_id is None
        else NoticeTemplate.facility_id == facility_id
    )
    return session.scalar(select(NoticeTemplate).where(NoticeTemplate.kind == kind_key, match))


def effective(session: Session, kind_key: str, facility_id: int | None) -> tuple[Texts, str]:
    """The texts a facility's notice of this kind uses, and where they come from:
    'facility', 'national' or 'default'."""
    if facility_id is not None:
        own = _row(session, kind_key, facility_id)
        if own is not None:
            return own.texts, "facility"
    national = _row(session, kind_key, None)
    if national is not None:
        return national.texts, "national"
    return default_texts(kind_key), "default"


@cache
def family_language_texts(kind_key: str, locale: str) -> tuple[str, str] | None:
    """(subject, body) of a kind in a family language (vi, id), if the file exists."""
    path = TEMPLATE_DIR / f"{kind_key}.{locale}.txt"
    return _read(path) if locale in FAMILY_LOCALES and path.exists() else None


def render(
    session: Session,
    kind_key: str,
    facility_id: int | None,
    values: dict[str, str | Both],
    sms_locale: str = "zh_Hant",
) -> Rendered:
    """The notice of this kind for this facility, with the values filled in; for a reader of
    Vietnamese or Indonesian, their language's national text comes first."""
    texts, _source = effective(session, kind_key, facility_id)
    return compose(texts, values, sms_locale, family_language_texts(kind_key, sms_locale))


def save_override(
    session: Session,
    kind_key: str,
    facility_id: int | None,
    texts: Texts,
    by: int | None,
    now: datetime,
) -> NoticeTemplate:
    """Store a facility's (or the national) texts; TemplateError names unknown placeholders."""
    check(kind_key, texts)
    row = _row(session, kind_key, facility_id)
    if row is None:
        row = NoticeTemplate(kind=kind_key, facility_id=facility_id)
        session.add(row)
    row.subject_zh, row.body_zh = texts.subject_zh, texts.body_zh
    row.subject_en, row.body_en = texts.subject_en, texts.body_en
    row.updated_by, row.updated_at = by, now
    session.flush()
    return row


def remove_override(session: Session, kind_key: str, facility_id: int | None) -> bool:
    """Go back to the national text; returns whether there was an override."""
    row = _row(session, kind_key, facility_id)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True
