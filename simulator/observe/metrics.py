"""Streaming aggregation of queue statistics, with memory independent of the number of customers.

The model updates one :class:`Cell` per (interval of arrival, channel, skill queue); every coarser
view (overall, per channel, per queue, per interval) is a merge of cells done once at the end. A
customer's cell is looked up once, at arrival, so each event costs a few attribute increments.

Definitions (also in docs/reference.md and in every results document):

* offered: contacts that arrived (after warm-up), blocked and closed ones included;
* answered / abandoned / blocked / closed: outcomes (closed: the channel was closed when they
  came, or while they waited); ``in_system``: still waiting when the run stopped;
* abandon_rate = abandoned / offered;
* mean_wait_s: mean wait of contacts that queued and reached an outcome (answered: wait until
  answer; abandoned: wait until hanging up); blocked contacts never queued and are excluded;
* asa_s: mean wait of answered contacts;
* wait_p50/p90/p95_s: percentiles of the same waits as mean_wait_s;
* service_level = answered within the channel's threshold / offered;
* occupancy = busy agent-time / staffed agent-time (chat: slot-weighted by concurrency).
"""

from __future__ import annotations

import math
import operator
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.observe import histogram


@dataclass(slots=True)
class Cell:
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    blocked: int = 0
    closed: int = 0
    immediate: int = 0  # answered without waiting at all
    answered_in_sl: int = 0
    wait_sum: float = 0.0  # over answered + abandoned
    answered_wait_sum: float = 0.0
    waits: Any = field(default_factory=histogram.new_counts)  # array('q') or a numpy array
    #: Contacts answered and their handle seconds (re-explaining included), by agent group
    #: index: who answered the contacts that arrived in this cell (see :meth:`for_groups`).
    served: list[int] = field(default_factory=list)
    handled: list[float] = field(default_factory=list)

    @classmethod
    def for_groups(cls, groups: int) -> Cell:
        """A cell that counts answers by agent group: the engine indexes ``served`` and
        ``handled`` by group, so they exist from the start."""
        return cls(served=[0] * groups, handled=[0.0] * groups)

    def answer(self, wait: float, threshold: float) -> None:
        self.answered += 1
        if wait == 0.0:
            self.immediate += 1
            self.answered_in_sl += 1
            self.waits[0] += 1
            return
        self.wait_sum += wait
        self.answered_wait_sum += wait
        if wait <= threshold:
            self.answered_in_sl += 1
        self.waits[histogram.bin_of(wait)] += 1

    def abandon(self, wait: float) -> None:
        self.abandoned += 1
        self.wait_sum += wait
        self.waits[histogram.bin_of(wait)] += 1

    def merge(self, other: Cell) -> None:
        self.offered += other.offered
        self.answered += other.answered
        self.abandoned += other.abandoned
        self.blocked += other.blocked
        self.closed += other.closed
        self.immediate += other.immediate
        self.answered_in_sl += other.answered_in_sl
        self.wait_sum += other.wait_sum
        self.answered_wait_sum += other.answered_wait_sum
        histogram.merge_into(self.waits, other.waits)
        _add_lists(self.served, other.served)
        _add_lists(self.handled, other.handled)


def _add_lists(total: list[Any], more: list[Any]) -> None:
    """Add ``more`` to ``total`` element-wise, growing ``total`` (an empty cell's) to fit.

    One slice assignment rather than a loop of ``+=``: the same additions, in C (a replication
    merges a few hundred cells, each with a count per agent group)."""
    if len(total) < len(more):
        total.extend([type(x)() for x in more[len(total) :]])
    total[: len(more)] = map(operator.add, total, more)


def merged(cells: Iterable[Cell]) -> Cell:
    """One cell summing several; histograms are added with numpy (they have ~1,300 bins).

    The counts are added cell by cell in the order given, as :meth:`Cell.merge` adds them (the
    same float sums), written out here: a replication merges a few hundred cells, and a call
    per cell and field cost more than the additions.
    """
    cells = list(cells)
    total = Cell()
    served, handled = total.served, total.handled
    for cell in cells:
        total.offered += cell.offered
        total.answered += cell.answered
        total.abandoned += cell.abandoned
        total.blocked += cell.blocked
        total.closed += cell.closed
        total.immediate += cell.immediate
        total.answered_in_sl += cell.answered_in_sl
        total.wait_sum += cell.wait_sum
        total.answered_wait_sum += cell.answered_wait_sum
        if cell.served:
            _add_lists(served, cell.served)
            _add_lists(handled, cell.handled)
    if cells:
        # Merged histograms stay numpy arrays, so merging merged cells again costs no conversion.
        # Integer counts: any order of addition gives the same sums.
        every = [cell.waits for cell in cells]
        if all(isinstance(waits, array) for waits in every):  # the engine's: one copy of all
            stacked = np.frombuffer(b"".join(every), dtype=np.int64)
            total.waits = stacked.reshape(len(every), -1).sum(axis=0, dtype=np.int64)
        else:
            waits = histogram.as_numpy(every[0]).astype(np.int64, copy=True)
            for more in every[1:]:
                np.add(waits, histogram.as_numpy(more), out=waits)
            total.waits = waits
    return total


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def queue_kpis(cell: Cell) -> dict[str, float]:
    """The queue KPIs of one merged cell (see the module docstring for definitions)."""
    queued = cell.answered + cell.abandoned
    in_system = cell.offered - cell.answered - cell.abandoned - cell.blocked - cell.closed
    return {
        "offered": float(cell.offered),
        "answered": float(cell.answered),
        "abandoned": float(cell.abandoned),
        "blocked": float(cell.blocked),
        "closed": float(cell.closed),
        "in_system": float(in_system),
        "abandon_rate": _ratio(cell.abandoned, cell.offered),
        "blocked_rate": _ratio(cell.blocked, cell.offered),
        "closed_rate": _ratio(cell.closed, cell.offered),
        "immediate_rate": _ratio(cell.immediate, cell.offered),
        "mean_wait_s": _ratio(cell.wait_sum, queued),
        "asa_s": _ratio(cell.answered_wait_sum, cell.answered),
        "wait_p50_s": histogram.quantile(cell.waits, 0.50),
        "wait_p90_s": histogram.quantile(cell.waits, 0.90),
        "wait_p95_s": histogram.quantile(cell.waits, 0.95),
        "service_level": _ratio(cell.answered_in_sl, cell.offered),
    }


