"""The embedded default's background work: job worker threads and the periodic timer tick.

In production these run elsewhere (`dramatiq tasks` workers; `flask workflows tick --every`).
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from tasks.worker import start_embedded_worker

log = logging.getLogger(__name__)
_started = threading.Event()


def start_background(app: Flask) -> None:
    """Start the in-process job worker and the tick thread once per process."""
    if _started.is_set():
        return
    _started.set()
    start_embedded_worker()
    seconds = app.extensions["settings"].tick_seconds
    if seconds > 0:
        threading.Thread(
            target=_tick_forever, args=(app, seconds), daemon=True, name="workflow-tick"
        ).start()


def _tick_forever(app: Flask, seconds: int) -> None:
    from .ticking import tick_once

    stop = threading.Event()
    while not stop.wait(seconds):
        with app.app_context():
            try:
                tick_once(app)
            except Exception:  # a failed tick must not end the thread; the next one retries
                log.exception("workflow tick failed")
