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

from . import family_records
from .account_tokens import AccountToken
from .accounts import Account, AccountStatus
from .applications import (
    CORRECTION,
    Application,
    ApplicationRound,
    ApplicationStatus,
    ContactBook,
)
from .file_erasure import erase_files
from .login_sessions import end_all_sessions
from .notice_preferences import NoticePreference
from .notifications import Notification, NotificationStatus
from .posts import Post, PostStatus

UNUSABLE_PASSWORD = "!erased"  # not an argon2 hash: verify_password() is always False
OPEN_POSTS = (PostStatus.PROCESSING, PostStatus.PENDING, PostStatus.PHOTO_REFUSED)


def erased_email(account_id: int) -> str:
    """The placeholder address of an erased account (unique, never deliverable)."""
    return f"erased-{account_id}@erased.invalid"


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
    for reply in family_records.book_replies(session, account_id):
        reply.body = ""


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
    instances = family_records.instance_ids(session, account.id)
    replies = family_records.reply_instance_ids(session, account.id) - instances
    cancel_instances(session, instances | replies, label)
    erase_instance_data(session, instances, {label, "visitor"})
    erase_instance_data(session, replies, None)
    _end_cases(session, account.id, now)
    erase_files(session, storage_dir, family_records.file_ids(session, account.id))
    _empty_notifications(session, account)
    session.execute(delete(NoticePreference).where(NoticePreference.account_id == account.id))
    session.execute(delete(AccountToken).where(AccountToken.account_id == account.id))
    end_all_sessions(session, account.id)
    _anonymise(account, now)
    session.flush()
