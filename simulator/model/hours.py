"""Opening hours in simulated time: whether a channel is open, and how much of a wait fell
inside its hours.

The loader gives each channel's hours per weekday
(:attr:`~simulator.scenario.schema.Channel.hours`); :meth:`Channel.open_windows
<simulator.scenario.schema.Channel.open_windows>` lays them over the run. The engine needs two
questions answered from those windows: "is it open now?" (a flag the world flips at every
opening and closing, so the hot path reads one attribute) and "how many open seconds lie
between ``since`` and ``now``?" (a business-hours promise, asked once per answered contact of
such a channel: a binary search over cumulative open time).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence


class OpenWindows:
    """Sorted, disjoint ``(open, close)`` windows in simulated seconds, with cumulative open
    time so that the open seconds of any span cost two binary searches."""

    __slots__ = ("closes", "open_before", "opens")

    def __init__(self, windows: Sequence[tuple[float, float]]) -> None:
        ordered = sorted(windows)
        self.opens = [a for a, _ in ordered]
        self.closes = [b for _, b in ordered]
        #: Open seconds before window ``k`` opens.
        self.open_before: list[float] = []
        total = 0.0
        for a, b in ordered:
            self.open_before.append(total)
            total += b - a

    def _open_until(self, t: float) -> float:
        """Open seconds in ``(-inf, t]``."""
        k = bisect_right(self.opens, t) - 1
        if k < 0:
            return 0.0
        inside = t - self.opens[k]
        length = self.closes[k] - self.opens[k]
        return self.open_before[k] + (inside if inside < length else length)

    def open_seconds(self, since: float, now: float) -> float:
        """How much of ``[since, now]`` lies inside the windows."""
        if now <= since:
            return 0.0
        return self._open_until(now) - self._open_until(since)

    def is_open(self, t: float) -> bool:
        """Whether ``t`` lies inside a window (an opening counts as open, a closing as closed)."""
        k = bisect_right(self.opens, t) - 1
        return k >= 0 and t < self.closes[k]

    def changes(self) -> list[tuple[float, bool]]:
        """``(t, open)`` for every opening and closing, in time order; a closing and an opening
        at the same instant (windows that touch) are left out."""
        out: list[tuple[float, bool]] = []
        for a, b in zip(self.opens, self.closes, strict=True):
            if out and out[-1] == (a, False):
                out.pop()  # the previous window closes as this one opens: open throughout
            else:
                out.append((a, True))
            out.append((b, False))
        return out
