"""One replication's results dictionary, computed from what it counted.

:func:`replication_results` turns a :class:`~simulator.observe.counts.RunCounts` into the nested
KPI dictionary that the experiment summarises across replications and the results document
shows: overall, by channel, by skill queue, by agent group, by interval, journeys, costs, bots,
routing, context losses and channel switches. Definitions are in
:mod:`simulator.observe.metrics` (queues) and :mod:`simulator.observe.journey` (journeys).

The order of every addition is the engine's former order, so the numbers are the same bit for
bit (tests/observe/test_results.py checks a run with bots, transfers and retrials against a
frozen copy of the old code).
"""

from __future__ import annotations

import math
from typing import Any

from simulator.observe.costs import run_costs
from simulator.observe.counts import RunCounts
from simulator.observe.journey import JourneyCell
from simulator.observe.metrics import Cell, merged, queue_kpis
from simulator.scenario.schema import Scenario


def replication_results(counts: RunCounts, scenario: Scenario) -> dict[str, Any]:
    """This replication's KPIs: overall, by channel, by skill queue, by group, by interval.

    ``scenario`` supplies the facts the counts do not hold: the counted window, the interval
    length and the prices.
    """
    horizon = scenario.horizon
    window = max(horizon.duration - horizon.warmup, 1e-9)
    cells = counts.cells
    result: dict[str, Any] = {"overall": _overall(counts, window)}
    result["by_channel"] = {
        name: queue_kpis(merged(c for k, c in cells.items() if k[1] == index))
        for index, name in enumerate(counts.channels)
    }
    result["by_queue"] = _by_queue(counts, window)
    result["by_group"] = {
        g.name: {
            "occupancy": sum(g.busy) / sum(g.staffed) if sum(g.staffed) else math.nan,
            "staffed_slot_hours": sum(g.staffed) / 3600.0,
            "busy_slot_hours": sum(g.busy) / 3600.0,
        }
        for g in counts.groups
    }
    by_interval = _by_interval(counts)
    result["by_interval"] = by_interval
    journeys = JourneyCell()
    for i, row in enumerate(counts.journeys):
        journeys.merge(row)
        by_interval[i]["journey"] = row.kpis()
    result["journey"] = journeys.kpis()
    bot_sessions = sum(stats.sessions for stats in counts.bots.values())
    result["costs"] = run_costs(
        scenario.costs, scenario.agents.values(), horizon.duration, bot_sessions, journeys
    )
    result["simulated"] = {"customers": float(counts.customers)}
    result["bots"] = {name: stats.kpis() for name, stats in counts.bots.items()}
    result["routing"] = {
        "callbacks_offered": float(counts.callbacks_offered),
        "callbacks_accepted": float(counts.callbacks_accepted),
        "overflowed": float(counts.overflowed),
    }
    result["context_losses"] = {
        f"{kind}:{source}->{target}": float(n)
        for (kind, source, target), n in sorted(counts.context_losses.items())
    }
    result["switches"] = {
        f"{source}->{target}": float(n) for (source, target), n in sorted(counts.switches.items())
    }
    return result


def _overall(counts: RunCounts, window: float) -> dict[str, float]:
    overall = merged(counts.cells.values())
    busy = sum(sum(g.busy) for g in counts.groups)
    staffed = sum(sum(g.staffed) for g in counts.groups)
    kpis = queue_kpis(overall)
    kpis["occupancy"] = busy / staffed if staffed else math.nan
    kpis["longest_queue"] = float(
        max((max(longest) for longest in counts.longest_queue.values()), default=0)
    )
    kpis["mean_queue"] = overall.wait_sum / window
    return kpis


def _by_queue(counts: RunCounts, window: float) -> dict[str, dict[str, float]]:
    by_queue = {}
    for index, name in enumerate(counts.queues):
        cell: Cell = merged(c for k, c in counts.cells.items() if k[2] == index)
        kpis = queue_kpis(cell)
        kpis["longest_queue"] = float(max(counts.longest_queue[name]))
        kpis["mean_queue"] = cell.wait_sum / window
        by_queue[name] = kpis
    return by_queue


def _by_interval(counts: RunCounts) -> list[dict[str, Any]]:
    """Queue KPIs, occupancy, longest queue and scheduled heads of every interval."""
    by_interval: list[dict[str, Any]] = []
    cells = counts.cells
    for i in range(counts.n_intervals):
        kpis: dict[str, Any] = queue_kpis(merged(c for k, c in cells.items() if k[0] == i))
        busy = sum(g.busy[i] for g in counts.groups)
        staffed = sum(g.staffed[i] for g in counts.groups)
        kpis["occupancy"] = busy / staffed if staffed else math.nan
        kpis["longest_queue"] = float(
            max((longest[i] for longest in counts.longest_queue.values()), default=0)
        )
        kpis["agents"] = float(sum(g.heads[i] for g in counts.groups))
        by_interval.append(kpis)
    return by_interval
