"""Simulating a roster and reading which intervals miss a target: what repairs ask for.

A roster covers requirements that came from simulated days of a per-interval plan; put into
shifts, the same heads arrive and leave at other times, breaks bunch up, and a backlog left
by a thin interval carries into the next. So the roster itself is simulated, as a scenario
(:mod:`simulator.staffing.rostered`), with the seed and replications of the plan, and each
rostered group's targets are read in every interval of every day, exactly as ``cxsim staff``
reads them (on the mean over replications). A journey target missed in an interval is laid
at the door of the group whose customers wait longest relative to what they expect, as the
staffing search does.

A run of several days whose rostered groups all answer live is judged day by day: each day is
cut out of the run (:func:`~simulator.staffing.days.single_day`) and simulated with the seed
and replications its plan was searched with, so the roster meets the customers the plan met.
A check on other days would find, in every interval the plan barely met, a miss that is the
plan's luck and not the roster's, and repairs would buy shifts for it (a 5-day week lost 19 %
that way). Closed nights make the days of such a run independent, so nothing is lost.
Deferred work on a one-day horizon is judged on the middle of three such days (a morning with
yesterday's backlog, an evening answered tomorrow: :mod:`simulator.staffing.deferred`), and
intervals the plan found out of reach of any staffing are not judged.

Targets stated as risk (``--on-share-of-days``) are judged on whole days instead: each
replication is a day with its own luck (``arrivals.uncertainty``), and a calendar day passes
when the targets hold on the share of them asked for (:mod:`simulator.staffing.risk`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from simulator.experiment.executor import Progress, run_tasks
from simulator.scenario.schema import Scenario
from simulator.staffing.days import can_repeat, repeated_day, single_day
from simulator.staffing.groups import GroupInfo
from simulator.staffing.risk import day_holds
from simulator.staffing.roster import Miss, Roster
from simulator.staffing.rostered import rostered_scenario
from simulator.staffing.simulate import QUEUE_COUNTS, DayResult, run_day
from simulator.staffing.targets import Target
from simulator.staffing.verdicts import journey_misses, queue_misses, wait_ratio

#: Days in a row on which a one-day roster with deferred work is judged (the middle one).
STEADY_DAYS = 3


@dataclass
class RosterCheck:
    """One simulation of a roster: the runs, where the judged run starts, the misses, and
    (targets as risk) per calendar day the share of simulated days on which they all hold."""

    result: DayResult
    offset: int
    misses: list[Miss]
    shares: dict[str, float] = field(default_factory=dict)


@dataclass
class Verifier:
    """Simulates rosters of one scenario (measured at the targets' thresholds) and says which
    intervals miss. ``out_of_reach`` lists, per group, intervals of the day not judged.
    ``checks`` keeps every simulation made, the last one being the roster finally kept."""

    measured: Scenario
    infos: Mapping[str, GroupInfo]
    targets: list[Target]
    seed: int
    replications: int
    executor: Executor | None = None
    progress: Progress | None = None
    on_round: Callable[[int], None] | None = None
    out_of_reach: Mapping[str, frozenset[int]] = field(default_factory=dict)
    on_share_of_days: float | None = None
    """Targets as risk: they must hold, over each whole day, on this share of the simulated
    days (each replication one day); misses are then read on the days that fail."""
    checks: list[RosterCheck] = field(default_factory=list)

    def check(self, roster: Roster) -> RosterCheck:
        """Simulate ``roster`` and find the intervals that miss a target."""
        if self.on_round is not None:
            self.on_round(len(self.checks) + 1)
        rostered = rostered_scenario(self.measured, roster)
        if self._day_by_day(rostered):
            result, offset = self._days_apart(rostered), 0
        else:
            scenario, offset = self._judged(rostered)
            tasks = [(scenario, r, self.seed) for r in range(self.replications)]
            result = DayResult(run_tasks(run_day, tasks, self.executor, self.progress))
        if self.on_share_of_days is None:
            check = RosterCheck(result, offset, self._misses(roster, result, offset))
        else:
            check = self._risk_check(roster, result, offset, self.on_share_of_days)
        self.checks.append(check)
        return check

    def misses(self, roster: Roster) -> list[Miss]:
        """What :func:`~simulator.staffing.roster.repair` asks: the intervals that miss."""
        return self.check(roster).misses

    def _day_by_day(self, rostered: Scenario) -> bool:
        """Whether the run's days are judged apart, as they were planned (see the module
        docstring): several days, every rostered group answering live."""
        return rostered.horizon.days > 1 and all(info.synchronous for info in self.infos.values())

    def _days_apart(self, rostered: Scenario) -> DayResult:
        """Every day of the run simulated on its own, the replications of each day joined
        into one run's (day after day, as the run reports its intervals)."""
        days = [single_day(rostered, d) for d in range(rostered.horizon.days)]
        n = self.replications
        tasks = [(day, r, self.seed) for day in days for r in range(n)]
        flat = run_tasks(run_day, tasks, self.executor, self.progress)
        return DayResult(
            [joined_days([flat[d * n + r] for d in range(len(days))]) for r in range(n)]
        )

    def _judged(self, rostered: Scenario) -> tuple[Scenario, int]:
        """The scenario to simulate and the reported interval where judging starts."""
        deferred = any(not self.infos[name].synchronous for name in self.infos)
        if rostered.horizon.days == 1 and deferred and can_repeat(rostered.horizon):
            steady = repeated_day(rostered, STEADY_DAYS)
            return steady, rostered.horizon.intervals_per_day * (STEADY_DAYS // 2)
        return rostered, 0

    def _risk_check(
        self, roster: Roster, result: DayResult, offset: int, share: float
    ) -> RosterCheck:
        """Per calendar day, the share of simulated days on which every target holds; for a
        group whose own share falls short, the intervals that miss on the mean over the days
        it fails (or, if none does, the one closest to missing): where a head more helps."""
        calendar = roster.problem.calendar
        per_day = calendar.intervals_per_day
        found: list[Miss] = []
        shares: dict[str, float] = {}
        infos = list(self.infos.values())
        for d, day in enumerate(calendar.days):
            judged = [offset + d * per_day + k for k in range(per_day)]
            holds, _ = day_holds(result, infos, judged)
            shares[day] = sum(holds) / len(holds)
            for info in infos:
                own, _ = day_holds(result, [info], judged)
                if sum(own) / len(own) >= share:
                    continue
                failing = DayResult(
                    [rep for rep, ok in zip(result.replications, own, strict=True) if not ok]
                )
                found += [
                    (info.name, day, k) for k in _where_failing_days_miss(failing, info, judged)
                ]
        return RosterCheck(result, offset, sorted(set(found)), shares)

    def _misses(self, roster: Roster, result: DayResult, offset: int) -> list[Miss]:
        calendar = roster.problem.calendar
        per_day = calendar.intervals_per_day
        journey_targets = [t for t in self.targets if t.journey]
        found: set[Miss] = set()
        for d, day in enumerate(calendar.days):
            for k in range(per_day):
                i = offset + d * per_day + k
                for name, info in self.infos.items():
                    if k in self.out_of_reach.get(name, ()):
                        continue
                    if queue_misses(result, info, i).targets:
                        found.add((name, day, k))
                if journey_targets and journey_misses(result, journey_targets, i):
                    worst = max(
                        self.infos.values(), key=lambda g: (wait_ratio(result, g, i), g.name)
                    )
                    found.add((worst.name, day, k))
        return sorted(found, key=lambda miss: (calendar.days.index(miss[1]), miss[2], miss[0]))


def _where_failing_days_miss(failing: DayResult, info: GroupInfo, judged: list[int]) -> list[int]:
    """The intervals of the day (positions in ``judged``) whose mean over the failing days
    misses a target, or the one whose margin to a target is smallest."""
    missed = [k for k, i in enumerate(judged) if queue_misses(failing, info, i).targets]
    if missed:
        return missed
    margins = []
    for k, i in enumerate(judged):
        kpis = failing.group(info.name, info.queues, i)
        values = [
            (kpis[t.kpi].mean - t.value) * (1 if t.op == ">=" else -1)
            for t in info.targets
            if math.isfinite(kpis[t.kpi].mean)
        ]
        if values:
            margins.append((min(values), k))
    return [min(margins)[1]] if margins else []


def joined_days(days: list[dict[str, Any]]) -> dict[str, Any]:
    """One-day replications (:func:`~simulator.staffing.simulate.run_day`) laid end to end as
    one replication of the run: every per-interval list continued day after day (a queue no
    contact reached on a day counts zeros there)."""
    lengths = [len(next(iter(day["groups"].values()))["busy"]) for day in days]
    queue_names = sorted({name for day in days for name in day["queues"]})
    queues = {
        name: {
            key: [
                value
                for day, length in zip(days, lengths, strict=True)
                for value in (day["queues"].get(name) or {}).get(key, [0.0] * length)
            ]
            for key in QUEUE_COUNTS
        }
        for name in queue_names
    }
    groups = {
        name: {
            key: [value for day in days for value in day["groups"][name][key]]
            for key in ("busy", "staffed")
        }
        for name in days[0]["groups"]
    }
    return {
        "queues": queues,
        "groups": groups,
        "journey": [cell for day in days for cell in day["journey"]],
        "customers": sum(day["customers"] for day in days),
        "cpu_s": sum(day["cpu_s"] for day in days),
    }
