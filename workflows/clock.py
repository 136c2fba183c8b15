"""The one clock of the application, which tests can move.

SpiffWorkflow's timer module reads `datetime.now(timezone.utc)` itself; we swap that module's
`datetime` for a subclass that asks this clock, so BPMN timers follow a moved clock too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

import SpiffWorkflow.bpmn.specs.event_definitions.timer as _spiff_timer


class Clock:
    """Real UTC time, plus an offset (or a fixed instant) that tests control."""

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._frozen: datetime | None = None
        self._pinned: ContextVar[datetime | None] = ContextVar("pinned_now", default=None)

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        pinned = self._pinned.get()
        if pinned is not None:
            return pinned
        if self._frozen is not None:
            return self._frozen
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> None:
        """Move time forward (or back, with a negative delta)."""
        if self._frozen is not None:
            self._frozen += delta
        else:
            self._offset += delta

    def freeze(self, at: datetime) -> None:
        """Stop time at one instant."""
        self._frozen = at.astimezone(UTC)

    @contextmanager
    def pinned(self, at: datetime) -> Iterator[datetime]:
        """Make now() return `at` in this thread for the duration of a block (tick(now))."""
        token = self._pinned.set(at.astimezone(UTC))
        try:
            yield at
        finally:
            self._pinned.reset(token)

    def reset(self) -> None:
        """Back to real time."""
        self._offset = timedelta(0)
        self._frozen = None


clock = Clock()


class _ClockDatetime(datetime):
    """`datetime` whose now() follows the application clock (used inside SpiffWorkflow)."""

    @classmethod
    def now(cls, tz=None):
        current = clock.now()
        return current.astimezone(tz) if tz is not None else current.replace(tzinfo=None)


_spiff_timer.datetime = _ClockDatetime
