"""Queue and team figures for every scope, for the whole run and for every period of it.

A *scope* is what a figure is about: the whole center (``overall``), each kind of channel
(``by_kind``: synchronous, asynchronous), each channel, each skill queue and each agent group. A
*period* is a set of reported intervals: each interval, each day, each interval of the day
pooled over the days, the whole run. Every scope has its figures for every period, so a planner
can read voice at 10:30 on Tuesday as easily as the day's total.

**No blended absolute waits.** A voice promise is counted in seconds and an e-mail promise in
hours: the mean of a voice wait and an e-mail wait describes no contact. So a scope that mixes
kinds of channel carries counts, rates and figures *relative to each contact's own promise*
(``service_level``: answered within the contact's channel threshold / offered;
``within_promise``: the same over answered contacts) and no ASA, mean wait or wait percentile.
``overall`` never has absolute waits; ``by_kind`` and ``by_channel`` always have them; a skill
queue has them when every channel that can reach it is of one kind (:func:`queue_kinds`, read
off the scenario's routing, so the answer is the same in every replication). docs/reference.md
states the same rule.

The counts are laid out once as arrays with the period first (:class:`Tables`): cells of
``(interval, channel, queue)`` added into channel and queue rows, wait histograms only where
waits are shown. Days, intervals of the day and the whole run are sums over the interval axis;
kinds and the overall are sums over channels. Ratios and percentiles are then computed for all
rows at once with numpy, with the same arithmetic as :func:`simulator.observe.metrics.queue_kpis`
and :func:`simulator.observe.histogram.quantile`: one run's figures for every scope and
interval cost a few milliseconds (benchmarks/bench_engine.py).
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.observe import histogram
from simulator.observe.counts import RunCounts
from simulator.scenario.schema import ASYNCHRONOUS, SYNCHRONOUS, Scenario

#: What a queue cell counts, in the order of the arrays' last axis.
FIELDS = (
    "offered",
    "answered",
    "abandoned",
    "blocked",
    "closed",
    "immediate",
    "answered_in_sl",
    "wait_sum",
    "answered_wait_sum",
)
(
    OFFERED,
    ANSWERED,
    ABANDONED,
    BLOCKED,
    CLOSED,
    IMMEDIATE,
    IN_SL,
    WAIT_SUM,
    ANSWERED_WAIT_SUM,
) = range(len(FIELDS))

#: Absolute wait figures: only for scopes whose contacts are all of one kind of channel.
WAIT_KPIS = ("mean_wait_s", "asa_s", "wait_p50_s", "wait_p90_s", "wait_p95_s")
#: Percentiles of the waits, by KPI.
PERCENTILES = (("wait_p50_s", 0.50), ("wait_p90_s", 0.90), ("wait_p95_s", 0.95))
#: The scope keys of a period, in the results document's order.
SCOPES = ("overall", "by_kind", "by_channel", "by_queue", "by_group")
KINDS = (SYNCHRONOUS, ASYNCHRONOUS)

_EDGES = [histogram.bin_edges(b) for b in range(histogram.N_BINS)]
#: Bin edges as computed by :func:`histogram.bin_edges` (the same floats, looked up).
_LOW = np.array([low for low, _ in _EDGES])
_HIGH = np.array([high for _, high in _EDGES])


@dataclass
class Tables:
    """One replication's counts by period (first axis) and scope, as arrays.

    ``channel_counts`` is ``(periods, channels, FIELDS)``, ``queue_counts`` ``(periods, queues,
    FIELDS)``; ``channel_waits`` and ``queue_waits`` hold wait histograms (``(periods, n,
    bins)``), the latter for ``waited_queues`` only, reduced to the histogram bins some wait of
    the run fell in (``bins``: their indices, increasing; an empty bin changes no percentile,
    and a run's waits fill a few hundred of the 1,280). Per group and period:
    ``served`` contacts answered and ``handled`` their handle seconds (by interval of arrival,
    like every queue count), ``busy`` and ``staffed`` slot-seconds, ``heads`` scheduled at the
    interval's start (meaningful for single intervals only). ``longest`` is the most contacts
    waiting at once per queue.
    """

    channels: list[str]
    kinds: dict[str, list[int]]
    queues: list[str]
    waited_queues: list[int]
    groups: list[str]
    bins: np.ndarray
    channel_counts: np.ndarray
    queue_counts: np.ndarray
    channel_waits: np.ndarray
    queue_waits: np.ndarray
    served: np.ndarray
    handled: np.ndarray
    busy: np.ndarray
    staffed: np.ndarray
    heads: np.ndarray
    longest: np.ndarray

    @property
    def periods(self) -> int:
        return int(self.channel_counts.shape[0])

    def pooled(self, groups_of_intervals: Sequence[Sequence[int]]) -> Tables:
        """Tables whose periods are the given sets of intervals, counts added (longest: max)."""
        index = [list(g) for g in groups_of_intervals]

        def add(array: np.ndarray) -> np.ndarray:
            return np.stack([array[g].sum(axis=0) for g in index]) if index else array[:0]

        def highest(array: np.ndarray) -> np.ndarray:
            return np.stack([array[g].max(axis=0, initial=0) for g in index])

        return dataclasses.replace(
            self,
            channel_counts=add(self.channel_counts),
            queue_counts=add(self.queue_counts),
            channel_waits=add(self.channel_waits),
            queue_waits=add(self.queue_waits),
            served=add(self.served),
            handled=add(self.handled),
            busy=add(self.busy),
            staffed=add(self.staffed),
            heads=add(self.heads),
            longest=highest(self.longest),
        )


def queue_kinds(scenario: Scenario) -> dict[str, set[str]]:
    """The kinds of channel whose contacts can reach each skill queue.

    A routing rule sends the channels it matches (every channel of the scenario when it names
    none) to its queue, to its
    bot's escalation queue and to its overflow queue; a transfer keeps the contact's channel, so
    a queue that a group transfers to gets the kinds of every queue the group serves. It may
    over-count (a rule shadowed by an earlier one), never under-count: a queue said to hold one
    kind does.
    """
    kinds = {name: channel.kind for name, channel in scenario.channels.items()}
    reach: dict[str, set[str]] = {}
    for rule in scenario.routing:
        matched = {kinds[c] for c in (rule.channels if rule.channels is not None else kinds)}
        targets = [rule.to] if rule.to and rule.to not in scenario.bots else []
        if rule.to in scenario.bots and scenario.bots[rule.to].escalation.to:
            targets.append(scenario.bots[rule.to].escalation.to)  # type: ignore[arg-type]
        if rule.overflow is not None:
            targets.append(rule.overflow.to)
        for target in targets:
            reach.setdefault(target, set()).update(matched)
    changed = True
    while changed:  # transfers carry the kinds of the queues a group serves; until stable
        changed = False
        for group in scenario.agents.values():
            served = set().union(*(reach.get(skill, set()) for skill in group.skills))
            for transfer in group.transfers.values():
                before = len(reach.setdefault(transfer.to, set()))
                reach[transfer.to] |= served
                changed |= len(reach[transfer.to]) != before
    return reach


def interval_tables(counts: RunCounts, scenario: Scenario) -> Tables:
    """The counts of a run folded into reported intervals, by interval and scope.

    ``counts`` must be folded already (:func:`simulator.observe.results.by_reported_interval`):
    its bins are the reported intervals.
    """
    n = counts.n_bins
    channels, queues = counts.channels, counts.queues
    kinds_of = {name: scenario.channels[name].kind for name in channels}
    kinds = {
        kind: [c for c, name in enumerate(channels) if kinds_of[name] == kind]
        for kind in KINDS
        if kind in kinds_of.values()
    }
    reach = queue_kinds(scenario)
    waited = [q for q, name in enumerate(queues) if len(reach.get(name, set())) <= 1]
    groups = [g.name for g in counts.groups]
    cells = list(counts.cells.values())
    where = np.array(list(counts.cells), dtype=np.intp).reshape(-1, 3)
    interval, channel, queue = where[:, 0], where[:, 1], where[:, 2]
    rows = np.array([[getattr(cell, name) for name in FIELDS] for cell in cells], dtype=float)
    rows = rows.reshape(len(cells), len(FIELDS))
    # np.add.at adds in the cells' order, as a loop over them would: the same float sums.
    channel_counts = np.zeros((n, len(channels), len(FIELDS)))
    np.add.at(channel_counts, (interval, channel), rows)
    queue_counts = np.zeros((n, len(queues), len(FIELDS)))
    np.add.at(queue_counts, (interval, queue), rows)
    bins, channel_waits, queue_waits = _wait_tables(
        cells, where, n, len(channels), len(queues), waited
    )
    served = np.zeros((n, len(groups)))
    handled = np.zeros((n, len(groups)))
    for k, cell in enumerate(cells):
        if cell.served:
            served[interval[k], : len(cell.served)] += cell.served
            handled[interval[k], : len(cell.handled)] += cell.handled
    return Tables(
        channels=list(channels),
        kinds=kinds,
        queues=list(queues),
        waited_queues=waited,
        groups=groups,
        bins=bins,
        channel_counts=channel_counts,
        queue_counts=queue_counts,
        channel_waits=channel_waits,
        queue_waits=queue_waits,
        served=served,
        handled=handled,
        busy=_per_group(counts, "busy", n),
        staffed=_per_group(counts, "staffed", n),
        heads=_per_group(counts, "heads", n),
        longest=np.array(
            [[counts.longest_queue[name][i] for name in queues] for i in range(n)], dtype=float
        ).reshape(n, len(queues)),
    )


def _wait_tables(
    cells: Sequence[Any],
    where: np.ndarray,
    n: int,
    n_channels: int,
    n_queues: int,
    waited: list[int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The histogram bins some wait of the run fell in, and the wait histograms over them by
    interval and channel ``(n, channels, bins)`` and by interval and one-kind queue
    ``(n, waited queues, bins)``; ``where`` is each cell's (interval, channel, queue)."""
    interval, channel, queue = where[:, 0], where[:, 1], where[:, 2]
    histograms, bins = _used_bins(cells)
    channel_waits = _add_rows(histograms, interval * n_channels + channel, n * n_channels)
    channel_waits = channel_waits.reshape(n, n_channels, len(bins))
    wait_row = np.full(n_queues, -1, dtype=np.intp)
    wait_row[waited] = np.arange(len(waited))
    keep = wait_row[queue] >= 0
    destination = interval[keep] * len(waited) + wait_row[queue[keep]]
    queue_waits = _add_rows(histograms[keep], destination, n * len(waited))
    return bins, channel_waits, queue_waits.reshape(n, len(waited), len(bins))


def _used_bins(cells: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
    """The cells' wait histograms as one ``(cells, bins)`` array, reduced to ``bins``: the
    histogram bins some wait of the run fell in (increasing). The engine's ``array('q')``
    histograms are joined in one copy, not one numpy call per cell."""
    waits = [cell.waits for cell in cells]
    if waits and all(isinstance(w, array) for w in waits):
        joined = np.frombuffer(b"".join(waits), dtype=np.int64)
    else:
        joined = np.array([histogram.as_numpy(w) for w in waits], dtype=np.int64)
    every_bin = joined.reshape(len(cells), histogram.N_BINS)
    bins = np.flatnonzero(every_bin.any(axis=0))
    return every_bin[:, bins], bins


def _add_rows(rows: np.ndarray, destination: np.ndarray, n: int) -> np.ndarray:
    """``out[d] = sum of rows[k] where destination[k] == d`` for integer counts (exact in any
    order): the rows sorted by destination, one cumulative sum, and the difference between the
    ends of consecutive runs; much faster than ``np.add.at`` or ``np.add.reduceat``."""
    out = np.zeros((n, rows.shape[1]), dtype=rows.dtype)
    if len(destination):
        order = np.argsort(destination, kind="stable")
        sorted_destination = destination[order]
        last = np.flatnonzero(np.r_[sorted_destination[1:] != sorted_destination[:-1], True])
        cumulative = np.cumsum(rows[order], axis=0)[last]
        cumulative[1:] -= cumulative[:-1].copy()
        out[sorted_destination[last]] = cumulative
    return out


def _per_group(counts: RunCounts, field: str, n: int) -> np.ndarray:
    """``(intervals, groups)`` of one per-interval list of every group."""
    columns = [getattr(g, field) for g in counts.groups]
    return np.array(columns, dtype=float).reshape(len(columns), n).T.copy()


# --------------------------------------------------------------------------------------------
# Figures


def period_scopes(tables: Tables, heads: bool = False) -> list[dict[str, Any]]:
    """Every period's figures: ``overall``, ``by_kind``, ``by_channel``, ``by_queue`` and
    ``by_group``. ``heads`` adds the scheduled heads (``agents`` overall, ``heads`` per group):
    for single intervals, where a head count means something."""
    channel_figures, kind_figures, queue_figures = _waited_figures(tables)
    overall = _queue_figures(tables.channel_counts.sum(axis=1, keepdims=True))
    group_figures = _group_figures(tables, heads)
    occupancy = _ratio(tables.busy.sum(axis=1), tables.staffed.sum(axis=1)).tolist()
    longest = tables.longest.max(axis=1, initial=0).tolist()
    longest_by_queue = tables.longest.tolist()
    agents = tables.heads.sum(axis=1).tolist()
    periods = []
    for p in range(tables.periods):
        whole = overall[p][0]
        whole["occupancy"] = occupancy[p]
        whole["longest_queue"] = longest[p]
        if heads:
            whole["agents"] = agents[p]
        by_queue = dict(zip(tables.queues, queue_figures[p], strict=True))
        for name, figures in zip(tables.queues, longest_by_queue[p], strict=True):
            by_queue[name]["longest_queue"] = figures
        periods.append(
            {
                "overall": whole,
                "by_kind": dict(zip(tables.kinds, kind_figures[p], strict=True)),
                "by_channel": dict(zip(tables.channels, channel_figures[p], strict=True)),
                "by_queue": by_queue,
                "by_group": dict(zip(tables.groups, group_figures[p], strict=True)),
            }
        )
    return periods


def _waited_figures(
    tables: Tables,
) -> tuple[list[list[dict[str, float]]], list[list[dict[str, float]]], list[list[dict]]]:
    """The figures of the channels, the kinds and the skill queues, by period: the rows with
    absolute waits (channels, kinds, queues of one kind) computed in one pass, side by side,
    the queues that mix kinds without waits."""
    kinds = list(tables.kinds.values())
    kind_counts = [tables.channel_counts[:, idx].sum(axis=1, keepdims=True) for idx in kinds]
    kind_waits = [tables.channel_waits[:, idx].sum(axis=1, keepdims=True) for idx in kinds]
    waited = tables.waited_queues
    counts = np.concatenate(
        [tables.channel_counts, *kind_counts, tables.queue_counts[:, waited]], axis=1
    )
    waits = np.concatenate([tables.channel_waits, *kind_waits, tables.queue_waits], axis=1)
    figures = _queue_figures(counts, waits, tables.bins)
    n_channels = len(tables.channels)
    first_queue = n_channels + len(kinds)
    mixed = [q for q in range(len(tables.queues)) if q not in set(waited)]
    without = _queue_figures(tables.queue_counts[:, mixed]) if mixed else None
    position = {q: first_queue + k for k, q in enumerate(waited)}
    unwaited = {q: k for k, q in enumerate(mixed)}
    queues = [
        [
            row[position[q]] if q in position else without[p][unwaited[q]]  # type: ignore[index]
            for q in range(len(tables.queues))
        ]
        for p, row in enumerate(figures)
    ]
    channels = [row[:n_channels] for row in figures]
    return channels, [row[n_channels:first_queue] for row in figures], queues


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator``, NaN where the denominator is 0 (as ``metrics._ratio``)."""
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _queue_figures(
    counts: np.ndarray, waits: np.ndarray | None = None, bins: np.ndarray | None = None
) -> list[list[dict[str, float]]]:
    """Queue KPIs of every row of ``counts`` (``(periods, rows, FIELDS)``), absolute waits
    only with ``waits`` (the rows' histograms over the histogram bins ``bins``); the
    definitions of :func:`metrics.queue_kpis`."""
    f = counts
    offered, answered = f[..., OFFERED], f[..., ANSWERED]
    columns: dict[str, np.ndarray] = {
        "offered": offered,
        "answered": answered,
        "abandoned": f[..., ABANDONED],
        "blocked": f[..., BLOCKED],
        "closed": f[..., CLOSED],
        "in_system": offered - answered - f[..., ABANDONED] - f[..., BLOCKED] - f[..., CLOSED],
        "abandon_rate": _ratio(f[..., ABANDONED], offered),
        "blocked_rate": _ratio(f[..., BLOCKED], offered),
        "closed_rate": _ratio(f[..., CLOSED], offered),
        "immediate_rate": _ratio(f[..., IMMEDIATE], offered),
        "service_level": _ratio(f[..., IN_SL], offered),
        "within_promise": _ratio(f[..., IN_SL], answered),
    }
    if waits is not None:
        columns["mean_wait_s"] = _ratio(f[..., WAIT_SUM], answered + f[..., ABANDONED])
        columns["asa_s"] = _ratio(f[..., ANSWERED_WAIT_SUM], answered)
        quantiles = wait_quantiles(waits, [q for _, q in PERCENTILES], bins)
        columns.update(zip((name for name, _ in PERCENTILES), quantiles, strict=True))
    return _rows(columns, counts.shape[:2])


def _group_figures(tables: Tables, heads: bool) -> list[list[dict[str, float]]]:
    """Each group's occupancy, slot hours, answered contacts and mean handle time."""
    columns = {
        "occupancy": _ratio(tables.busy, tables.staffed),
        "staffed_slot_hours": tables.staffed / 3600.0,
        "busy_slot_hours": tables.busy / 3600.0,
        "answered": tables.served,
        "mean_handle_time_s": _ratio(tables.handled, tables.served),
    }
    if heads:
        columns["heads"] = tables.heads
    return _rows(columns, tables.busy.shape)


def _rows(
    columns: Mapping[str, np.ndarray], shape: tuple[int, ...]
) -> list[list[dict[str, float]]]:
    """``[period][row] -> {kpi: value}`` from one array per KPI, as plain Python floats."""
    periods, rows = shape
    keys = list(columns)
    flat = [columns[k].reshape(-1).tolist() for k in keys]
    records = [dict(zip(keys, values, strict=True)) for values in zip(*flat, strict=True)]
    return [records[p * rows : (p + 1) * rows] for p in range(periods)]


def wait_quantiles(
    waits: np.ndarray, qs: Sequence[float], bins: np.ndarray | None = None
) -> list[np.ndarray]:
    """The ``q``-quantile of every histogram in ``waits`` (last axis: the histogram bins
    ``bins``, default all of them) for each of ``qs``, NaN where a histogram is empty.

    Row by row the same numbers as :func:`simulator.observe.histogram.quantile` (the same
    ranks, bins and interpolation, in the same order of operations), for all rows at once: one
    cumulative sum over the bins that hold waits, and one search over all rows laid end to end
    (each row's counts offset by the totals of the rows before it, so the cumulative count
    stays sorted).
    """
    shape = waits.shape[:-1]
    if waits.size == 0:  # no rows, or no bin at all
        return [np.full(shape, np.nan) for _ in qs]
    counts = waits.reshape(-1, waits.shape[-1])
    n_bins = counts.shape[1]
    # The bins that hold waits, row after row (np.nonzero goes in that order), their counts,
    # and one cumulative count over all rows laid end to end: the dense cumulative sum, read
    # only where it grows (a run fills a few thousand of its rows x bins).
    row_of, bin_of = np.nonzero(counts)
    if not len(row_of):  # no wait at all in the run
        return [np.full(shape, np.nan) for _ in qs]
    bins = np.arange(n_bins) if bins is None else bins
    held = counts[row_of, bin_of]
    cumulative = np.cumsum(held)
    total = counts.sum(axis=1)
    offsets = np.concatenate(([0], np.cumsum(total)[:-1]))
    last = len(held) - 1
    out = []
    for q in qs:
        rank = q * total
        # The first bin whose cumulative count reaches the rank (numpy.searchsorted,
        # side="left"), for all rows at once: a bin that holds waits, since the count grows only
        # there; rank + offset is exact (integers below 2**53).
        found = np.minimum(np.searchsorted(cumulative, rank + offsets, side="left"), last)
        count = held[found]
        seen = cumulative[found] - offsets - count
        wait_bin = bins[bin_of[found]]
        low, high = _LOW[wait_bin], _HIGH[wait_bin]
        with np.errstate(divide="ignore", invalid="ignore"):
            inside = low + (high - low) * np.maximum(0.0, rank - seen) / count
        first = np.where(rank <= count, 0.0, high)  # bin 0: the waits of zero, answered at once
        value = np.where(wait_bin == 0, first, inside)
        out.append(np.where(total > 0, value, np.nan).reshape(shape))
    return out
