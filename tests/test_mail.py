"""Notices go out only after their transaction commits, once, and survive a broker outage.

Runs on SQLite and the in-process broker by default; with TEST_DATABASE_URL (PostgreSQL) and
TEST_BROKER_URL (Redis) it runs the same tests against real servers.
"""

import email
import os
import socket
from datetime import timedelta
from email import policy

import pytest

if os.environ.get("TEST_BROKER_URL"):
    # The broker is chosen when `tasks` is first imported.
    os.environ["BROKER_URL"] = os.environ["TEST_BROKER_URL"]

import dramatiq  # noqa: E402
from dramatiq.brokers.redis import RedisBroker  # noqa: E402
from sqlalchemy import delete, select  # noqa: E402

from domain.notifications import (  # noqa: E402
    Notification,
    mask_destination,
    queue_mail,
)
from domain.settings import Settings  # noqa: E402
from tasks import runtime  # noqa: E402
from tasks.mail import send_notification  # noqa: E402
from tasks.worker import (  # noqa: E402
    current_worker,
    drain,
    start_embedded_worker,
    stop_embedded_worker,
)
from workflows.clock import clock  # noqa: E402
from workflows.db import Base, Database  # noqa: E402

SUBJECT = "雲端家庭聯絡簿：請完成註冊"
BODY = "您好：\n請於十分鐘內點選下列連結完成註冊。\nhttps://example.tw/r/abc"


@pytest.fixture(scope="module")
def worker():
    """In-process worker threads on whichever broker `tasks` chose."""
    dramatiq.get_broker().flush_all()
    started_here = current_worker() is None
    start_embedded_worker(worker_threads=2, worker_timeout=20)
    yield
    if started_here:
        stop_embedded_worker()


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """The notification table, freshly created on SQLite or on TEST_DATABASE_URL."""
    path = tmp_path_factory.mktemp("db") / "mail.db"
    db = Database(os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{path}")
    Notification.__table__.drop(db.engine, checkfirst=True)
    Base.metadata.create_all(db.engine, tables=[Notification.__table__])
    runtime.install_outbox_dispatch(db)
    yield db
    db.dispose()


@pytest.fixture
def settings(tmp_path):
    """Settings whose mail folder is this test's own."""
    return Settings.from_env(env={"INSTANCE_PATH": str(tmp_path)})


@pytest.fixture
def db(database, settings, worker):
    """A clean outbox that the actors share with the test."""
    with database.transaction() as session:
        session.execute(delete(Notification))
    previous = runtime.configure(database, settings)
    yield database
    drain()
    clock.reset()
    runtime.configure(*previous)
    database.remove()
    with database.transaction() as session:
        session.execute(delete(Notification))
    database.remove()


def queue(db, **kwargs):
    """Queue one registration mail in its own committed transaction; return its id."""
    with db.transaction() as session:
        values = dict(to="family@example.tw", subject=SUBJECT, body=BODY, category="registration")
        return queue_mail(session, **(values | kwargs)).id


def row(db, notification_id):
    """The notification as the database holds it now (not a cached copy)."""
    db.remove()
    return db.session.get(Notification, notification_id)


def eml_files(settings):
    """The .eml files the file transport wrote."""
    return sorted(settings.mail_dir.glob("*.eml")) if settings.mail_dir.exists() else []


def test_committed_mail_is_written_once_as_utf8_eml(db, settings):
    notification_id = queue(db, account_id=7)
    drain()
    [path] = eml_files(settings)
    assert path.name.endswith(f"-{notification_id}.eml")
    assert not list(settings.mail_dir.glob(".*"))  # no temp file left behind
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["Subject"] == SUBJECT
    assert message["To"] == "family@example.tw"
    assert message["From"].addresses[0].display_name == "雲端家庭聯絡簿"
    assert message["Message-ID"] and message["Date"]
    assert message.get_content().strip() == BODY
    sent = row(db, notification_id)
    assert (sent.status, sent.attempts, sent.account_id) == ("sent", 1, 7)
    assert sent.sent_at is not None


def test_rolled_back_transaction_sends_nothing(db, settings):
    with pytest.raises(RuntimeError), db.transaction() as session:
        queue_mail(session, to="a@example.tw", subject="x", body="x", category="registration")
        raise RuntimeError("the request failed")
    drain()
    assert eml_files(settings) == []
    assert db.session.scalars(select(Notification)).all() == []


def test_mail_queued_in_a_rolled_back_savepoint_is_not_sent(db, settings):
    with db.transaction() as session:
        with pytest.raises(RuntimeError), session.begin_nested():
            queue_mail(session, to="a@example.tw", subject="x", body="x", category="registration")
            raise RuntimeError("this step failed")
        kept = queue_mail(
            session, to="b@example.tw", subject="y", body="y", category="registration"
        )
    drain()
    [path] = eml_files(settings)
    assert path.name.endswith(f"-{kept.id}.eml")


def test_same_notice_is_sent_once_however_often_it_is_delivered(db, settings):
    notification_id = queue(db)
    for _ in range(3):  # redeliveries racing the first message on two worker threads
        send_notification.send(notification_id)
    drain()
    send_notification(notification_id)  # and a late direct call
    assert len(eml_files(settings)) == 1
    assert row(db, notification_id).attempts == 1


def test_dedupe_key_queues_a_notice_only_once(db, settings):
    first = queue(db, dedupe_key="registration:42")
    second = queue(db, dedupe_key="registration:42")
    drain()
    assert first == second
    assert len(eml_files(settings)) == 1


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_failing_transport_records_errors_then_fails(db, settings, monkeypatch):
    settings.mail_server, settings.mail_port = "127.0.0.1", closed_port()
    monkeypatch.setitem(send_notification.options, "max_retries", 2)
    monkeypatch.setitem(send_notification.options, "min_backoff", 10)
    monkeypatch.setitem(send_notification.options, "max_backoff", 20)
    notification_id = queue(db)
    drain()
    failed = row(db, notification_id)
    assert (failed.status, failed.attempts, failed.sent_at) == ("failed", 3, None)
    assert failed.last_error.startswith("ConnectionRefusedError")


def test_broker_outage_delays_mail_and_the_sweep_sends_it(db, settings, monkeypatch):
    down = RedisBroker(url=f"redis://127.0.0.1:{closed_port()}/0", middleware=[])
    with monkeypatch.context() as outage:
        outage.setattr(send_notification, "broker", down)
        old = queue(db)  # the commit succeeds; the hand-off fails softly
        clock.advance(timedelta(minutes=3))
        recent = queue(db, to="other@example.tw")
    drain()
    assert eml_files(settings) == []
    assert row(db, old).status == "queued"

    with db.transaction() as session:
        assert runtime.sweep_outbox(session) == 1  # only the one nobody touched for 2 minutes
    drain()
    assert (row(db, old).status, row(db, recent).status) == ("sent", "queued")

    clock.advance(timedelta(minutes=3))
    with db.transaction() as session:
        assert runtime.sweep_outbox(session) == 1
    drain()
    assert row(db, recent).status == "sent"
    assert len(eml_files(settings)) == 2


def test_mask_destination_hides_the_address():
    assert mask_destination("family@example.tw") == "f***y@example.tw"
    assert mask_destination("a@example.tw") == "a***@example.tw"
    assert mask_destination("0912345678") == "*******678"
