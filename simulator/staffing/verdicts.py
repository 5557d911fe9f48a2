"""What one pass's runs say about an interval: which targets miss, and whether a cut holds.

Each function reads the simulated days of a pass (:class:`~simulator.staffing.simulate.
DayResult`: the base staffing and a probe) for one interval ``i``; none changes anything. A
queue target is read on a group's own queues, a journey target on every customer who arrived
in the interval. Targets are judged on the mean over replications; a probe's effect on a
journey KPI is judged on the paired differences between the probe and the base, replication
by replication (the same customers in both runs, so the difference is the staffing's).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from simulator.experiment.stats import Estimate, estimate
from simulator.staffing.groups import GroupInfo
from simulator.staffing.simulate import DayResult, journey_value
from simulator.staffing.targets import Target


class QueueMisses(NamedTuple):
    """The queue targets a group misses in one interval, and by how much the worst misses."""

    targets: list[str]
    gap: float


def queue_misses(result: DayResult, g: GroupInfo, i: int) -> QueueMisses:
    """The group's queue targets missed in interval ``i`` (texts) and the largest gap."""
    est = result.group(g.name, g.queues, i)
    missed = [t for t in g.targets if not t.met(est[t.kpi].mean)]
    return QueueMisses(
        [t.text for t in missed], max((t.gap(est[t.kpi].mean) for t in missed), default=0)
    )


def journey_misses(result: DayResult, journey_targets: list[Target], i: int) -> list[str]:
    """The journey targets missed by the customers who arrived in interval ``i``."""
    return [t.text for t in journey_targets if not t.met(result.journey(i, t.path).mean)]


def journey_gain(base: DayResult, probe: DayResult, t: Target, i: int) -> Estimate:
    """How much a probe improved a journey KPI of interval i over the base: the mean and
    95 % CI of the paired differences, replication by replication (the same customers in
    both runs, so the difference is the staffing's). Positive is better."""
    sign = 1.0 if t.op == ">=" else -1.0
    return estimate(
        [
            sign * (journey_value(p, i, t.path) - journey_value(b, i, t.path))
            for b, p in zip(base.replications, probe.replications, strict=True)
        ]
    )


def journey_helped(base: DayResult, up: DayResult, journey_targets: list[Target], i: int) -> bool:
    """Whether one agent more in every group improved a missed journey KPI of interval i
    significantly. If not, more agents are not the lever (anger from lost context, say),
    and the search leaves that target missing rather than chase noise with agents."""
    return any(
        journey_gain(base, up, t, i).ci_low > 0
        for t in journey_targets
        if not t.met(base.journey(i, t.path).mean)
    )


def journey_holds(base: DayResult, probe: DayResult, journey_targets: list[Target], i: int) -> bool:
    """A cut keeps every journey target of interval i met, or (for one staffing cannot
    fix, missed anyway) does not make it significantly worse."""
    for t in journey_targets:
        if t.met(probe.journey(i, t.path).mean):
            continue
        if t.met(base.journey(i, t.path).mean) or journey_gain(base, probe, t, i).ci_high < 0:
            return False
    return True


def cut_holds(
    base: DayResult,
    probe: DayResult,
    g: GroupInfo,
    i: int,
    journey_targets: list[Target],
    missed_before: bool,
) -> bool:
    """A cut must meet interval i's targets and must not break interval i - 1 (if it met:
    ``missed_before`` is False), whose last contacts interval i's agents answer."""

    def holds(k: int) -> bool:
        return not queue_misses(probe, g, k).targets and journey_holds(
            base, probe, journey_targets, k
        )

    return holds(i) and (i == 0 or missed_before or holds(i - 1))


def wait_ratio(result: DayResult, g: GroupInfo, i: int) -> float:
    """How long a group's customers waited in an interval relative to what they expect."""
    wait = result.group(g.name, g.queues, i)["mean_wait_s"].mean
    return wait / g.expected_s if not math.isnan(wait) and g.expected_s else 0.0
