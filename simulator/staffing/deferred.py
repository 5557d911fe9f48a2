"""Staffing deferred work: one level over the working hours, at least the workload bound.

An e-mail answered within its promise (4 hours, a working day) can be answered at any time
before then, so the interval it arrives in says little about when it needs an agent. Searched
interval by interval like calls, such a group's plan does not settle: an interval with no
agent meets its target on the backlog the next one works off, the last intervals of the day
miss whatever the staffing (their contacts can only be answered tomorrow, after the run), and
the search swings between nobody and a crowd at a steady load (issue #12). Here instead:

1. **Working hours.** The group works the intervals in which one of its channels is open that
   day (the horizon's window for a channel without hours).
2. **Workload bound.** Over the day the group must at least do the work that arrives:
   ``level >= work / (concurrency x working hours)``, the offered load's slot-hours over the
   hours it has. No level below it is tried.
3. **A steady day.** Each candidate is simulated as the same day three times in a row, and the
   middle day is judged: it starts with yesterday evening's backlog, and its own evening's
   contacts are answered (or not) the next morning, as they would be. A horizon that cannot
   repeat (no clock times) is judged on its one day.
4. **One level.** Every working interval gets the same level. The first batch simulates the
   bound, the next three levels and a generous one (twice the bound); intervals whose targets
   even the generous level misses are *out of reach* (a calendar-time promise that ends in the
   night, say) and are reported, not chased. The plan is the lowest level at which every other
   interval meets its targets on the mean over replications; a batch that finds none moves
   four levels up. Levels only go up, so the search settles, and two seeds differ by at most
   the one level on which the verdict is close.

Several deferred groups are searched together, each at its own level, each reading its own
queues. Synchronous groups are sized first by :mod:`simulator.staffing.search` and keep that
staffing here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from simulator.experiment.executor import Progress
from simulator.experiment.stats import Estimate
from simulator.scenario.schema import Scenario
from simulator.staffing.batch import DayRunner, Effort
from simulator.staffing.days import can_repeat, repeated_day
from simulator.staffing.groups import GroupInfo, Seeds
from simulator.staffing.plan import Staffing
from simulator.staffing.simulate import DayResult
from simulator.staffing.verdicts import queue_misses

#: Levels tried per batch, from the lowest not yet known to miss.
BATCH = 4
#: Days in a row of a steady-state candidate; the middle one is judged.
STEADY_DAYS = 3


@dataclass
class DeferredGroup:
    """One deferred group as the search sees it."""

    info: GroupInfo
    working: list[bool]
    """Per interval of the day: whether the group works then."""
    bound: int
    """The workload bound: the fewest agents on the phones that can do the day's work."""
    plenty: int
    """A generous level: what it cannot meet, no level can."""
    lowest: int = 0
    """The lowest level not yet seen to miss."""
    chosen: int | None = None
    out_of_reach: list[int] = field(default_factory=list)

    def day_level(self, level: int) -> list[int]:
        return [level if works else 0 for works in self.working]


@dataclass
class DeferredPlan:
    """What the search found: each group's agents per interval of the day, the final run of
    the plan (``offset`` is the reported interval of the judged day's first interval), and
    per group the workload bound and the intervals out of reach."""

    level: Staffing
    result: DayResult
    offset: int
    groups: dict[str, DeferredGroup]
    batches: int


class JudgedDay(DayResult):
    """A run's judged day seen as interval 0 onwards: what plan rows read."""

    def __init__(self, result: DayResult, offset: int) -> None:
        super().__init__(result.replications)
        self.offset = offset

    def group(self, group: str, queues: Any, i: int) -> dict[str, Estimate]:
        return super().group(group, queues, i + self.offset)

    def journey(self, i: int, path: Any) -> Estimate:
        return super().journey(i + self.offset, path)


def working_intervals(scenario: Scenario, info: GroupInfo) -> list[bool]:
    """Per interval of the (one) day: whether one of the group's channels is open in it."""
    horizon = scenario.horizon
    weekday = horizon.weekday(0)
    working = []
    for k in range(horizon.intervals_per_day):
        start = horizon.start + k * horizon.interval
        end = start + horizon.interval_length(k)
        working.append(
            any(
                scenario.channels[name].hours is None
                or any(a < end and b > start for a, b in scenario.channels[name].hours[weekday])
                for name in info.load.channels
            )
        )
    return working


def workload_bound(scenario: Scenario, info: GroupInfo, seeds: Seeds, working: list[bool]) -> int:
    """``ceil(work / (concurrency x working seconds))``: the offered load's slot-seconds over
    the seconds the group works (at least 1 when there is any work)."""
    horizon = scenario.horizon
    loads = seeds[0]
    work = math.fsum(loads[k] * horizon.interval_length(k) for k in range(len(loads)))
    hours = math.fsum(horizon.interval_length(k) for k, w in enumerate(working) if w)
    if work <= 0 or hours <= 0:
        return 0
    return max(1, math.ceil(work / (info.concurrency * hours) - 1e-9))


