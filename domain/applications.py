"""Service applications (服務項目申請), their review rounds and proofs, and contact books.

"One contact book per person in custody" holds under concurrent submissions by construction:
`Application.open_inmate_id` and `ContactBook.active_inmate_id` are unique columns that hold the
inmate's id only while an application is open or a book is active (NULLs never collide).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.db import Base, UTCDateTime

RELATIONSHIPS = (
    "spouse",
    "parent",
    "child",
    "sibling",
    "grandparent",
    "grandchild",
    "relative",
    "in_law",
    "cohabitant",
    "institution",
)
PROOF_KINDS = ("id_document", "relationship_proof", "applicant_photo")


class ApplicationStatus:
    PENDING = "pending"  # 未審核: submitted or resubmitted, awaiting a decision
    REJECTED = "rejected"  # 審核未通過: waiting for the family to correct and resubmit
    APPROVED = "approved"  # 審核通過: the contact book is active
    CLOSED = "closed"  # given up after a rejection; frees the person for another application


class Application(Base):
    """One family member's application for the contact book of one person in custody."""

    __tablename__ = "application"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    inmate_id: Mapped[int] = mapped_column(ForeignKey("inmate.id"), index=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    relationship: Mapped[str] = mapped_column(String(20))
    services: Mapped[list] = mapped_column(JSON)
    special_project: Mapped[bool] = mapped_column(Boolean, default=False)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=ApplicationStatus.PENDING)
    round: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The reviewer's reason template (a code, shown in the reader's language) and own words.
    reason_code: Mapped[str] = mapped_column(String(40), default="", server_default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    suggested_steps: Mapped[str] = mapped_column(Text, default="")
    instance_id: Mapped[int | None] = mapped_column(Integer, index=True)
    open_inmate_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    # When the proofs were erased (retention policy or account deletion); None while kept.
    proofs_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApplicationDocument(Base):
    """A proof uploaded with one round of an application."""

    __tablename__ = "application_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), index=True)


CORRECTION = "correct"  # ApplicationRound.decision of the family's correction note


class ApplicationRound(Base):
    """One round's history: kept, so a resubmission is reviewed with the earlier ones.

    A reviewer's decision ("approve" / "reject", with reason and steps), or the family's
    correction that opens the round (decision CORRECTION, the note in `reason`, `decided_by`
    the family's account).
    """

    __tablename__ = "application_round"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(10))
    reason_code: Mapped[str] = mapped_column(String(40), default="", server_default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    suggested_steps: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ContactBook(Base):
    """The family contact book of one person in custody, held by one family account."""

    __tablename__ = "contact_book"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    inmate_id: Mapped[int] = mapped_column(ForeignKey("inmate.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"))
    status: Mapped[str] = mapped_column(String(10), default="active")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active_inmate_id: Mapped[int | None] = mapped_column(Integer, unique=True)


def book_relationship(session: Session, book: ContactBook) -> str:
    """The family's relationship to the person (a code), from the application behind the book."""
    return session.get(Application, book.application_id).relationship


def applications_of(session: Session, account_id: int) -> list[Application]:
    """A family's applications, newest first."""
    return list(
        session.scalars(
            select(Application)
            .where(Application.account_id == account_id)
            .order_by(Application.id.desc())
        )
    )


def open_application_for(session: Session, inmate_id: int) -> Application | None:
    """The application or active book that holds this person, if any."""
    return session.scalar(select(Application).where(Application.open_inmate_id == inmate_id))


def active_book(session: Session, account_id: int, inmate_id: int) -> ContactBook | None:
    return session.scalar(
        select(ContactBook).where(
            ContactBook.account_id == account_id,
            ContactBook.inmate_id == inmate_id,
            ContactBook.status == "active",
        )
    )


def book_without_review(
    session: Session, account_id: int, inmate_id: int, facility_id: int, now: datetime
) -> ContactBook:
    """An approved application and the active book it opens, with no review (flushes).

    For the demo data, benchmarks and tests, which need a family that can post at once; the
    service itself opens books only through the service-application process.
    """
    application = Application(
        account_id=account_id,
        inmate_id=inmate_id,
        facility_id=facility_id,
        relationship="parent",
        services=["contact_book"],
        status=ApplicationStatus.APPROVED,
        submitted_at=now,
        decided_at=now,
        open_inmate_id=inmate_id,
    )
    session.add(application)
    session.flush()
    book = ContactBook(
        account_id=account_id,
        inmate_id=inmate_id,
        application_id=application.id,
        started_at=now,
        active_inmate_id=inmate_id,
    )
    session.add(book)
    session.flush()
    return book
