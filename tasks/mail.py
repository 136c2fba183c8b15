"""The job that sends one queued notification (e-mail or SMS), safely repeatable.

Messages can arrive twice (a redelivery, the outbox sweep); the row lock and the status check
make the second one a no-op. One transaction per job, committed here.
"""

from __future__ import annotations

import logging

import dramatiq
from sqlalchemy import select

from domain.notifications import Notification, NotificationStatus, settle
from workflows.clock import clock

from . import runtime
from .broker import MAX_BACKOFF_MS, MAX_RETRIES, MIN_BACKOFF_MS, last_attempt
from .sms import PermanentSmsError, sms_transport_for
from .transports import build_message, transport_for

log = logging.getLogger(__name__)


@dramatiq.actor(max_retries=MAX_RETRIES, min_backoff=MIN_BACKOFF_MS, max_backoff=MAX_BACKOFF_MS)
def send_notification(notification_id: int) -> None:
    """Send a queued notice, then mark it sent; on error record it and let dramatiq retry.

    An error no retry can cure (the SMS gateway refusing a number) marks it failed at once.
    """
    db, settings = runtime.current()
    failure: Exception | None = None
    with db.transaction() as session:
        row = session.scalars(
            select(Notification).where(Notification.id == notification_id).with_for_update()
        ).one_or_none()
        if row is None:
            # Ids are handed over only after their transaction committed, so this should not
            # happen: warn, so a job running against the wrong database shows in the logs.
            log.warning("notification %s not found; nothing sent", notification_id)
            return
        if row.status != NotificationStatus.QUEUED:
            return
        now = clock.now()
        row.attempts += 1
        row.touched_at = now
        try:
            _send(row, settings)
        except PermanentSmsError as exc:
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            settle(row, NotificationStatus.FAILED)
            log.warning("notification %s refused for good", row.id)
            return
        except Exception as exc:
            failure = exc
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if last_attempt(send_notification):
                settle(row, NotificationStatus.FAILED)
            log.warning("notification %s attempt %s failed", row.id, row.attempts)
        else:
            settle(row, NotificationStatus.SENT)
            row.sent_at = now
            row.last_error = None
    if failure is not None:
        raise failure  # after the commit above, so the attempt stays recorded


def _send(row: Notification, settings) -> None:
    """Hand the row to its channel's transport."""
    if row.channel == "email":
        transport_for(settings).send(build_message(row, settings.mail_sender), row.id)
    elif row.channel == "sms":
        sms_transport_for(settings).send(row)
    else:
        raise ValueError(f"no transport for channel {row.channel!r}")
