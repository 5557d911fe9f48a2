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
from collections.abc import Iterable
from typing import Any

from simulator.observe.costs import run_costs
from simulator.observe.counts import CellKey, GroupCounts, RunCounts
from simulator.observe.journey import JourneyCell
from simulator.observe.metrics import Cell, merged
from simulator.observe.pain import pain_points
from simulator.observe.scopes import WAIT_SUM, Tables, interval_tables, period_scopes
from simulator.scenario.schema import Horizon, Scenario


def replication_results(counts: RunCounts, scenario: Scenario) -> dict[str, Any]:
    """This replication's KPIs: overall, by kind of channel, by channel, by skill queue, by
    group, by interval (each with every scope; for several days by day and by interval of the
    day too), backlogs, journeys and costs.

    ``scenario`` supplies the facts the counts do not hold: the counted window, the interval
    grid, the channels' kinds and the prices. The scopes are computed by
    :mod:`simulator.observe.scopes` (no blended absolute waits: see there).
    """
    horizon = scenario.horizon
    counts = by_reported_interval(counts, horizon)
    tables = interval_tables(counts, scenario)
    result: dict[str, Any] = _whole_run(tables, counts, scenario)
    by_interval = period_scopes(tables, heads=True)
    result["by_interval"] = by_interval
    journeys = JourneyCell()
    for i, row in enumerate(counts.journeys):
        journeys.merge(row)
        by_interval[i]["journey"] = row.kpis()
    if horizon.days > 1:
        result["by_day"] = _by_day(tables, counts, scenario)
        result["by_interval_of_day"] = _by_interval_of_day(tables, counts, horizon)
    if counts.backlog:
        result["backlog"] = _backlogs(counts, result["by_channel"])
    result["journey"] = journeys.kpis()
    result["journey"]["pain_points"] = pain_points(
        counts.pain,
        journeys.customers,
        {
            "by_channel": counts.channels,
            "by_segment": [segment.name for segment in scenario.segments],
            "by_intent": [intent.name for intent in scenario.intents],
        },
    )
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


def _whole_run(tables: Tables, counts: RunCounts, scenario: Scenario) -> dict[str, Any]:
    """Every scope over the whole run, with the time-average queues and the overtime worked."""
    horizon = scenario.horizon
    window = max(horizon.end - horizon.warmup, 1e-9)
    whole = period_scopes(tables.pooled([range(tables.periods)]))[0]
    whole["overall"]["mean_queue"] = float(tables.channel_counts[..., WAIT_SUM].sum()) / window
    waits = tables.queue_counts[..., WAIT_SUM].sum(axis=0).tolist()
    for name, wait_sum in zip(tables.queues, waits, strict=True):
        whole["by_queue"][name]["mean_queue"] = wait_sum / window
    for name, figures in whole["by_group"].items():
        if scenario.agents[name].overtime > 0:
            figures["overtime_hours"] = sum(counts.overtime_hours.get(name, []))
    return whole


def _by_day(tables: Tables, counts: RunCounts, scenario: Scenario) -> list[dict[str, Any]]:
    """Every scope of each day (its intervals; a night counts with the next morning), its
    journeys, and the overtime worked after it closed."""
    horizon = scenario.horizon
    per_day = horizon.intervals_per_day
    days = [range(day * per_day, (day + 1) * per_day) for day in range(horizon.days)]
    rows = []
    pooled = period_scopes(tables.pooled(days))
    for day, (intervals, scopes) in enumerate(zip(days, pooled, strict=True)):
        for name, figures in scopes["by_group"].items():
            if scenario.agents[name].overtime > 0:
                figures["overtime_hours"] = counts.overtime_hours[name][day]
        row = {"day": horizon.day_label(day), **scopes}
        row["journey"] = _journeys(counts, intervals)
        row["overtime_hours"] = sum(hours[day] for hours in counts.overtime_hours.values())
        rows.append(row)
    return rows


def _by_interval_of_day(
    tables: Tables, counts: RunCounts, horizon: Horizon
) -> list[dict[str, Any]]:
    """Each interval of the day, its counts pooled over the days (rates pooled, not averaged)."""
    per_day = horizon.intervals_per_day
    single_day = dataclasses.replace(horizon, days=1)
    pools = [[day * per_day + k for day in range(horizon.days)] for k in range(per_day)]
    pooled = period_scopes(tables.pooled(pools))
    return [
        {"interval": single_day.label(k), **scopes, "journey": _journeys(counts, pool)}
        for k, (pool, scopes) in enumerate(zip(pools, pooled, strict=True))
    ]


def _journeys(counts: RunCounts, intervals: Iterable[int]) -> dict[str, object]:
    """The journey KPIs of the customers who first arrived in ``intervals``."""
    journeys = JourneyCell()
    for i in intervals:
        journeys.merge(counts.journeys[i])
    return journeys.kpis()


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
