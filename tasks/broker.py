"""The dramatiq broker, chosen once at import from BROKER_URL.

Empty means dramatiq's in-process StubBroker (worker threads started by the web app, see
`tasks.worker`); `redis://…` and `amqp://…` give Redis or RabbitMQ for `dramatiq tasks` workers
on any number of hosts. Every broker carries the same middleware.
"""

from __future__ import annotations

import os

import dramatiq
from dramatiq.broker import Broker
from dramatiq.middleware import CurrentMessage, Middleware, Retries, default_middleware

from . import runtime

# Short backoffs (10 s, 20 s, 40 s, then at most 60 s): each gap stays below the outbox sweep's
# two minutes, so the sweep never starts a second chain beside a live one.
MAX_RETRIES = 5
MIN_BACKOFF_MS = 10_000
MAX_BACKOFF_MS = 60_000


def last_attempt(actor: dramatiq.Actor) -> bool:
    """Whether dramatiq gives up on the current message of `actor` if it fails now.

    Outside a worker (a direct call) there is no retry chain: False, and the caller's row stays
    for its sweep to send again later.
    """
    message = CurrentMessage.get_current_message()
    if message is None:
        return False
    retries = message.options.get("retries", 0)
    return retries >= message.options.get("max_retries", actor.options["max_retries"])


class DatabaseSession(Middleware):
    """Give each message a fresh database session, removed when the message is done."""

    def before_process_message(self, broker: Broker, message: dramatiq.Message) -> None:
        runtime.get_db().remove()

    def after_process_message(self, broker, message, *, result=None, exception=None) -> None:
        runtime.get_db().remove()

    def after_skip_message(self, broker: Broker, message: dramatiq.Message) -> None:
        runtime.get_db().remove()


def middleware() -> list[Middleware]:
    """dramatiq's defaults with our retry policy, plus the current message and DB session."""
    chosen: list[Middleware] = []
    for cls in default_middleware:
        if cls is Retries:
            chosen.append(
                Retries(
                    max_retries=MAX_RETRIES, min_backoff=MIN_BACKOFF_MS, max_backoff=MAX_BACKOFF_MS
                )
            )
        else:
            chosen.append(cls())
    return [*chosen, CurrentMessage(), DatabaseSession()]


def make_broker(url: str) -> Broker:
    """Build the broker a URL names ('' for the in-process one)."""
    if not url:
        from dramatiq.brokers.stub import StubBroker

        # Failed messages are recorded on their rows; joins must not re-raise them.
        return StubBroker(middleware=middleware(), fail_fast_default=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=url, middleware=middleware())
    if url.startswith(("amqp://", "amqps://")):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=url, middleware=middleware())
    raise ValueError("BROKER_URL must be empty, redis://… or amqp://…")


broker = make_broker(os.environ.get("BROKER_URL", ""))
dramatiq.set_broker(broker)
