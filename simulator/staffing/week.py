"""Per-interval requirements for every day of a run: the staffing search, a day at a time.

The staffing search (:func:`~simulator.staffing.search.search_staffing`) plans one day. A
week is planned day by day: each day is cut out of the run with its own arrivals, weekday
hours and the other groups' schedules (:func:`~simulator.staffing.days.single_day`) and
searched on its own. Days that are the same day (Tuesday to Thursday of a week whose only
weekday difference is a busier Monday) are searched once; days without arrivals need
nobody. The requirement of a group in an interval is its scheduled heads at work: the agents
the search found on the phones, with the shrinkage breaks do not cover added back
(:func:`~simulator.staffing.plan.heads_for`; the roster takes breaks off the phones itself).

Planning days apart ignores what one day leaves to the next (an e-mail backlog carried
overnight); the roster of the whole run is then simulated as one run
(:mod:`simulator.staffing.verify`), which sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

from simulator.experiment.executor import Progress
from simulator.scenario.schema import AgentGroup, Scenario
from simulator.staffing.days import day_schedule, single_day
from simulator.staffing.groups import BACKLOG_ONLY, prepare_groups
from simulator.staffing.plan import StaffingResult, heads_for
from simulator.staffing.search import search_staffing
from simulator.staffing.shift_rules import Requirements, day_names, rostered_group
from simulator.staffing.targets import Target, TargetError


@dataclass
class DayPlan:
    """One day of the run: its per-interval plan (None when nobody arrives), and the day whose
    search it shares when it is the same day as an earlier one."""

    day: int
    name: str
    result: StaffingResult | None
    same_as: int | None = None


@dataclass
class WeekPlan:
    """Every day's plan and, per rostered group (one list per day, one value per interval):
    ``requirements``, the heads a roster must have at work (not on a break), with the
    shrinkage breaks do not cover; ``plan_heads``, the per-interval plan's scheduled heads,
    with the group's whole shrinkage (breaks included), which a roster's cost is set against;
    and the intervals of the day out of reach of staffing."""

    groups: list[str]
    days: list[DayPlan]
    requirements: dict[str, Requirements]
    plan_heads: dict[str, Requirements]
    out_of_reach: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def searches(self) -> list[StaffingResult]:
        """The searches made (a day shared with an earlier one is not searched again)."""
        return [d.result for d in self.days if d.result is not None and d.same_as is None]


def rostered_groups(
    scenario: Scenario, targets: list[Target], wanted: list[str] | None
) -> list[str]:
    """The groups a schedule rosters: those named (each must have shift rules), else every
    group with shift rules that a target applies to (backlog teams included: rules for them
    say the planner wants them rostered)."""
    known = list(scenario.shifts)
    if wanted:
        missing = [g for g in wanted if g not in scenario.shifts]
        if missing:
            rules = ", ".join(known) or "none"
            raise TargetError(
                f"--group {', '.join(missing)}: no shift rules for it in the shifts block "
                f"(groups with rules: {rules})"
            )
        return list(wanted)
    if not known:
        raise TargetError(
            "the scenario has no shifts block: give the shift rules of the groups to roster "
            "(see docs/reference.md, shifts)"
        )
    infos, _ = prepare_groups(scenario, targets, None)
    chosen = [g for g in known if infos[g].searched or infos[g].reason == BACKLOG_ONLY]
    if not chosen:
        reasons = "; ".join(f"{g}: {infos[g].reason}" for g in known)
        raise TargetError(f"no group with shift rules to roster ({reasons})")
    return chosen


def plan_days(
    scenario: Scenario,
    targets: list[Target],
    groups: list[str],
    *,
    replications: int,
    seed: int,
    executor: Executor | None = None,
    progress: Progress | None = None,
    on_pass: Callable[[str, int, int], None] | None = None,
    max_passes: int = 12,
    on_share_of_days: float | None = None,
    risk_days: int = 400,
) -> WeekPlan:
    """Search every distinct day of the run for the groups' per-interval requirements."""
    names = day_names(scenario.horizon)
    per_day = scenario.horizon.intervals_per_day
    days: list[DayPlan] = []
    seen: dict[tuple[object, ...], int] = {}
    for d, name in enumerate(names):
        day = single_day(scenario, d)
        if not any(day.arrivals.rates):
            days.append(DayPlan(d, name, None))
            continue
        key = _day_key(scenario, day, groups, d)
        if key in seen:
            days.append(DayPlan(d, name, days[seen[key]].result, same_as=seen[key]))
            continue
        seen[key] = d

        def report(number: int, candidates: int, name: str = name) -> None:
            if on_pass is not None:
                on_pass(name, number, candidates)

        result = search_staffing(
            day,
            targets,
            groups=groups,
            replications=replications,
            seed=seed,
            executor=executor,
            progress=progress,
            on_pass=report,
            max_passes=max_passes,
            on_share_of_days=on_share_of_days,
            risk_days=risk_days,
        )
        days.append(DayPlan(d, name, result))
    requirements = {
        g: [_heads(plan, g, per_day, rostered_group(scenario, g)) for plan in days] for g in groups
    }
    plan_heads = {
        g: [_heads(plan, g, per_day, scenario.agents[g]) for plan in days] for g in groups
    }
    return WeekPlan(groups, days, requirements, plan_heads, _out_of_reach(days, groups))


def _day_key(scenario: Scenario, day: Scenario, groups: list[str], d: int) -> tuple[object, ...]:
    """What makes two days the same day to plan: arrivals, weekday hours, the schedules of
    the groups not planned."""
    weekday = day.horizon.weekday(0)
    hours = tuple(None if ch.hours is None else ch.hours[weekday] for ch in day.channels.values())
    others = tuple(
        day_schedule(group, scenario.horizon, d)
        for name, group in scenario.agents.items()
        if name not in groups
    )
    return (day.arrivals.rates, hours, others)


def _heads(plan: DayPlan, group: str, per_day: int, staffed: AgentGroup) -> list[int]:
    """Scheduled heads that put the plan's agents on the phones with ``staffed``'s shrinkage."""
    if plan.result is None:
        return [0] * per_day
    return [heads_for(row.required, staffed) for row in plan.result.rows if row.group == group]


def _out_of_reach(days: list[DayPlan], groups: list[str]) -> dict[str, frozenset[int]]:
    """Per group, intervals some day's plan found out of reach (from its notes' rows)."""
    found: dict[str, set[int]] = {g: set() for g in groups}
    for plan in days:
        if plan.result is None:
            continue
        for name, intervals in plan.result.out_of_reach.items():
            found.setdefault(name, set()).update(intervals)
    return {name: frozenset(values) for name, values in found.items()}
