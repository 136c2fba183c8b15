"""Notices go out only after their transaction commits, once, and survive a broker outage.

Runs on SQLite and the in-process broker by default; with TEST_DATABASE_URL (PostgreSQL) and
TEST_BROKER_URL (Redis) it runs the same tests against real servers.
"""

import email
import os
from datetime import timedelta
from email import policy

import pytest

if os.environ.get("TEST_BROKER_URL"):
    # The broker is chosen when `tasks` is first imported.
    os.environ["BROKER_URL"] = os.environ["TEST_BROKER_URL"]

from dramatiq.brokers.redis import RedisBroker  # noqa: E402
from sqlalchemy import select  # noqa: E402

from domain.notifications import (  # noqa: E402
    Notification,
    mask_destination,
    queue_mail,
)
from tasks import runtime  # noqa: E402
from tasks.mail import send_notification  # noqa: E402
from tasks.worker import drain  # noqa: E402
from tests.outbox_support import closed_port, database, db, row, settings, worker  # noqa: E402, F401 (the outbox fixtures)
from workflows.clock import clock  # noqa: E402

SUBJECT = "雲端家庭聯絡簿：請完成註冊"
BODY = "您好：\n請於十分鐘內點選下列連結完成註冊。\nhttps://example.tw/r/abc"


def queue(db, **kwargs):  # noqa: F811
    """Queue one registration mail in its own committed transaction; return its id."""
    with db.transaction() as session:
        values = dict(to="family@example.tw", subject=SUBJECT, body=BODY, category="registration")
        return queue_mail(session, **(values | kwargs)).id


def eml_files(settings):  # noqa: F811
    """The .eml files the file transport wrote."""
    return sorted(settings.mail_dir.glob("*.eml")) if settings.mail_dir.exists() else []


def test_committed_mail_is_written_once_as_utf8_eml(db, settings):  # noqa: F811
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


def test_rolled_back_transaction_sends_nothing(db, settings):  # noqa: F811
    with pytest.raises(RuntimeError), db.transaction() as session:
        queue_mail(session, to="a@example.tw", subject="x", body="x", category="registration")
        raise RuntimeError("the request failed")
    drain()
    assert eml_files(settings) == []
    assert db.session.scalars(select(Notification)).all() == []


def test_mail_queued_in_a_rolled_back_savepoint_is_not_sent(db, settings):  # noqa: F811
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


def test_same_notice_is_sent_once_however_often_it_is_delivered(db, settings):  # noqa: F811
    notification_id = queue(db)
    for _ in range(3):  # redeliveries racing the first message on two worker threads
        send_notification.send(notification_id)
    drain()
    send_notification(notification_id)  # and a late direct call
    assert len(eml_files(settings)) == 1
    assert row(db, notification_id).attempts == 1


def test_dedupe_key_queues_a_notice_only_once(db, settings):  # noqa: F811
    first = queue(db, dedupe_key="registration:42")
    second = queue(db, dedupe_key="registration:42")
    drain()
    assert first == second
    assert len(eml_files(settings)) == 1


def test_failing_transport_records_errors_then_fails(db, settings, monkeypatch):  # noqa: F811
    settings.mail_server, settings.mail_port = "127.0.0.1", closed_port()
    monkeypatch.setitem(send_notification.options, "max_retries", 2)
    monkeypatch.setitem(send_notification.options, "min_backoff", 10)
    monkeypatch.setitem(send_notification.options, "max_backoff", 20)
    notification_id = queue(db)
    drain()
    failed = row(db, notification_id)
    assert (failed.status, failed.attempts, failed.sent_at) == ("failed", 3, None)
    assert failed.last_error.startswith("ConnectionRefusedError")


def test_broker_outage_delays_mail_and_the_sweep_sends_it(db, settings, monkeypatch):  # noqa: F811
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
