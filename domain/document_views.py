"""Who among staff opened a family's document (a proof, a post's photo or attachment), and when.

The family may see this record (its personal-data pages). Staff are shown to the family by role
and facility, never by name: a name of correctional staff in a family's hands can put that
person at risk, and the record keeps the viewer's account id for an audit that needs it.
The rows hold no copy of the document and no foreign key to it, so they outlive the document
itself (a proof erased by the retention policy still shows who saw it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from workflows.actors import Actor
from workflows.clock import clock
from workflows.db import Base, UTCDateTime

from .applications import Application, ApplicationDocument
from .files import StoredFile
from .posts import Post


class DocumentView(Base):
    """One opening of a family's document by a member of staff."""

    __tablename__ = "document_view"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(Integer, index=True)
    # Whose document it is: the family account that uploaded it (or whose post it belongs to).
    owner_account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # a proof kind, or "post_photo"…
    viewer_account_id: Mapped[int | None] = mapped_column(Integer)
    viewer_role: Mapped[str] = mapped_column(String(20))
    facility_id: Mapped[int | None] = mapped_column(Integer)
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime())


def _document_of(session: Session, file_id: int) -> tuple[int, str] | None:
    """(owner account id, kind) of a family's document; None for other files."""
    proof = session.execute(
        select(Application.account_id, ApplicationDocument.kind)
        .join(ApplicationDocument, ApplicationDocument.application_id == Application.id)
        .where(ApplicationDocument.file_id == file_id)
        .limit(1)
    ).first()
    if proof is not None:
        return proof[0], proof[1]
    columns = {
        "post_photo": Post.photo_file_id,
        "post_thumbnail": Post.thumbnail_file_id,
        "post_upload": Post.upload_file_id,
        "post_attachment": Post.attachment_file_id,
    }
    post = session.scalar(select(Post).where(or_(*(c == file_id for c in columns.values()))))
    if post is None:
        return None
    kind = next(k for k, c in columns.items() if getattr(post, c.key) == file_id)
    return post.account_id, kind


def record_view(session: Session, stored: StoredFile, viewer: Actor, role: str) -> None:
    """Note that a member of staff opened this file, if it is a family's document (flush)."""
    if viewer.account_id is None or role == "family":
        return
    found = _document_of(session, stored.id)
    if found is None or found[0] == viewer.account_id:
        return
    session.add(
        DocumentView(
            file_id=stored.id,
            owner_account_id=found[0],
            kind=found[1],
            viewer_account_id=viewer.account_id,
            viewer_role=role,
            facility_id=viewer.facility_id,
            viewed_at=clock.now(),
        )
    )
    session.flush()


def views_of(session: Session, account_id: int) -> list[DocumentView]:
    """Every recorded view of this family's documents, newest first."""
    return list(
        session.scalars(
            select(DocumentView)
            .where(DocumentView.owner_account_id == account_id)
            .order_by(DocumentView.viewed_at.desc(), DocumentView.id.desc())
        )
    )
