"""The staffing plan a search settles on: agents to heads, the staffed scenario, the rows.

The search works in agents on the phones per interval and group. The plan turns them into
scheduled heads with the engine's own shrinkage rounding (:func:`heads_for`), into a scenario
that schedules them (:func:`staffed_scenario`, the one every candidate day is simulated with),
and into one :class:`Row` per interval and group with the seeds, the requirement, the cost of
the plan and of the current schedule, and the KPIs the final run achieved
(:func:`plan_rows`). :class:`StaffingResult` is everything a search hands to
:mod:`simulator.staffing.output`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.experiment.stats import Estimate
from simulator.scenario.schema import AgentGroup, Scenario, frozen_map
from simulator.staffing.days import run_steps
from simulator.staffing.groups import GroupInfo, Seeds
from simulator.staffing.simulate import DayResult
from simulator.staffing.targets import Target

if TYPE_CHECKING:  # risk.py builds on this module
    from simulator.staffing.risk import RiskPlan

#: Agents on the phones per group, one value per interval.
Staffing = dict[str, list[int]]
#: KPIs every row carries, whether a target reads them or not.
ROW_KPIS = ("service_level", "abandon_rate", "asa_s", "occupancy")


@dataclass
class Row:
    """One interval of one group: seeds, requirement, staffing, cost and KPIs achieved."""

    interval: int
    label: str
    group: str
    hours: float
    load_erlangs: float
    erlang_c: int | None
    erlang_a: int | None
    required: int
    heads: int
    current_agents: int
    current_heads: float
    cost: float
    current_cost: float
    kpis: dict[str, Estimate] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    settled: bool = True


@dataclass
class StaffingResult:
    """Everything a staffing search produced."""

    scenario: Scenario
    measured: Scenario
    recommended: Scenario
    targets: list[Target]
    groups: dict[str, GroupInfo]
    rows: list[Row]
    seed: int
    replications: int
    passes: int
    candidates: int
    simulations: int
    customers: int
    settled: bool
    thresholds: dict[str, float]
    elapsed_s: float = 0.0
    cpu_s: float = 0.0
    """Processor time of all simulations, summed over workers."""
    history: list[dict[str, int]] = field(default_factory=list)
    """Per pass: candidate days simulated, cells raised and lowered."""
    notes: list[str] = field(default_factory=list)
    """What a planner should know about the plan (deferred groups' bounds, out-of-reach
    intervals), one sentence each."""
    out_of_reach: dict[str, list[int]] = field(default_factory=dict)
    """Per deferred group, the intervals no level met: not chased, not judged."""
    risk: RiskPlan | None = None
    """With ``--on-share-of-days``: the :class:`~simulator.staffing.risk.RiskPlan` found."""
    runs: dict[str, tuple[DayResult, int]] = field(default_factory=dict, repr=False)
    """Per searched group, the final simulation of the plan and the reported interval where
    its judged day starts (0, or the middle of a deferred group's steady days)."""


def heads_for(required: int, group: AgentGroup) -> int:
    """Fewest scheduled heads the engine turns into ``required`` agents on the phones.

    The engine puts ``round_half_up(heads * (1 - shrinkage))`` agents on the phones, so this is
    ``ceil((required - 0.5) / (1 - shrinkage))`` (at most ``ceil(required / (1 - shrinkage))``),
    found exactly with the engine's own rounding rather than floating-point algebra.
    """
    if required <= 0:
        return 0
    heads = max(required - 1, math.floor((required - 0.5) / (1.0 - group.shrinkage)) - 1, 0)
    while group.on_phones(heads) < required:
        heads += 1
    return heads


def current_agents(scenario: Scenario, searched: list[GroupInfo]) -> Staffing:
    """Agents on the phones per interval under the scenario's own schedule, by searched group."""
    horizon = scenario.horizon
    return {
        g.name: [
            scenario.agents[g.name].on_phones(
                scenario.agents[g.name].heads_at(i * horizon.interval)
            )
            for i in range(horizon.n_intervals)
        ]
        for g in searched
    }


def staffed_scenario(scenario: Scenario, staffing: Staffing, name: str | None = None) -> Scenario:
    """The scenario with each group in ``staffing`` scheduled interval by interval, with the
    heads that put the given agents on the phones (steps only where the heads change; in a run
    of several days each day from its opening, with a zero step at its closing)."""
    agents = dict(scenario.agents)
    horizon = scenario.horizon
    per_day = horizon.intervals_per_day
    for group_name, agents_on_phones in staffing.items():
        group = agents[group_name]
        heads = [heads_for(required, group) for required in agents_on_phones]
        days = [
            _steps(heads[d * per_day : (d + 1) * per_day], horizon.interval)
            for d in range(horizon.days)
        ]
        agents[group_name] = dataclasses.replace(group, schedule=run_steps(horizon, days))
    changes: dict[str, Any] = {"agents": frozen_map(agents)}
    if name is not None:
        changes["name"] = name
    return dataclasses.replace(scenario, **changes)


def _steps(heads: list[int], interval: float) -> tuple[tuple[float, int], ...]:
    """One day's ``(t, heads)`` steps from its opening, only where the heads change."""
    steps: list[tuple[float, int]] = []
    for i, count in enumerate(heads):
        if not steps or steps[-1][1] != count:
            steps.append((i * interval, count))
    return tuple(steps)


def _window(schedule: tuple[tuple[float, int], ...], start: float, end: float) -> float:
    """Head-seconds a schedule pays in ``[start, end)`` (as the engine's cost integrates it)."""
    total = 0.0
    for k, (t, heads) in enumerate(schedule):
        t_next = schedule[k + 1][0] if k + 1 < len(schedule) else math.inf
        low, high = max(t, start), min(t_next, end)
        if high > low:
            total += heads * (high - low)
    return total


def plan_rows(
    scenario: Scenario,
    searched: list[GroupInfo],
    seeds: dict[str, Seeds],
    current: Staffing,
    level: Staffing,
    base: DayResult,
    targets: list[Target],
) -> list[Row]:
    """One row per interval and searched group, from the final base run."""
    horizon = scenario.horizon
    rows = []
    for i in range(horizon.n_intervals):
        start = i * horizon.interval
        end = min(start + horizon.interval, horizon.duration)
        journey = {t.column: base.journey(i, t.path) for t in targets if t.journey}
        for g in searched:
            group = scenario.agents[g.name]
            kpis, misses = _row_kpis(base, g, i, targets, journey)
            required = level[g.name][i]
            heads = heads_for(required, group)
            loads, c_agents, a_agents = seeds[g.name]
            hours = (end - start) / 3600.0
            paid = _window(group.schedule, start, end)
            rows.append(
                Row(
                    interval=i,
                    label=horizon.label(i),
                    group=g.name,
                    hours=hours,
                    load_erlangs=loads[i],
                    erlang_c=c_agents[i],
                    erlang_a=a_agents[i],
                    required=required,
                    heads=heads,
                    current_agents=current[g.name][i],
                    current_heads=paid / (end - start),
                    cost=heads * hours * g.hourly,
                    current_cost=paid / 3600.0 * g.hourly,
                    kpis=kpis,
                    misses=misses,
                )
            )
    return rows


def _row_kpis(
    base: DayResult,
    g: GroupInfo,
    i: int,
    targets: list[Target],
    journey: dict[str, Estimate],
) -> tuple[dict[str, Estimate], list[str]]:
    """A row's KPIs (offered, each target's, then :data:`ROW_KPIS`) and the targets it misses:
    the group's queue targets first, then the journey targets in the order given."""
    est = base.group(g.name, g.queues, i)
    kpis: dict[str, Estimate] = {"offered": est["offered"]}
    misses = []
    for t in g.targets:
        kpis[t.column] = est[t.kpi]
        if not t.met(est[t.kpi].mean):
            misses.append(t.text)
    for t in targets:
        if t.journey:
            kpis[t.column] = journey[t.column]
            if not t.met(journey[t.column].mean):
                misses.append(t.text)
    for key in ROW_KPIS:
        kpis.setdefault(key, est[key])
    return kpis, misses
