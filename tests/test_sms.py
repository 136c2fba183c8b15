"""SMS leaves through the log file by default, or an HTTP gateway: retried with back-off on a
timeout or a 5xx, never sent twice, and marked failed once every retry is spent.

Uses the outbox fixtures of tests/outbox_support.py, as test_mail does (SQLite and the stub
broker, or PostgreSQL and Redis).
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from domain.notifications import queue_notice
from tasks.mail import send_notification
from tasks.worker import drain
from tests.outbox_support import closed_port, database, db, row, settings, worker  # noqa: F401

TEXT = "【雲端家庭聯絡簿】王先生您好：您的家庭聯絡簿已審核通過。"


class Gateway:
    """A fake SMS gateway on a local port: answers each request with the next scripted
    (status, delay), and keeps what it was sent."""

    def __init__(self, script: list[tuple[int, float]]):
        self.script, self.requests = list(script), []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append((dict(self.headers), json.loads(body)))
                status, delay = gateway.script.pop(0) if gateway.script else (200, 0)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:
                    pass  # the client gave up waiting (a timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def quick_retries(monkeypatch):
    """Two retries, milliseconds apart, so the tests stay fast."""
    monkeypatch.setitem(send_notification.options, "max_retries", 2)
    monkeypatch.setitem(send_notification.options, "min_backoff", 10)
    monkeypatch.setitem(send_notification.options, "max_backoff", 20)


def queue_sms(db, **kwargs) -> int:  # noqa: F811
    with db.transaction() as session:
        values = dict(
            channel="sms",
            to="0912345678",
            subject="審核通過",
            body=TEXT,
            category="post_approved",
            account_id=7,
        )
        return queue_notice(session, **(values | kwargs)).id


def use_gateway(settings, gateway: Gateway, timeout: float = 2.0) -> None:  # noqa: F811
    settings.sms_gateway_url, settings.sms_gateway_token = gateway.url, "s3cret"
    settings.sms_sender, settings.sms_timeout = "FamilyBook", timeout


def test_default_sms_is_one_line_in_the_log_file(db, settings):  # noqa: F811
    notification_id = queue_sms(db)
    drain()
    send_notification(notification_id)  # a late redelivery
    [line] = settings.sms_log.read_text(encoding="utf-8").splitlines()
    logged = json.loads(line)
    assert (logged["id"], logged["to"], logged["text"]) == (notification_id, "0912345678", TEXT)
    assert row(db, notification_id).status == "sent"


def test_gateway_500_then_200_sends_once(db, settings, quick_retries):  # noqa: F811
    with Gateway([(500, 0), (200, 0)]) as gateway:
        use_gateway(settings, gateway)
        notification_id = queue_sms(db)
        drain()
        send_notification(notification_id)  # a redelivery after success: nothing more
    sent = row(db, notification_id)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, None)
    assert len(gateway.requests) == 2
    for headers, body in gateway.requests:
        assert headers["Idempotency-Key"] == str(notification_id)
        assert headers["Authorization"] == "Bearer s3cret"
        assert body == {
            "to": "0912345678",
            "from": "FamilyBook",
            "text": TEXT,
            "reference": f"notification-{notification_id}",
        }


def test_gateway_timeout_is_retried(db, settings, quick_retries):  # noqa: F811
    with Gateway([(200, 1.0), (200, 0)]) as gateway:
        use_gateway(settings, gateway, timeout=0.2)
        notification_id = queue_sms(db)
        drain()
    sent = row(db, notification_id)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, None)
    assert [h["Idempotency-Key"] for h, _ in gateway.requests] == [str(notification_id)] * 2


def test_gateway_failing_every_retry_marks_the_sms_failed(db, settings, quick_retries):  # noqa: F811
    with Gateway([(503, 0)] * 5) as gateway:
        use_gateway(settings, gateway)
        notification_id = queue_sms(db)
        drain()
    failed = row(db, notification_id)
    assert (failed.status, failed.attempts, failed.sent_at) == ("failed", 3, None)
    assert "503" in failed.last_error
    assert len(gateway.requests) == 3


def test_gateway_refusing_the_number_fails_at_once(db, settings, quick_retries):  # noqa: F811
    with Gateway([(400, 0)]) as gateway:
        use_gateway(settings, gateway)
        notification_id = queue_sms(db)
        drain()
    failed = row(db, notification_id)
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert failed.last_error.startswith("PermanentSmsError")
    assert len(gateway.requests) == 1


def test_unreachable_gateway_is_retried_then_failed(db, settings, quick_retries):  # noqa: F811
    settings.sms_gateway_url = f"http://127.0.0.1:{closed_port()}/sms"
    notification_id = queue_sms(db)
    drain()
    assert (row(db, notification_id).status, row(db, notification_id).attempts) == ("failed", 3)
