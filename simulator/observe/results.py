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

import dataclasses
import math
from typing import Any

from simulator.observe.costs import run_costs
from simulator.observe.counts import CellKey, GroupCounts, RunCounts
from simulator.observe.journey import JourneyCell
from simulator.observe.metrics import Cell, merged, queue_kpis
from simulator.scenario.schema import Horizon, Scenario


def replication_results(counts: RunCounts, scenario: Scenario) -> dict[str, Any]:
    """This replication's KPIs: overall, by channel, by skill queue, by group, by interval (and
    for several days by day and by interval of the day), backlogs, journeys and costs.

    ``scenario`` supplies the facts the counts do not hold: the counted window, the interval
    grid and the prices.
    """
    horizon = scenario.horizon
    window = max(horizon.end - horizon.warmup, 1e-9)
    counts = by_reported_interval(counts, horizon)
    cells = counts.cells
    result: dict[str, Any] = {"overall": _overall(counts, window)}
    result["by_channel"] = {
        name: queue_kpis(merged(c for k, c in cells.items() if k[1] == index))
        for index, name in enumerate(counts.channels)
    }
    result["by_queue"] = _by_queue(counts, window)
    result["by_group"] = {
        g.name: _group_kpis(g, counts.overtime_hours, scenario.agents[g.name].overtime > 0)
        for g in counts.groups
    }
    by_interval = _by_interval(counts)
    result["by_interval"] = by_interval
    journeys = JourneyCell()
    for i, row in enumerate(counts.journeys):
        journeys.merge(row)
        by_interval[i]["journey"] = row.kpis()
    if horizon.days > 1:
        result["by_day"] = _by_day(counts, horizon)
        result["by_interval_of_day"] = _by_interval_of_day(counts, horizon)
    if counts.backlog:
        result["backlog"] = _backlogs(counts, result["by_channel"])
    result["journey"] = journeys.kpis()
    bot_sessions = sum(stats.sessions for stats in counts.bots.values())
    result["costs"] = run_costs(
        scenario.costs,
        scenario.agents.values(),
        horizon.end,
        bot_sessions,
        journeys,
        horizon.days,
        {name: sum(hours) for name, hours in counts.overtime_hours.items()},
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


def by_reported_interval(counts: RunCounts, horizon: Horizon) -> RunCounts:
    """The counts with bins folded into reported intervals: a night bin counts in the next
    opening (after the last day: in the last interval), so every per-interval sum adds up to
    the totals. Agent time in night bins (a contact finished after closing, overtime) is left
    out of the intervals' occupancy: overtime has its own count. A single day's bins are its
    intervals: returned as they are."""
    if counts.n_bins == horizon.n_intervals:
        return counts
    fold = [horizon.open_interval(b) for b in range(counts.n_bins)]
    open_bins = [i if _is_open(b, horizon) else -1 for b, i in enumerate(fold)]
    grouped: dict[CellKey, list[Cell]] = {}
    for (b, channel, queue), cell in counts.cells.items():
        grouped.setdefault((fold[b], channel, queue), []).append(cell)
    journeys = [JourneyCell() for _ in range(horizon.n_intervals)]
    for b, row in enumerate(counts.journeys):
        journeys[fold[b]].merge(row)
    longest: dict[str, list[int]] = {}
    for name, per_bin in counts.longest_queue.items():
        folded = [0] * horizon.n_intervals
        for b, length in enumerate(per_bin):
            folded[fold[b]] = max(folded[fold[b]], length)
        longest[name] = folded
    groups = [
        GroupCounts(
            g.name,
            _open_sum(g.busy, open_bins, horizon.n_intervals),
            _open_sum(g.staffed, open_bins, horizon.n_intervals),
            g.heads,
        )
        for g in counts.groups
    ]
    return dataclasses.replace(
        counts,
        cells={key: c[0] if len(c) == 1 else merged(c) for key, c in grouped.items()},
        longest_queue=longest,
        groups=groups,
        journeys=journeys,
    )


def _is_open(bin_index: int, horizon: Horizon) -> bool:
    return bin_index % horizon.bins_per_day < horizon.intervals_per_day


def _open_sum(per_bin: list[float], open_bins: list[int], n: int) -> list[float]:
    out = [0.0] * n
    for b, value in enumerate(per_bin):
        if open_bins[b] >= 0:
            out[open_bins[b]] += value
    return out


def _group_kpis(
    group: GroupCounts, overtime_hours: dict[str, list[float]], overtime: bool
) -> dict[str, Any]:
    """Occupancy and slot-hours of a group, and its overtime hours when it may work some."""
    kpis: dict[str, Any] = {
        "occupancy": sum(group.busy) / sum(group.staffed) if sum(group.staffed) else math.nan,
        "staffed_slot_hours": sum(group.staffed) / 3600.0,
        "busy_slot_hours": sum(group.busy) / 3600.0,
    }
    if overtime:
        kpis["overtime_hours"] = sum(overtime_hours.get(group.name, []))
    return kpis


def _rows(counts: RunCounts, intervals: list[int]) -> dict[str, Any]:
    """Queue KPIs, occupancy, longest queue and journeys of a set of reported intervals."""
    chosen = set(intervals)
    kpis: dict[str, Any] = queue_kpis(merged(c for k, c in counts.cells.items() if k[0] in chosen))
    busy = sum(g.busy[i] for g in counts.groups for i in intervals)
    staffed = sum(g.staffed[i] for g in counts.groups for i in intervals)
    kpis["occupancy"] = busy / staffed if staffed else math.nan
    kpis["longest_queue"] = float(
        max((longest[i] for longest in counts.longest_queue.values() for i in intervals), default=0)
    )
    journeys = JourneyCell()
    for i in intervals:
        journeys.merge(counts.journeys[i])
    kpis["journey"] = journeys.kpis()
    return kpis


def _by_day(counts: RunCounts, horizon: Horizon) -> list[dict[str, Any]]:
    """Every KPI of each day (its intervals; a night counts with the next morning), overall and
    by channel, and the overtime worked after it closed."""
    per_day = horizon.intervals_per_day
    rows = []
    for day in range(horizon.days):
        intervals = range(day * per_day, (day + 1) * per_day)
        row = {"day": horizon.day_label(day), **_rows(counts, [*intervals])}
        row["by_channel"] = {
            name: queue_kpis(
                merged(c for k, c in counts.cells.items() if k[1] == index and k[0] in intervals)
            )
            for index, name in enumerate(counts.channels)
        }
        row["overtime_hours"] = sum(hours[day] for hours in counts.overtime_hours.values())
        rows.append(row)
    return rows


def _by_interval_of_day(counts: RunCounts, horizon: Horizon) -> list[dict[str, Any]]:
    """Each interval of the day, its cells merged over the days (rates pooled, not averaged)."""
    per_day = horizon.intervals_per_day
    single_day = dataclasses.replace(horizon, days=1)
    return [
        {
            "interval": single_day.label(k),
            **_rows(counts, [day * per_day + k for day in range(horizon.days)]),
        }
        for k in range(per_day)
    ]


def _backlogs(counts: RunCounts, by_channel: dict[str, Any]) -> dict[str, Any]:
    """Each asynchronous channel's backlog: when days open and close, and when the run ends."""
    out: dict[str, Any] = {}
    for name, backlog in counts.backlog.items():
        out[name] = {
            "at_end": float(backlog.at_end[0]),
            "oldest_at_end_s": backlog.at_end[1],
            "share_within_promise": by_channel[name]["service_level"],
            "by_day": [
                {
                    "at_open": float(opened[0]),
                    "at_close": float(closed[0]),
                    "oldest_at_close_s": closed[1],
                }
                for opened, closed in zip(backlog.at_open, backlog.at_close, strict=True)
            ],
        }
    return out


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
    for i in range(counts.n_bins):
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
