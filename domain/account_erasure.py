"""A family deletes its account: cases end, personal data goes, staff records stay anonymous.

What happens, and why:
- contact books end (status "ended", the person freed for another family's application);
  applications still open are closed, posts not yet delivered are withdrawn, and every process
  instance about the family is cancelled with its open tasks (workflows.cancellation);
- proofs, photos and attachments are erased (rows, and content no other row uses);
- the account row stays, anonymised: no name, e-mail, ID (encrypted or hashed), birthday or
  phone, a password nothing matches, and a changed session stamp, so a session still open
  elsewhere is logged out on its next request. It stays because the records staff must keep
  point at it: decisions on applications and posts, deliveries, suspensions, task history,
  views of documents, and the consent record (the lawful basis of what was processed);
- what the family wrote (post titles and bodies, an organisation's name, correction notes), the
  replies written to it (bodies; their scans are erased with the other files, and the reply
  instances with all their history, the staff's entry being the reply itself) and the e-mails
  it was sent (addresses, subjects, bodies) are emptied; their dates and outcomes stay;
- its notice preferences are deleted.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from workflows.cancellation import cancel_instances, erase_instance_data
from workflows.clock import clock
from workflows.models import ProcessInstance
from workflows.operations import correlation_key

from .accounts import Account, AccountStatus, ConsentRecord
from .applications import (
    CORRECTION,
    Application,
    ApplicationRound,
    ApplicationStatus,
    ContactBook,
)
from .file_erasure import erase_files
from .files import StoredFile
from .notice_preferences import NoticePreference
from .notifications import Notification, NotificationStatus
from .posts import Post, PostStatus
from .replies import InmateReply
from .suspensions import Suspension

UNUSABLE_PASSWORD = "!erased"  # not an argon2 hash: verify_password() is always False
OPEN_POSTS = (PostStatus.PROCESSING, PostStatus.PENDING, PostStatus.PHOTO_REFUSED)


def erased_email(account_id: int) -> str:
    """The placeholder address of an erased account (unique, never deliverable)."""
    return f"erased-{account_id}@erased.invalid"


def _instance_ids(session: Session, account_id: int) -> set[int]:
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


def _reply_instance_ids(session: Session, account_id: int) -> set[int]:
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


def _book_replies(session: Session, account_id: int):
    """The replies staff entered in this family's books."""
    return session.scalars(
        select(InmateReply)
        .join(ContactBook, ContactBook.id == InmateReply.book_id)
        .where(ContactBook.account_id == account_id)
    )


def _end_cases(session: Session, account_id: int, now) -> None:
    """Books end, open applications close, undelivered posts are withdrawn; texts emptied."""
    for book in session.scalars(select(ContactBook).where(ContactBook.account_id == account_id)):
        if book.status == "active":
            book.status, book.ended_at = "ended", now
        book.active_inmate_id = None
    for application in session.scalars(
        select(Application).where(Application.account_id == account_id)
    ):
        if application.status in (ApplicationStatus.PENDING, ApplicationStatus.REJECTED):
            application.status = ApplicationStatus.CLOSED
        application.open_inmate_id = None
        application.organisation = ""
        application.proofs_erased_at = application.proofs_erased_at or now
        session.execute(  # the family's correction notes; the staff's decisions stay
            update(ApplicationRound)
            .where(
                ApplicationRound.application_id == application.id,
                ApplicationRound.decision == CORRECTION,
            )
            .values(reason="")
        )
    for post in session.scalars(select(Post).where(Post.account_id == account_id)):
        undelivered = post.status == PostStatus.APPROVED and post.delivered_at is None
        if post.status in OPEN_POSTS or undelivered:
            post.status = PostStatus.WITHDRAWN
        post.title, post.body = "", ""
    for reply in _book_replies(session, account_id):
        reply.body = ""


def _files_of(session: Session, account_id: int) -> set[int]:
    """The family's uploads, what was made of them (processed photos, thumbnails), and the
    scans of the replies in its books."""
    ids = set(
        session.scalars(select(StoredFile.id).where(StoredFile.owner_account_id == account_id))
    )
    for post in session.scalars(select(Post).where(Post.account_id == account_id)):
        ids.update(
            i
            for i in (
                post.upload_file_id,
                post.photo_file_id,
                post.thumbnail_file_id,
                post.attachment_file_id,
            )
            if i is not None
        )
    ids.update(r.scan_file_id for r in _book_replies(session, account_id) if r.scan_file_id)
    return ids


def _empty_notifications(session: Session, account: Account) -> None:
    """Mail to the family: addresses and texts emptied, unsent ones never sent."""
    mine = or_(Notification.account_id == account.id, Notification.destination == account.email)
    session.execute(
        update(Notification)
        .where(mine, Notification.status == NotificationStatus.QUEUED)
        .values(status=NotificationStatus.FAILED, last_error="account erased"),
        execution_options={"synchronize_session": "fetch"},
    )
    session.execute(
        update(Notification)
        .where(mine)
        .values(account_id=account.id, destination="", subject="", body=""),
        execution_options={"synchronize_session": "fetch"},
    )


def _anonymise(account: Account, now) -> None:
    """The row stays for the records that point at it; nothing in it names the person."""
    account.name = ""
    account.email = erased_email(account.id)
    account.national_id_encrypted = None
    account.national_id_hash = None
    account.birthday = None
    account.mobile = ""
    account.phone = ""
    account.password_hash = UNUSABLE_PASSWORD
    account.verification_nonce = None
    account.status = AccountStatus.DISABLED
    account.deleted_at = now
    account.password_changed_at = now  # a new session stamp: open sessions end


def erase_account(session: Session, storage_dir: Path, account: Account) -> None:
    """Delete a family's account as described above (flush, never commit)."""
    now = clock.now()
    label = f"account:{account.id}"
    instances = _instance_ids(session, account.id)
    replies = _reply_instance_ids(session, account.id) - instances
    cancel_instances(session, instances | replies, label)
    erase_instance_data(session, instances, {label, "visitor"})
    erase_instance_data(session, replies, None)
    _end_cases(session, account.id, now)
    erase_files(session, storage_dir, _files_of(session, account.id))
    _empty_notifications(session, account)
    session.execute(delete(NoticePreference).where(NoticePreference.account_id == account.id))
    _anonymise(account, now)
    session.flush()
