"""Targets stated as risk: staff so that a target holds on a share of days, not on average.

Tomorrow's volume is uncertain (``arrivals.uncertainty``): a plan that meets 80 % service level
on the mean day misses it on every busy day. ``--on-share-of-days 0.9`` asks for a plan whose
targets hold on 90 % of simulated days. A day holds a target when the day's own KPI does: each
searched group's queues, the day's counts summed over its intervals (answered within the
threshold over offered, all day), as the day's report shows it.

Method:

1. The staffing search gives the plan of the mean day (its shape interval by interval).
2. A family of plans, one per *design multiplier* ``m``: the mean day's plan plus, in each
   interval, what Erlang A (Erlang C without patience) adds when the load is ``m`` times the
   forecast. ``m = 1`` is the mean-day plan; a larger ``m`` is ready for a busier day, with the
   extra agents where extra load hurts most.
3. Each plan of the family is simulated on the same ``days`` replications (common random
   numbers: every plan meets the same busy and quiet days), each replication drawing its
   day multiplier and interval noise, and the share of days on which every target holds is
   counted. A walk from the day multiplier's quantile at the share asked for, then a
   bisection on ``m``, bracket the share between a plan that misses it and one that reaches
   it; between them the agents the family adds are added one at a time
   (in the order the family adds them as ``m`` grows), and a bisection on how many finds the
   cheapest plan, to one agent in one interval, that reaches the share. Plans already
   simulated are not simulated again.

The share is measured on ``days`` days, so it is known to about ``sqrt(p (1 - p) / days)``
(1.5 points at 90 % and 400 days): the plan found meets the share asked for on those days, and
on fresh days within that error.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.distributions import Gamma
from simulator.experiment.days import distribution, share_of_days_meeting
from simulator.experiment.executor import Progress, run_tasks
from simulator.scenario.schema import Scenario
from simulator.staffing.groups import GroupInfo, group_seeds
from simulator.staffing.plan import Staffing, staffed_scenario
from simulator.staffing.simulate import DayResult, run_day
from simulator.staffing.targets import Target, TargetError

#: The design multipliers searched: from a quieter-than-forecast day to a much busier one.
LOWEST, HIGHEST = 0.8, 2.0
#: The walk that brackets the share asked for moves the multiplier by this much ...
STEP = 0.1
#: ... and the bisection then narrows the bracket to this.
RESOLUTION = 0.025
#: Multipliers tried between the last failing and the first meeting plan, to order the agents.
REFINE_GRID = 32
#: The day KPIs whose spread across days is reported.
SPREAD_KPIS = ("offered", "service_level", "abandon_rate", "asa_s", "occupancy")


@dataclass
class Evaluation:
    """One plan of the family simulated on the risk days."""

    scale: float
    level: Staffing
    result: DayResult
    share: float
    shares: dict[str, float]


@dataclass
class RiskPlan:
    """The plan found and how it fares across days."""

    asked: float
    days: int
    chosen: Evaluation
    evaluations: list[Evaluation] = field(default_factory=list)
    spread: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return self.chosen.share >= self.asked


def check_risk_targets(targets: list[Target], infos: list[GroupInfo]) -> None:
    """Risk applies to queue targets of groups answered live; say so otherwise."""
    journey = [t.text for t in targets if t.journey]
    if journey:
        raise TargetError(
            f"--on-share-of-days: {', '.join(journey)}: a journey target cannot be stated as a "
            "share of days; give it without --on-share-of-days or drop it"
        )
    deferred = [g.name for g in infos if not g.synchronous]
    if deferred:
        raise TargetError(
            f"--on-share-of-days: {', '.join(deferred)} answer(s) a backlog, planned by one "
            "level over the day: stage them apart (--group) without --on-share-of-days"
        )


def family_member(
    scenario: Scenario, infos: list[GroupInfo], base: Staffing, scale: float
) -> Staffing:
    """The mean day's plan plus what Erlang adds per interval at ``scale`` times the load."""
    scaled = dataclasses.replace(
        scenario,
        arrivals=dataclasses.replace(
            scenario.arrivals, rates=tuple(r * scale for r in scenario.arrivals.rates)
        ),
    )
    level: Staffing = {}
    for info in infos:
        _, c_now, a_now = group_seeds(scenario, info)
        _, c_then, a_then = group_seeds(scaled, info)
        now = [a if a is not None else c for a, c in zip(a_now, c_now, strict=True)]
        then = [a if a is not None else c for a, c in zip(a_then, c_then, strict=True)]
        level[info.name] = [
            max(agents + ((t or 0) - (n or 0)), 0)
            for agents, n, t in zip(base[info.name], now, then, strict=True)
        ]
    return level