def search_deferred(
    scenario: Scenario,
    infos: list[GroupInfo],
    seeds: dict[str, Seeds],
    *,
    seed: int,
    replications: int,
    executor: Executor | None,
    progress: Progress | None,
    on_pass: Callable[[int, int], None] | None,
    effort: Effort,
    first_pass: int = 1,
) -> DeferredPlan:
    """The lowest level per deferred group that meets every reachable interval's targets on a
    steady day (see the module docstring). ``scenario`` is the one-day scenario measured at
    the targets' thresholds, with the synchronous groups already staffed."""
    steady = can_repeat(scenario.horizon)
    days = STEADY_DAYS if steady else 1
    run_on = repeated_day(scenario, days) if steady else scenario
    offset = scenario.horizon.intervals_per_day * (days // 2)
    runner = DayRunner(run_on, seed, replications, executor, progress, on_pass)
    groups = {info.name: _deferred_group(scenario, info, seeds[info.name]) for info in infos}
    number = first_pass
    first = True
    while any(g.chosen is None for g in groups.values()):
        candidates = _candidates(groups, first)
        staffings = [
            {name: g.day_level(level) * days for name, (g, level) in candidate.items()}
            for candidate in candidates
        ]
        results = runner.run(number, staffings)
        effort.add(results, replications)
        effort.record_pass(number, len(results), None)
        _judge(groups, candidates, results, offset, first)
        number += 1
        first = False
    level = {name: g.day_level(g.chosen or 0) for name, g in groups.items()}
    final = runner.run(number, [{name: values * days for name, values in level.items()}])
    effort.add(final, replications)
    effort.record_pass(number, 1, None)
    return DeferredPlan(level, final[0], offset, groups, number - first_pass + 1)


def _deferred_group(scenario: Scenario, info: GroupInfo, seeds: Seeds) -> DeferredGroup:
    working = working_intervals(scenario, info)
    bound = workload_bound(scenario, info, seeds, working)
    return DeferredGroup(info, working, bound, plenty=max(2 * bound, bound + BATCH), lowest=bound)


def _candidates(
    groups: dict[str, DeferredGroup], first: bool
) -> list[dict[str, tuple[DeferredGroup, int]]]:
    """The levels of this batch: per group still searching, ``lowest`` and the next levels
    (and, in the first batch, the generous one); a settled group stays at its level."""
    count = BATCH + 1 if first else BATCH
    candidates = []
    for k in range(count):
        candidate = {}
        for name, g in groups.items():
            if g.chosen is not None:
                candidate[name] = (g, g.chosen)
            elif first and k == BATCH:
                candidate[name] = (g, g.plenty)
            else:
                candidate[name] = (g, min(g.lowest + k, g.plenty))
        candidates.append(candidate)
    return candidates


def _judge(
    groups: dict[str, DeferredGroup],
    candidates: list[dict[str, tuple[DeferredGroup, int]]],
    results: list[DayResult],
    offset: int,
    first: bool,
) -> None:
    """Per group still searching: the intervals out of reach (first batch), then the lowest
    level of the batch meeting every other interval, or the next levels to try."""
    for name, g in groups.items():
        if g.chosen is not None:
            continue
        judged = [k for k, works in enumerate(g.working) if works]
        if first:
            plenty = results[BATCH]
            g.out_of_reach = [k for k in judged if queue_misses(plenty, g.info, offset + k).targets]
        reachable = [k for k in judged if k not in g.out_of_reach]
        tried = candidates[:BATCH] if first else candidates
        for candidate, result in zip(tried, results, strict=False):
            level = candidate[name][1]
            if not any(queue_misses(result, g.info, offset + k).targets for k in reachable):
                g.chosen = level
                break
            g.lowest = level + 1
        if g.chosen is None and g.lowest >= g.plenty:
            g.chosen = g.plenty


def deferred_notes(scenario: Scenario, plan: DeferredPlan) -> list[str]:
    """One sentence per deferred group: its level against the workload bound, and the
    intervals out of reach."""
    horizon = scenario.horizon
    notes = []
    for name, g in plan.groups.items():
        level = g.chosen or 0
        notes.append(
            f"{name}: {level} agent(s) on the phones through its working hours, a steady day "
            f"judged (the workload bound is {g.bound})"
        )
        if g.out_of_reach:
            labels = ", ".join(horizon.label(k) for k in g.out_of_reach[:4])
            more = f" and {len(g.out_of_reach) - 4} more" if len(g.out_of_reach) > 4 else ""
            notes.append(
                f"{name}: {labels}{more} miss(es) a target even with {g.plenty} agents: out of "
                "reach of staffing (a promise that ends when nobody works?); not chased"
            )
    return notes
