"""Worker threads inside the web process, for the embedded default (no broker server).

With Redis or RabbitMQ, `dramatiq tasks` processes do this work instead; tests may still start
an in-process worker against any broker and `drain()` it.
"""

from __future__ import annotations

import threading

import dramatiq
from dramatiq.brokers.stub import StubBroker

_lock = threading.Lock()
_worker: dramatiq.Worker | None = None


def start_embedded_worker(worker_threads: int = 2, worker_timeout: int = 100) -> dramatiq.Worker:
    """Start worker threads on the current broker once; later calls return the same worker.

    `worker_timeout` (ms) is how often idle threads wake, which bounds how late a delayed
    retry is picked up.
    """
    global _worker
    with _lock:
        if _worker is None:
            worker = dramatiq.Worker(
                dramatiq.get_broker(), worker_threads=worker_threads, worker_timeout=worker_timeout
            )
            worker.start()
            _worker = worker
        return _worker


def current_worker() -> dramatiq.Worker | None:
    """The in-process worker, if one is running."""
    return _worker


def stop_embedded_worker(timeout_ms: int = 10_000) -> None:
    """Stop the in-process worker, letting messages in progress finish."""
    global _worker
    with _lock:
        worker, _worker = _worker, None
    if worker is not None:
        worker.stop(timeout=timeout_ms)


def drain(timeout_ms: int = 10_000) -> None:
    """Wait until every queue is empty (delayed retries included) and the worker is idle.

    For tests: raises dramatiq's QueueJoinTimeout when the work does not finish in time.
    """
    broker = dramatiq.get_broker()
    for queue_name in sorted(broker.get_declared_queues()):
        if isinstance(broker, StubBroker):
            broker.join(queue_name, timeout=timeout_ms, fail_fast=False)
        else:
            broker.join(queue_name, timeout=timeout_ms)
    if _worker is not None:
        _worker.join()