def day_holds(
    result: DayResult, infos: list[GroupInfo], intervals: list[int]
) -> tuple[list[bool], dict[str, list[float | None]]]:
    """Per replication (a day), whether every group meets every queue target over the day;
    and per ``group:target`` the day values."""
    n = len(result.replications)
    holds = [True] * n
    values: dict[str, list[float | None]] = {}
    for info in infos:
        for target in info.targets:
            day_values = result.day_values(info.name, info.queues, intervals, target.kpi)
            values[f"{info.name}:{target.text}"] = day_values
            for r, value in enumerate(day_values):
                if not math.isnan(value) and not target.met(value):
                    holds[r] = False
    return holds, values


def search_risk(
    scenario: Scenario,
    infos: list[GroupInfo],
    base: Staffing,
    *,
    share: float,
    days: int,
    seed: int,
    executor: Executor | None = None,
    progress: Progress | None = None,
    on_step: Callable[[float], None] | None = None,
) -> RiskPlan:
    """The cheapest plan of the family whose targets hold on ``share`` of ``days`` simulated
    days (see the module docstring). ``scenario`` is measured at the targets' thresholds."""
    check_risk_targets([t for info in infos for t in info.targets], infos)
    intervals = list(range(scenario.horizon.n_intervals))
    seen: dict[str, Evaluation] = {}

    def evaluate_level(level: Staffing, scale: float) -> Evaluation:
        key = repr(sorted(level.items()))
        if key not in seen:
            if on_step is not None:
                on_step(scale)
            staffed = staffed_scenario(scenario, level)
            tasks = [(staffed, r, seed) for r in range(days)]
            result = DayResult(run_tasks(run_day, tasks, executor, progress))
            holds, values = day_holds(result, infos, intervals)
            shares = {
                name: share_of_days_meeting(vals, _meets(infos, name))
                for name, vals in values.items()
            }
            seen[key] = Evaluation(scale, level, result, sum(holds) / len(holds), shares)
        return seen[key]

    def evaluate(scale: float) -> Evaluation:
        return evaluate_level(family_member(scenario, infos, base, scale), scale)

    failing, meeting = _bracket(evaluate, share, _first_guess(scenario, share))
    if meeting is None:  # even the busiest design misses: keep it, the result says so
        best = max(seen.values(), key=lambda e: (e.share, -e.scale))
    elif failing is None:
        best = meeting
    else:
        while meeting.scale - failing.scale > RESOLUTION:
            found = evaluate((failing.scale + meeting.scale) / 2)
            if found.share >= share:
                meeting = found
            else:
                failing = found
        best = _refine(failing, meeting, share, scenario, infos, base, evaluate_level)
    evaluations = sorted(seen.values(), key=lambda e: e.scale)
    plan = RiskPlan(share, days, best, evaluations)
    plan.spread = _spread(best.result, infos, intervals)
    return plan


def _first_guess(scenario: Scenario, share: float) -> float:
    """Where to start: the day multiplier's quantile at the share asked for (a plan for that
    day misses on busier days only), or 1 without a day-level uncertainty."""
    uncertainty = scenario.arrivals.uncertainty
    if uncertainty is None or uncertainty.day_cv <= 0:
        return 1.0
    variance = uncertainty.day_cv**2
    quantile = Gamma(shape=1.0 / variance, scale=variance).draws(np.array([share]))[0]
    return float(min(max(quantile, LOWEST), HIGHEST))