class Occupancy:
    """Integrates busy and staffed slot-time of one agent group, split by horizon interval.

    Staffed time counts ``max(capacity, busy)``: an agent whose shift ended but who is finishing
    a contact is still working. Time before the warm-up and after the horizon is not counted.
    Call :meth:`flush` before reading ``busy_area`` and ``staffed_area``.

    :meth:`advance` runs twice per contact. Almost always the time since the last change lies
    inside the interval of the last change, and then it adds one product to one bin: the
    general loop would do the same arithmetic (bit for bit) after more checks. ``current`` is
    that interval, ``fast_until`` the first time outside it (or ``-inf`` when the general rules
    apply: before the warm-up, past the horizon or past the last interval), and ``busy_now`` and
    ``staffed_now`` hold the two bins of ``current`` meanwhile (a float attribute is cheaper to
    add to than a list item; the sums, and their order, are the same).
    """

    __slots__ = (
        "busy",
        "busy_area",
        "busy_now",
        "capacity",
        "current",
        "end",
        "fast_until",
        "interval",
        "last",
        "n",
        "staffed_area",
        "staffed_now",
        "start",
    )

    def __init__(self, n_intervals: int, interval: float, warmup: float, end: float) -> None:
        self.n = n_intervals
        self.end = end
        self.interval = interval
        self.start = warmup
        self.busy = 0
        self.capacity = 0
        self.last = 0.0
        self.busy_area = [0.0] * n_intervals
        self.staffed_area = [0.0] * n_intervals
        self.current = 0
        self.fast_until = -math.inf
        self.busy_now = self.staffed_now = 0.0
        self._reach(0.0)

    def advance(self, now: float) -> None:
        """Account for the time since the last change, at the levels that held during it."""
        last = self.last
        if now <= last:
            return
        self.last = now
        if now < self.fast_until:
            # The general loop of _integrate, for last < now inside interval ``current``.
            busy = self.busy
            capacity = self.capacity
            self.busy_now += busy * (now - last)
            self.staffed_now += (busy if busy > capacity else capacity) * (now - last)
            return
        self.flush()
        self._integrate(last, now)
        self._reach(now)

    def flush(self) -> None:
        """Write the running sums of the current interval into ``busy_area``/``staffed_area``."""
        if self.fast_until != -math.inf:
            self.busy_area[self.current] = self.busy_now
            self.staffed_area[self.current] = self.staffed_now

    def _integrate(self, last: float, now: float) -> None:
        """Add the time from ``last`` to ``now`` to the bins it spans (the general case)."""
        if now <= self.start or last >= self.end:
            return
        if now > self.end:
            now = self.end
        t = last if last > self.start else self.start
        busy = self.busy
        staffed = busy if busy > self.capacity else self.capacity
        if busy == 0 and staffed == 0:
            return
        interval = self.interval
        i = int(t // interval)
        while t < now:
            if i >= self.n:
                return
            end = (i + 1) * interval
            if end > now:
                end = now
            self.busy_area[i] += busy * (end - t)
            self.staffed_area[i] += staffed * (end - t)
            t = end
            # The next interval. (Recomputing ``int(t // interval)`` gives the same, except for
            # an edge such as 3 * 0.7 that rounds below the exact product: there it gave the
            # same interval again and looped forever.)
            i += 1

    def _reach(self, last: float) -> None:
        """Set ``current``, ``fast_until`` and the running sums for a new time of last change.

        For ``last <= now < fast_until`` the general loop makes exactly one step, in interval
        ``current``: ``now`` is below the float ``(current + 1) * interval`` and so, being a
        float itself, below the exact product too, which puts it in the same interval as
        ``last``; and it is within the counted window, so neither the warm-up nor the horizon
        clips it.
        """
        if last < self.start or last >= self.end:
            self.fast_until = -math.inf
            return
        i = int(last // self.interval)
        if i >= self.n:
            self.fast_until = -math.inf
            return
        self.current = i
        self.busy_now = self.busy_area[i]
        self.staffed_now = self.staffed_area[i]
        # ``now <= end`` is ``now < nextafter(end)`` for floats.
        self.fast_until = min((i + 1) * self.interval, math.nextafter(self.end, math.inf))


@dataclass
class QueueLengths:
    """Longest queue seen per interval (by the time it was reached) for one skill queue."""

    n_intervals: int
    longest: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.longest = [0] * self.n_intervals
