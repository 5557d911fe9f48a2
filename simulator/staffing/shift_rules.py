"""From a scenario's ``shifts:`` block and per-interval requirements to a roster problem.

The scenario language says what shifts a group may work (:mod:`simulator.scenario.shifts`);
the scheduler (:mod:`simulator.staffing.roster`) wants a :class:`RosterProblem`: a calendar
of days and intervals, and per group its requirements and :class:`ShiftRule` s in whole
seconds. This module translates one into the other, and translates the scheduler's
:class:`RosterError` back into the file's terms: the line of the rule it is about.

Calendar days are named by weekday (``mon`` ... ``sun``) in a run of up to a week, ``day`` for
a single day, and ``mon-8`` (weekday and day number) beyond a week. The center is open in the
intervals where any channel is open that day; a shift must lie inside them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from simulator.errors import CxsimError
from simulator.scenario.schema import WEEKDAYS, AgentGroup, Horizon, Scenario
from simulator.scenario.shifts import BreakRule as BreakSpec
from simulator.scenario.shifts import GroupShifts
from simulator.scenario.shifts import ShiftType as ShiftSpec
from simulator.staffing.roster import (
    BreakRule,
    Calendar,
    GroupPlan,
    PartTimeLimits,
    RosterError,
    RosterProblem,
    ShiftRule,
)

#: Requirements of one group: heads at work (not on a break) per interval, one list per day.
Requirements = list[list[int]]


class ShiftRuleError(CxsimError):
    """A shift rule that cannot give a roster, said with the rule's place in the file."""


def rostered_group(scenario: Scenario, name: str) -> AgentGroup:
    """The agent group as a roster staffs it: its shrinkage is what breaks do not cover (the
    shifts block's ``shrinkage``, else the group's own)."""
    group = scenario.agents[name]
    shrinkage = scenario.shifts[name].shrinkage
    return group if shrinkage is None else dataclasses.replace(group, shrinkage=shrinkage)


def day_names(horizon: Horizon) -> tuple[str, ...]:
    """Calendar names of the run's days (see the module docstring)."""
    if horizon.days == 1:
        return ("day",)
    names = [WEEKDAYS[horizon.weekday(d)] for d in range(horizon.days)]
    if horizon.days <= 7:
        return tuple(names)
    return tuple(f"{name}-{d + 1}" for d, name in enumerate(names))


def open_intervals(scenario: Scenario) -> tuple[tuple[int, ...], ...]:
    """Per day, the intervals in which some channel is open (all of them without hours)."""
    horizon = scenario.horizon
    out = []
    for day in range(horizon.days):
        weekday = horizon.weekday(day)
        opened = []
        for k in range(horizon.intervals_per_day):
            start = horizon.start + k * horizon.interval
            end = start + horizon.interval_length(k)
            if any(
                ch.hours is None or any(a < end and b > start for a, b in ch.hours[weekday])
                for ch in scenario.channels.values()
            ):
                opened.append(k)
        out.append(tuple(opened))
    return tuple(out)


def calendar_of(scenario: Scenario) -> Calendar:
    horizon = scenario.horizon
    return Calendar(
        interval_s=_whole(horizon.interval),
        intervals_per_day=horizon.intervals_per_day,
        days=day_names(horizon),
        day_start_s=_whole(horizon.start),
        open_intervals=open_intervals(scenario),
    )


def roster_problem(scenario: Scenario, requirements: Mapping[str, Requirements]) -> RosterProblem:
    """The roster problem of the groups in ``requirements`` under the scenario's shift rules;
    a rule the scheduler refuses is a :class:`ShiftRuleError` naming its line."""
    calendar = calendar_of(scenario)
    try:
        groups = tuple(
            _group_plan(scenario, name, needs, calendar) for name, needs in requirements.items()
        )
        return RosterProblem(calendar, groups)
    except RosterError as error:
        raise located(scenario, error) from None


def _group_plan(
    scenario: Scenario, name: str, needs: Requirements, calendar: Calendar
) -> GroupPlan:
    shifts = scenario.shifts[name]
    rate = scenario.costs.hourly(name) or 1.0  # no costs: shifts are priced in paid hours
    rules = tuple(_rule(spec, rate, scenario.horizon, calendar) for spec in shifts.types)
    limits = PartTimeLimits(shifts.part_time_max_heads, shifts.part_time_max_hours_share)
    return GroupPlan(name, tuple(tuple(day) for day in needs), rules, limits)


def _rule(spec: ShiftSpec, rate: float, horizon: Horizon, calendar: Calendar) -> ShiftRule:
    days = None
    if spec.days is not None:
        days = tuple(
            name for d, name in enumerate(calendar.days) if horizon.weekday(d) in spec.days
        )
    return ShiftRule(
        name=spec.name,
        paid_lengths_s=tuple(_whole(p) for p in spec.paid),
        start_windows=tuple((_whole(a), _whole(b)) for a, b in spec.starts),
        start_step_s=_whole(spec.start_step),
        breaks=tuple(_break(b) for b in spec.breaks),
        hourly_cost=spec.agent_hour if spec.agent_hour is not None else rate,
        min_heads=spec.min_heads,
        max_heads=spec.max_heads,
        part_time=spec.part_time,
        days=days,
    )


def _break(spec: BreakSpec) -> BreakRule:
    return BreakRule(
        name=spec.name,
        duration_s=_whole(spec.length),
        window_start_s=_whole(spec.within[0]),
        window_end_s=_whole(spec.within[1]),
        paid=spec.paid,
        max_duration_s=None if spec.up_to is None else _whole(spec.up_to),
        step_s=_whole(spec.step),
        min_length_s=_whole(spec.from_paid),
    )


def _whole(seconds: float) -> int:
    return round(seconds)


def located(scenario: Scenario, error: RosterError) -> ShiftRuleError:
    """The scheduler's error with the place of the rule it is about: ``file:line:
    shifts.<group>.types.<type>: message`` (the group's line when no type is named)."""
    where = _place(scenario, error.group, error.rule)
    return ShiftRuleError(f"{where}: {error}" if where else str(error))


def _place(scenario: Scenario, group: str | None, rule: str | None) -> str:
    source = scenario.source or "<scenario>"
    candidates: Sequence[GroupShifts] = (
        [scenario.shifts[group]] if group in scenario.shifts else list(scenario.shifts.values())
    )
    for shifts in candidates:
        spec = shifts.type_named(rule) if rule is not None else None
        if spec is not None:
            return f"{source}:{spec.line}: shifts.{shifts.group}.types.{spec.name}"
        for shift in shifts.types if rule is not None else ():
            found = next((b for b in shift.breaks if b.name == rule), None)
            if found is not None:
                path = f"shifts.{shifts.group}.types.{shift.name}.breaks.{found.name}"
                return f"{source}:{found.line}: {path}"
    if group in scenario.shifts:
        return f"{source}:{scenario.shifts[group].line}: shifts.{group}"
    return source
