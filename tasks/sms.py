"""How an SMS leaves the system: a line in `<instance>/sms.log`, or an HTTP gateway.

The embedded default appends one JSON line per message (like the `.eml` files for mail); with
SMS_GATEWAY_URL set, each message is POSTed as JSON to the gateway. The notification id goes
along as the idempotency key, so a gateway that saw a request whose answer was lost does not
send the text twice.
"""

from __future__ import annotations

import http.client
import json
import os
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from domain.notifications import Notification
from domain.settings import Settings


class GatewayError(Exception):
    """The gateway could not take the message now (5xx, 408, 429): worth retrying."""


class PermanentSmsError(Exception):
    """The gateway refused the message for good (e.g. 400 bad number): retrying cannot help."""


class SmsTransport(Protocol):
    def send(self, row: Notification) -> None: ...


class LogFileSms:
    """Appends each message as one JSON line to a log file."""

    def __init__(self, path: Path, sender: str):
        self.path, self.sender = Path(path), sender

    def send(self, row: Notification) -> None:
        """One write of one line in append mode: lines of concurrent workers never interleave."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {
                "id": row.id,
                "from": self.sender,
                "to": row.destination,
                "created_at": row.created_at.isoformat(),
                "text": row.body,
            },
            ensure_ascii=False,
        )
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode("utf-8"))
        finally:
            os.close(fd)


class HttpGatewaySms:
    """POSTs {"to", "from", "text", "reference"} as JSON, with a bearer token and a timeout.

    A timeout, a connection error, a 5xx, 408 or 429 raise an ordinary error (dramatiq retries
    with back-off); any other 4xx raises PermanentSmsError (the actor marks the row failed).
    """

    def __init__(self, url: str, token: str, sender: str, timeout: float):
        self.url, self.token, self.sender, self.timeout = url, token, sender, timeout

    def send(self, row: Notification) -> None:
        payload = {
            "to": row.destination,
            "from": self.sender,
            "text": row.body,
            "reference": f"notification-{row.id}",
        }
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": str(row.id),
            **({"Authorization": f"Bearer {self.token}"} if self.token else {}),
        }
        url = urlsplit(self.url)
        kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        connection = kind(url.netloc, timeout=self.timeout)
        try:  # closed on every path: a timed-out attempt must not leak its socket
            target = (url.path or "/") + (f"?{url.query}" if url.query else "")
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        status = response.status
        if 400 <= status < 500 and status not in (408, 429):
            raise PermanentSmsError(f"gateway refused the message: HTTP {status}")
        if status >= 400:
            raise GatewayError(f"gateway answered HTTP {status}")


def sms_transport_for(settings: Settings) -> SmsTransport:
    """The HTTP gateway when SMS_GATEWAY_URL is set, otherwise the log file."""
    if settings.sms_gateway_url:
        return HttpGatewaySms(
            settings.sms_gateway_url,
            settings.sms_gateway_token,
            settings.sms_sender,
            settings.sms_timeout,
        )
    return LogFileSms(settings.sms_log, settings.sms_sender)
