"""Builders for the post tests: an active contact book, a logged-in family, the post steps."""

from __future__ import annotations

import io

from sqlalchemy import select

from domain.accounts import Account, Facility
from domain.applications import book_without_review
from domain.posts import Post
from domain.roster import Inmate
from domain.suspensions import Suspension
from tests.application_support import FAMILY, STAFF_PASSWORD, logged_in, open_tasks, seed
from tests.conftest import read
from tests.web_support import csrf_token
from workflows import clock


def staff_email(role: str, short: str) -> str:
    """The demo staff login of a role at a facility ('reviewer', 'dunpin')."""
    prefix = {"reviewer": "reviewer", "supervisor": "supervisor", "facility_admin": "admin"}[role]
    return f"{prefix}.{short}@example.tw"


def give_book(app, email: str, facility: str, call_number: str) -> int:
    """An approved application and an active contact book for this family and person; its id."""
    database = app.extensions["db"]
    with database.transaction() as session:
        account = session.scalar(select(Account).where(Account.email == email))
        inmate = session.scalar(
            select(Inmate)
            .join(Facility)
            .where(Facility.code == facility, Inmate.call_number == call_number)
        )
        book = book_without_review(session, account.id, inmate.id, inmate.facility_id, clock.now())
        book_id = book.id
    database.remove()
    return book_id


def family_with_book(app, facility="dunpin-school", call_number="1201"):
    """The demo family, logged in, with an active book; (client, book id)."""
    seed(app)
    book_id = give_book(app, FAMILY[0], facility, call_number)
    return logged_in(app, *FAMILY), book_id


def staff(app, role: str, short: str):
    return logged_in(app, staff_email(role, short), STAFF_PASSWORD)


def start_post(client, book_id: int):
    """POST /posts/new for this book; the response (a redirect to compose, or the refusal)."""
    token = csrf_token(client, "/posts/new")
    return client.post("/posts/new", data={"csrf_token": token, "book": str(book_id)})


def start_reply(admin, book_id: int):
    token = csrf_token(admin, "/books")
    return admin.post(f"/books/{book_id}/reply", data={"csrf_token": token})


def enter_reply(admin, book_id: int, body: str, scan: bytes):
    """A facility admin starts a reply to the book and sends it with a scanned image; the
    answer to the send (a redirect when it was taken)."""
    task_url = start_reply(admin, book_id).headers["Location"]
    data = {
        "csrf_token": csrf_token(admin, task_url),
        "body": body,
        "scan": (io.BytesIO(scan), "reply.png"),
    }
    return admin.post(task_url, data=data, content_type="multipart/form-data")


def drafts_at_once(app, book_id: int, count: int) -> list[str]:
    """Compose task URLs of `count` posts started for one book at the same moment. /posts/new
    continues an open draft, so only requests racing each other leave several open; this
    starts them as those requests do."""
    from domain.applications import ContactBook
    from domain.post_start import start_post_process
    from workflows import Actor

    database, engine = app.extensions["db"], app.extensions["engine"]
    with database.transaction() as session:
        book = session.get(ContactBook, book_id)
        actor = Actor(account_id=book.account_id, roles=frozenset({"family"}))
        for _ in range(count):
            start_post_process(session, engine, actor, book)
    database.remove()
    return [f"/tasks/{task.task_guid}" for task in open_tasks(app, bpmn_id="compose")]


def compose(client, task_url: str, title="家裡一切都好", body="爸爸，我們很想你。", photo=None):
    token = csrf_token(client, task_url)
    data = {"csrf_token": token, "title": title, "body": body}
    if photo is not None:
        data["photo"] = photo
    return client.post(task_url, data=data, content_type="multipart/form-data")


def send_post(client, book_id: int, **fields):
    """Both steps; returns the compose response."""
    started = start_post(client, book_id)
    assert started.status_code == 302 and "/tasks/" in started.headers["Location"], started
    return compose(client, started.headers["Location"], **fields)


def decide(client, task_guid: str, decision: str, reason: str = ""):
    url = f"/tasks/{task_guid}"
    token = csrf_token(client, url)
    data = {"csrf_token": token, "decision": decision, "reason": reason}
    return client.post(url, data=data)


def deliver(client, task_guid: str):
    url = f"/tasks/{task_guid}"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "delivered": "y"})


def posts(app) -> list[Post]:
    database = app.extensions["db"]
    try:
        return database.session.scalars(select(Post).order_by(Post.id)).all()
    finally:
        database.remove()


def review_task(app) -> str:
    [task] = open_tasks(app, bpmn_id="review", process_id="post_review")
    return task.task_guid


def reject_three(app, family, book_id):
    reviewer = staff(app, "reviewer", "dunpin")
    for n in range(3):
        assert send_post(family, book_id, title=f"第 {n + 1} 篇").status_code == 302
        assert decide(reviewer, review_task(app), "reject", "與家庭關懷無關").status_code == 302


def suspensions(app) -> list[Suspension]:
    return read(app, select(Suspension).order_by(Suspension.id))


def approved_post(app, facility="dunpin-school", call_number="1201", photo=None, **fields):
    """The demo family's post, sent (its photo prepared) and approved; (family client, post)."""
    short = {"dunpin-school": "dunpin", "taichung-detention": "taichung"}[facility]
    family, book_id = family_with_book(app, facility, call_number)
    assert send_post(family, book_id, photo=photo, **fields).status_code == 302
    photo_jobs_done(app)
    reviewer = staff(app, "reviewer", short)
    assert decide(reviewer, review_task(app), "approve").status_code == 302
    [post] = [p for p in posts(app) if p.book_id == book_id]
    return family, post


def pdf_text(data: bytes) -> str:
    """The text of every page of a PDF, as pypdf reads it.

    pypdf reads fpdf2's two-byte CID codes (CFF fonts such as Noto Sans CJK) one byte at a
    time and puts a NUL before each character; the characters themselves are right.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\x00", "")


def photo_jobs_done(app, timeout: float = 30.0) -> None:
    """Wait until no post waits for its photo job (the job may have been retried after a
    back-off on a loaded machine); fail with the posts' states if that does not happen."""
    import time

    from domain.posts import PostStatus
    from tasks.worker import drain
    from tests.conftest import broker_state

    deadline = time.monotonic() + timeout
    while True:
        app.extensions["db"].remove()  # an open SQLite transaction would hold the job up
        drain()
        waiting = [p.id for p in posts(app) if p.status == PostStatus.PROCESSING]
        if not waiting:
            return
        assert time.monotonic() < deadline, (
            f"photo jobs still waiting for posts {waiting}; broker {broker_state()}"
        )
        time.sleep(0.1)


def lose_photo_jobs(monkeypatch) -> None:
    """Every photo job handed to the broker from now on is lost (a broker that drops them)."""
    import tasks.runtime
    from domain.posts import POST_PHOTO_JOB

    real = tasks.runtime.dispatch

    def dispatch(row_id, kind=tasks.runtime.NOTICE_JOB):
        return True if kind == POST_PHOTO_JOB else real(row_id, kind)

    monkeypatch.setattr(tasks.runtime, "dispatch", dispatch)
