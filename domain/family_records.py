"""What belongs to one family: its stored files, the replies in its books, the process
instances about it. Shared by the data export (personal_data) and account erasure, so what a
family is shown as its own is exactly what is erased."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.models import ProcessInstance
from workflows.operations import correlation_key

from .accounts import ConsentRecord
from .applications import Application, ApplicationDocument, ContactBook
from .files import StoredFile
from .posts import Post
from .replies import InmateReply
from .suspensions import Suspension


def book_replies(session: Session, account_id: int):
    """The replies staff entered in this family's books."""
    return session.scalars(
        select(InmateReply)
        .join(ContactBook, ContactBook.id == InmateReply.book_id)
        .where(ContactBook.account_id == account_id)
    )


def file_ids(session: Session, account_id: int, *, derived: bool = True) -> set[int]:
    """The family's uploads and proofs, the photos made of them, the scans of the replies in
    its books; with `derived`, also the thumbnails (erased, but not worth an export)."""
    ids = set(
        session.scalars(select(StoredFile.id).where(StoredFile.owner_account_id == account_id))
    )
    ids.update(
        session.scalars(
            select(ApplicationDocument.file_id)
            .join(Application, Application.id == ApplicationDocument.application_id)
            .where(Application.account_id == account_id)
        )
    )
    for post in session.scalars(select(Post).where(Post.account_id == account_id)):
        made = (post.upload_file_id, post.photo_file_id, post.attachment_file_id)
        ids.update(i for i in (*made, post.thumbnail_file_id if derived else None) if i)
    ids.update(r.scan_file_id for r in book_replies(session, account_id) if r.scan_file_id)
    return ids


def instance_ids(session: Session, account_id: int) -> set[int]:
    """Every process instance about this family: started by it, or linked from its rows."""
    ids = set(
        session.scalars(
            select(ProcessInstance.id).where(ProcessInstance.owner_account_id == account_id)
        )
    )
    for model in (Application, Post, Suspension, ConsentRecord):
        ids.update(
            session.scalars(
                select(model.instance_id).where(
                    model.account_id == account_id, model.instance_id.is_not(None)
                )
            )
        )
    return ids


def reply_instance_ids(session: Session, account_id: int) -> set[int]:
    """The instances in which staff entered replies in this family's books."""
    books = session.scalars(select(ContactBook.id).where(ContactBook.account_id == account_id))
    keys = [correlation_key({"book_id": book_id}) for book_id in books]
    if not keys:
        return set()
    return set(
        session.scalars(
            select(ProcessInstance.id).where(
                ProcessInstance.process_id == "inmate_reply",
                ProcessInstance.correlation_key.in_(keys),
            )
        )
    )
