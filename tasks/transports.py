"""How an e-mail leaves the system: `.eml` files in the instance folder, or SMTP.

The embedded default writes files (shown on the record page and easy to open in any mail
program); production sets MAIL_SERVER and gets SMTP with STARTTLS.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Protocol

from domain.notifications import Notification
from domain.settings import Settings


class Transport(Protocol):
    def send(self, message: EmailMessage, notification_id: int) -> None: ...


def build_message(row: Notification, sender: str) -> EmailMessage:
    """Turn a notification row into an RFC 5322 message (UTF-8, encoded headers).

    Date and Message-ID come from the row, so a re-sent notice is the same message and a
    receiving server (or the file transport) can recognise the duplicate.
    """
    domain = parseaddr(sender)[1].rpartition("@")[2] or "familybook.local"
    message = EmailMessage()
    message["Subject"] = row.subject
    message["From"] = sender
    message["To"] = row.destination
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = f"<notification-{row.id}.{int(row.created_at.timestamp())}@{domain}>"
    message.set_content(row.body, charset="utf-8")
    return message


def eml_name(message: EmailMessage, notification_id: int) -> str:
    """File name `<UTC timestamp>-<notification id>.eml`, the same on every attempt."""
    stamp = message["Date"].datetime.strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{notification_id}.eml"


class FileTransport:
    """Writes each message as an `.eml` file into a folder."""

    def __init__(self, mail_dir: Path):
        self.mail_dir = Path(mail_dir)

    def send(self, message: EmailMessage, notification_id: int) -> None:
        """Write atomically (temp file + rename): readers never see half a message."""
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        target = self.mail_dir / eml_name(message, notification_id)
        fd, tmp = tempfile.mkstemp(dir=self.mail_dir, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes())
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise


class SmtpTransport:
    """Sends through an SMTP server, with STARTTLS (or implicit TLS on port 465)."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def send(self, message: EmailMessage, notification_id: int) -> None:
        """Open a connection per message: jobs are rare and a pooled connection goes stale."""
        s = self.settings
        context = ssl.create_default_context()
        if s.mail_port == 465:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                s.mail_server, s.mail_port, timeout=30, context=context
            )
        else:
            smtp = smtplib.SMTP(s.mail_server, s.mail_port, timeout=30)
        with smtp:
            if s.mail_use_tls and s.mail_port != 465:
                smtp.starttls(context=context)
            if s.mail_username:
                smtp.login(s.mail_username, s.mail_password)
            smtp.send_message(message)


def transport_for(settings: Settings) -> Transport:
    """SMTP when MAIL_SERVER is set, otherwise files in the instance folder."""
    if settings.mail_server:
        return SmtpTransport(settings)
    return FileTransport(settings.mail_dir)
