"""Whole-day replications for a staffing search, reduced to what the search reads.

The results document (:func:`simulator.observe.results.replication_results`) has per-interval
KPIs for the whole center and per-queue KPIs for the whole day, but a staffing search needs each
*group's* queues *per interval*. The engine counts exactly that while it runs: one counting cell
per (interval of arrival, channel, skill queue), and busy and staffed slot-time per group and
interval (:class:`~simulator.observe.counts.RunCounts`). :func:`run_day` runs one replication
through the experiment and reduces those counts to plain lists (cheap to send back from a worker
process), plus the journey KPIs of the customers who arrived in each interval. It is a
module-level function so process pools and Dask can pickle it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from simulator.experiment.replication import replication_counts
from simulator.experiment.stats import Estimate, estimate
from simulator.observe.results import by_reported_interval
from simulator.scenario.schema import Scenario

#: Counters kept per (queue, interval).
QUEUE_COUNTS = ("offered", "answered", "abandoned", "in_sl", "wait_sum", "answered_wait_sum")


def run_day(scenario: Scenario, replication: int, seed: int) -> dict[str, Any]:
    """One replication of the whole horizon: per-queue and per-group counters by interval.

    ``cpu_s`` is the processor time the replication took in its worker, so a benchmark on a
    shared machine can tell the work done from the wall-clock time it waited for a core.
    """
    cpu = time.process_time()
    counts = by_reported_interval(replication_counts(scenario, replication, seed), scenario.horizon)
    n = counts.n_bins
    queues = {name: {key: [0.0] * n for key in QUEUE_COUNTS} for name in counts.queues}
    for (i, _channel, q), cell in counts.cells.items():
        row = queues[counts.queues[q]]
        row["offered"][i] += cell.offered
        row["answered"][i] += cell.answered
        row["abandoned"][i] += cell.abandoned
        row["in_sl"][i] += cell.answered_in_sl
        row["wait_sum"][i] += cell.wait_sum
        row["answered_wait_sum"][i] += cell.answered_wait_sum
    groups = {g.name: {"busy": g.busy, "staffed": g.staffed} for g in counts.groups}
    journey = [cell.kpis() for cell in counts.journeys]
    return {
        "queues": queues,
        "groups": groups,
        "journey": journey,
        "customers": counts.customers,
        "cpu_s": time.process_time() - cpu,
    }


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def group_kpis(rep: dict[str, Any], group: str, queues: Sequence[str], i: int) -> dict[str, float]:
    """One replication's queue KPIs of a group's queues (merged) in interval ``i``.

    Contacts are counted in the interval they arrived in, whoever answered them, exactly as the
    engine's ``by_queue`` and ``by_interval`` KPIs count them; occupancy is the group's own.
    """
    sums = dict.fromkeys(QUEUE_COUNTS, 0.0)
    for queue in queues:
        row = rep["queues"].get(queue)
        if row is not None:
            for key in QUEUE_COUNTS:
                sums[key] += row[key][i]
    queued = sums["answered"] + sums["abandoned"]
    g = rep["groups"][group]
    # Contacts offered to a group with no agent at all overload it without limit: an occupancy
    # cap must not read "undefined" (met) there, or zero agents would satisfy it.
    occupancy = _ratio(g["busy"][i], g["staffed"][i])
    if math.isnan(occupancy) and sums["offered"] > 0:
        occupancy = math.inf
    return {
        "offered": sums["offered"],
        "service_level": _ratio(sums["in_sl"], sums["offered"]),
        "abandon_rate": _ratio(sums["abandoned"], sums["offered"]),
        "asa_s": _ratio(sums["answered_wait_sum"], sums["answered"]),
        "mean_wait_s": _ratio(sums["wait_sum"], queued),
        "occupancy": occupancy,
    }


def day_kpis(
    rep: dict[str, Any], group: str, queues: Sequence[str], intervals: Sequence[int]
) -> dict[str, float]:
    """One replication's queue KPIs of a group's queues over several intervals (a day):
    the counts summed, then the ratios, as :func:`group_kpis` does for one interval."""
    sums = dict.fromkeys(QUEUE_COUNTS, 0.0)
    for queue in queues:
        row = rep["queues"].get(queue)
        if row is not None:
            for key in QUEUE_COUNTS:
                sums[key] += sum(row[key][i] for i in intervals)
    g = rep["groups"][group]
    busy, staffed = sum(g["busy"][i] for i in intervals), sum(g["staffed"][i] for i in intervals)
    return {
        "offered": sums["offered"],
        "service_level": _ratio(sums["in_sl"], sums["offered"]),
        "abandon_rate": _ratio(sums["abandoned"], sums["offered"]),
        "asa_s": _ratio(sums["answered_wait_sum"], sums["answered"]),
        "occupancy": _ratio(busy, staffed),
    }


def journey_value(rep: dict[str, Any], i: int, path: Sequence[str]) -> float:
    """A journey KPI of the customers who arrived in interval ``i`` (NaN when undefined)."""
    node: Any = rep["journey"][i]
    for key in path:
        node = node[key]
    return float(node)


@dataclass
class DayResult:
    """The replications of one candidate staffing, with estimates computed on demand."""

    replications: list[dict[str, Any]]

    def group(self, group: str, queues: Sequence[str], i: int) -> dict[str, Estimate]:
        """Mean and 95 % CI over replications of each queue KPI of a group in interval ``i``."""
        per_rep = [group_kpis(rep, group, queues, i) for rep in self.replications]
        return {key: estimate([r[key] for r in per_rep]) for key in per_rep[0]}

    def journey(self, i: int, path: Sequence[str]) -> Estimate:
        return estimate([journey_value(rep, i, path) for rep in self.replications])

    def day(
        self, group: str, queues: Sequence[str], intervals: Sequence[int]
    ) -> dict[str, Estimate]:
        """Mean and 95 % CI over replications of a group's KPIs over some intervals."""
        per_rep = [day_kpis(rep, group, queues, intervals) for rep in self.replications]
        return {key: estimate([r[key] for r in per_rep]) for key in per_rep[0]}

    def day_values(
        self, group: str, queues: Sequence[str], intervals: Sequence[int], kpi: str
    ) -> list[float]:
        """A KPI of a group over some intervals, one value per replication (one per day)."""
        return [day_kpis(rep, group, queues, intervals)[kpi] for rep in self.replications]

    @property
    def customers(self) -> int:
        return int(sum(rep["customers"] for rep in self.replications))

    @property
    def cpu_s(self) -> float:
        return float(sum(rep["cpu_s"] for rep in self.replications))
