"""A roster as a scenario: every group's schedule follows its shifts and breaks to the minute.

The engine schedules heads with ``(t, heads)`` steps. A roster's heads at work at a time are
those whose shift has started and not ended, less those on a break then: each shift start and
break end adds its heads, each shift end and break start removes them. So the simulated
roster has exactly the people the roster puts on the phones, when it puts them there; the
shrinkage breaks do not cover (``shifts.<group>.shrinkage``: absence, training, meetings)
then removes its share, as in any scenario.

The rostered scenario describes the same demand as the original, so a comparison pairs its
customers (common random numbers), and its effective form gives the ``count`` /
``count_by_day`` overlay of the roster variant.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from simulator.scenario import effective_dict
from simulator.scenario.schema import Horizon, Scenario, frozen_map
from simulator.staffing.days import DaySchedule, run_steps
from simulator.staffing.roster import Roster, RosterLine
from simulator.staffing.shift_rules import rostered_group

#: The variant name in roster.variant.yaml.
VARIANT = "rostered"


def day_schedule_of(lines: Iterable[RosterLine], horizon: Horizon) -> DaySchedule:
    """One group's heads at work on one day, as steps from the day's opening."""
    changes: dict[float, int] = defaultdict(int)
    for line in lines:
        shift = line.shift
        changes[shift.start_s - horizon.start] += line.heads
        changes[shift.end_s - horizon.start] -= line.heads
        for pause in shift.breaks:
            changes[pause.start_s - horizon.start] -= line.heads
            changes[pause.end_s - horizon.start] += line.heads
    steps: list[tuple[float, int]] = [(0.0, 0)]
    heads = 0
    for t in sorted(changes):
        heads += changes[t]
        if t >= horizon.duration:
            break
        if t <= 0:
            steps[0] = (0.0, heads)
        elif heads != steps[-1][1]:
            steps.append((float(t), heads))
    return tuple(steps)


def rostered_scenario(scenario: Scenario, roster: Roster, name: str | None = None) -> Scenario:
    """The scenario with every rostered group scheduled by its shifts (the others as they
    were)."""
    horizon = scenario.horizon
    days = roster.problem.calendar.days
    agents = dict(scenario.agents)
    for plan in roster.problem.groups:
        by_day = [
            day_schedule_of(
                (
                    line
                    for line in roster.lines
                    if line.shift.group == plan.name and line.shift.day == day
                ),
                horizon,
            )
            for day in days
        ]
        staffed = rostered_group(scenario, plan.name)
        agents[plan.name] = dataclasses.replace(staffed, schedule=run_steps(horizon, by_day))
    changes: dict[str, Any] = {"agents": frozen_map(agents)}
    if name is not None:
        changes["name"] = name
    return dataclasses.replace(scenario, **changes)


def variant_overlay(rostered: Scenario, groups: Iterable[str]) -> dict[str, Any]:
    """``{"agents.G.count": ..., "agents.G.count_by_day": ...}`` of the rostered groups, in the
    scenario language (the effective scenario's own form of the schedules)."""
    written = effective_dict(rostered)["agents"]
    overlay: dict[str, Any] = {}
    for group in groups:
        overlay[f"agents.{group}.count"] = written[group]["count"]
        # Always given, so a count_by_day of the original cannot override the roster's days.
        overlay[f"agents.{group}.count_by_day"] = written[group].get("count_by_day", {})
        overlay[f"agents.{group}.shrinkage"] = written[group]["shrinkage"]
    return overlay
