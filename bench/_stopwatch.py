"""Time spent inside chosen calls, summed until taken: the share of a step that one part has."""

from __future__ import annotations

from time import perf_counter


class Stopwatch:
    """Sums the milliseconds spent inside every call it wrapped."""

    def __init__(self) -> None:
        self.spent = 0.0

    def wrap(self, call):
        """`call`, timed into this stopwatch."""

        def timed(*args, **kwargs):
            began = perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                self.spent += (perf_counter() - began) * 1000

        return timed

    def take(self) -> float:
        """Milliseconds spent since the last take."""
        spent, self.spent = self.spent, 0.0
        return spent
