"""What one replication counted, as one plain value: the input of every summary.

The engine counts while it runs, into cells whose number does not grow with the customers (one
queue :class:`~simulator.observe.metrics.Cell` per interval of arrival, channel and skill queue;
one :class:`~simulator.observe.journey.JourneyCell` per interval of first arrival; slot-time per
agent group and interval). At the end of a replication, ``World.counts()`` hands them over as a
:class:`RunCounts`, and the engine is done: the results document
(:func:`simulator.observe.results.replication_results`), the costs
(:mod:`simulator.observe.costs`) and the staffing search's per-group counters are computed from
it, away from the engine. It holds no reference to the engine and pickles like any dataclass,
so a worker process can send it back whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.observe.journey import BotStats, JourneyCell
from simulator.observe.metrics import Cell

#: A queue cell's key: (bin of arrival, channel index, skill queue index). The bin is
#: ``int(t // interval)`` over the whole run (see :class:`~simulator.scenario.schema.Horizon`).
CellKey = tuple[int, int, int]


@dataclass(slots=True)
class GroupCounts:
    """One agent group's slot-time per bin, and the heads scheduled at each reported interval's
    start.

    ``busy`` and ``staffed`` are slot-seconds (agents on the phones x concurrency) counted after
    the warm-up; staffed time is ``max(capacity, busy)``: an agent finishing a contact past the
    end of a shift still works.
    """

    name: str
    busy: list[float]
    staffed: list[float]
    heads: list[int]


@dataclass(slots=True)
class BacklogCounts:
    """An asynchronous channel's backlog: contacts waiting and the age of the oldest (seconds;
    NaN when none waits), when each day opens and closes and when the run stopped."""

    at_open: list[tuple[int, float]]
    at_close: list[tuple[int, float]]
    at_end: tuple[int, float]


@dataclass(slots=True)
class RunCounts:
    """Every count of one replication, indexed the way the scenario lists things.

    ``channels`` and ``queues`` name the indices of the cell keys (the scenario's channel and
    skill orders); ``groups`` follow the scenario's agent groups. ``cells`` merges, per key, the
    cells of every route that reached that queue from that channel; its order (routes first,
    then escalation and transfer routes, as the engine created them) is the order the results
    add them in, which keeps sums identical bit for bit.
    """

    replication: int
    seed: int
    channels: list[str]
    queues: list[str]
    cells: dict[CellKey, Cell]
    #: Most contacts waiting at once, per skill queue (by name) and interval.
    longest_queue: dict[str, list[int]]
    groups: list[GroupCounts]
    #: Journey outcomes by interval of first arrival (empty cells where nobody arrived).
    journeys: list[JourneyCell]
    bots: dict[str, BotStats]
    #: Context lost at a hand-off, by (kind, source, target).
    context_losses: dict[tuple[str, str, str], int]
    #: Channel switches by (from, to).
    switches: dict[tuple[str, str], int]
    callbacks_offered: int = 0
    callbacks_accepted: int = 0
    overflowed: int = 0
    #: Every customer generated, warm-up included.
    customers: int = 0
    #: Agent hours worked in declared overtime, by group name and day.
    overtime_hours: dict[str, list[float]] = field(default_factory=dict)
    #: Backlogs of the asynchronous channels, by name.
    backlog: dict[str, BacklogCounts] = field(default_factory=dict)

    @property
    def n_bins(self) -> int:
        """Counting bins: the horizon's intervals, nights included in a multi-day run."""
        return len(self.journeys)