def _bracket(
    evaluate: Callable[[float], Evaluation], share: float, start: float
) -> tuple[Evaluation | None, Evaluation | None]:
    """A plan that misses the share and one that reaches it, ``STEP`` apart in the design
    multiplier, walking from ``start`` (None when the range's end is reached first)."""
    found = evaluate(start)
    if found.share >= share:
        meeting = found
        while meeting.scale > LOWEST:
            lower = evaluate(max(meeting.scale - STEP, LOWEST))
            if lower.share < share:
                return lower, meeting
            meeting = lower
        return None, meeting
    failing = found
    while failing.scale < HIGHEST:
        higher = evaluate(min(failing.scale + STEP, HIGHEST))
        if higher.share >= share:
            return failing, higher
        failing = higher
    return failing, None


def _refine(
    failing: Evaluation,
    meeting: Evaluation,
    share: float,
    scenario: Scenario,
    infos: list[GroupInfo],
    base: Staffing,
    evaluate_level: Callable[[Staffing, float], Evaluation],
) -> Evaluation:
    """Between the last plan that failed and the first that met, add the agents one at a
    time, in the order the family adds them as the multiplier grows (ties by interval), and
    bisect on how many: the cheapest plan, to one agent in one interval, that meets."""
    grid = [
        failing.scale + (meeting.scale - failing.scale) * k / REFINE_GRID
        for k in range(1, REFINE_GRID + 1)
    ]
    members = [family_member(scenario, infos, base, scale) for scale in grid]
    units: list[tuple[float, int, str]] = []
    for name, low_values in failing.level.items():
        for i, low_value in enumerate(low_values):
            for extra in range(1, meeting.level[name][i] - low_value + 1):
                reached = next(
                    (
                        g
                        for g, m in zip(grid, members, strict=True)
                        if m[name][i] >= low_value + extra
                    ),
                    meeting.scale,
                )
                units.append((reached, i, name))
    units.sort()
    low, high, best = 0, len(units), meeting
    while high - low > 1:
        middle = (low + high) // 2
        level = {name: list(values) for name, values in failing.level.items()}
        for _scale, i, name in units[:middle]:
            level[name][i] += 1
        found = evaluate_level(level, units[middle - 1][0])
        if found.share >= share:
            high, best = middle, found
        else:
            low = middle
    return best


def _meets(infos: list[GroupInfo], name: str) -> Callable[[float], bool]:
    group, text = name.split(":", 1)
    target = next(t for info in infos if info.name == group for t in info.targets if t.text == text)
    return target.met


def _spread(
    result: DayResult, infos: list[GroupInfo], intervals: list[int]
) -> dict[str, dict[str, Any]]:
    """Per group, the percentiles of each day KPI across the simulated days."""
    return {
        info.name: {
            kpi: distribution(result.day_values(info.name, info.queues, intervals, kpi))
            for kpi in SPREAD_KPIS
        }
        for info in infos
    }


def risk_json(plan: RiskPlan) -> dict[str, Any]:
    """The ``risk`` section of staffing.json: what was asked, what the plan reaches, each
    plan of the family tried, and how the days spread under the plan chosen."""
    return {
        "on_share_of_days": plan.asked,
        "days": plan.days,
        "met": plan.met,
        "share": plan.chosen.share,
        "share_by_target": plan.chosen.shares,
        "design_multiplier": plan.chosen.scale,
        "tried": [
            {"design_multiplier": e.scale, "share": e.share, "agents": e.level}
            for e in plan.evaluations
        ],
        "across_days": plan.spread,
    }


def risk_lines(plan: RiskPlan) -> list[str]:
    """The terminal lines: the share reached, and per group the spread of its day KPIs."""
    verdict = "reached" if plan.met else "NOT reached (even the busiest design misses)"
    lines = [
        f"Targets held on {plan.chosen.share:.1%} of {plan.days} simulated days: "
        f"{plan.asked:.0%} asked, {verdict}; the plan is ready for a day "
        f"{plan.chosen.scale:.2f} times the forecast, the agents placed interval by interval."
    ]
    for group, kpis in plan.spread.items():
        sl, offered = kpis["service_level"], kpis["offered"]
        if sl["p50"] is None:
            continue
        lines.append(
            f"  {group} across days: offered p10 {offered['p10']:,.0f} / p50 "
            f"{offered['p50']:,.0f} / p90 {offered['p90']:,.0f}; service level p10 "
            f"{sl['p10']:.1%} / p50 {sl['p50']:.1%} / p90 {sl['p90']:.1%}"
        )
    return lines
