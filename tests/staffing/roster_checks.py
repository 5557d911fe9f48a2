"""Every rule of a scenario's shifts block, checked on a roster from scratch; and the same for
a scheduler's own problem (:func:`assert_follows_rules`), with the small problems the roster
tests share.

Written apart from the scheduler (which builds shifts from the rules) so that a test does not
check the rules with the code that applies them: each shift of the roster is read back as a
planner would, against the rule as written in the scenario.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np

from simulator.scenario.schema import Scenario
from simulator.scenario.shifts import ShiftType
from simulator.staffing.roster import (
    Calendar,
    GroupPlan,
    PartTimeLimits,
    Roster,
    RosterProblem,
    ShiftRule,
)
from simulator.staffing.roster import ShiftType as RosterShift
from simulator.staffing.shift_rules import day_names


def rule_violations(scenario: Scenario, roster: Roster) -> list[str]:
    """Every way the roster breaks a rule (empty: it keeps them all)."""
    horizon = scenario.horizon
    weekday = {name: horizon.weekday(d) for d, name in enumerate(day_names(horizon))}
    found: list[str] = []
    heads: dict[tuple[str, str, str], int] = defaultdict(int)
    part_time_heads: dict[tuple[str, str], int] = defaultdict(int)
    hours: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for line in roster.lines:
        shift = line.shift
        spec = scenario.shifts[shift.group].type_named(shift.rule)
        where = f"{shift.group} {shift.describe()}"
        if spec is None:
            found.append(f"{where}: no such shift type")
            continue
        found += [f"{where}: {problem}" for problem in _shift_problems(scenario, spec, shift)]
        if spec.days is not None and weekday[shift.day] not in spec.days:
            found.append(f"{where}: worked on a day the type is not")
        heads[shift.group, shift.day, shift.rule] += line.heads
        if spec.part_time:
            part_time_heads[shift.group, shift.day] += line.heads
        hours[shift.group, shift.day][spec.part_time] += line.heads * shift.paid_s / 3600
    found += _limit_problems(scenario, heads, part_time_heads, hours, weekday)
    return found


def _shift_problems(scenario: Scenario, spec: ShiftType, shift) -> list[str]:
    horizon = scenario.horizon
    problems = []
    if shift.paid_s not in spec.paid:
        problems.append(f"paid {shift.paid_s}s is not one of {spec.paid}")
    if not any(
        a <= shift.start_s <= b and (shift.start_s - a) % spec.start_step == 0
        for a, b in spec.starts
    ):
        problems.append(f"starts at {shift.start_s}s, outside {spec.starts} by {spec.start_step}")
    if shift.start_s < horizon.start or shift.end_s > horizon.start + horizon.duration:
        problems.append("lies outside the horizon's day")
    taken = {b.name for b in spec.breaks if shift.paid_s >= b.from_paid}
    if {b.name for b in shift.breaks} != taken or len(shift.breaks) != len(taken):
        problems.append(f"takes breaks {[b.name for b in shift.breaks]}, the rule says {taken}")
    unpaid = 0.0
    for placed in shift.breaks:
        rule = next((b for b in spec.breaks if b.name == placed.name), None)
        if rule is None:
            continue
        length = placed.end_s - placed.start_s
        offset = placed.start_s - shift.start_s
        if not rule.length <= length <= rule.longest or (length - rule.length) % rule.step:
            problems.append(f"{placed.name} lasts {length}s")
        if not rule.within[0] <= offset <= rule.within[1] - length:
            problems.append(f"{placed.name} at {offset}s after the start, outside {rule.within}")
        if (offset - rule.within[0]) % rule.step:
            problems.append(f"{placed.name} at {offset}s is off its {rule.step}s steps")
        if placed.paid != rule.paid:
            problems.append(f"{placed.name} paid {placed.paid}, the rule says {rule.paid}")
        if placed.start_s < shift.start_s or placed.end_s > shift.end_s:
            problems.append(f"{placed.name} lies outside the shift")
        unpaid += 0 if rule.paid else length
    ordered = sorted((b.start_s, b.end_s) for b in shift.breaks)
    if any(end > nxt for (_s, end), (nxt, _e) in itertools.pairwise(ordered)):
        problems.append("breaks overlap")
    if shift.end_s - shift.start_s != shift.paid_s + unpaid:
        problems.append("its span is not its paid time plus its unpaid breaks")
    return problems


def _limit_problems(scenario, heads, part_time_heads, hours, weekday) -> list[str]:
    problems = []
    for group, shifts in scenario.shifts.items():
        for day in weekday:
            for spec in shifts.types:
                works = spec.days is None or weekday[day] in spec.days
                count = heads.get((group, day, spec.name), 0)
                if works and count < spec.min_heads:
                    problems.append(f"{group} {day} {spec.name}: {count} < min_heads")
                if spec.max_heads is not None and count > spec.max_heads:
                    problems.append(f"{group} {day} {spec.name}: {count} > max_heads")
            most = shifts.part_time_max_heads
            if most is not None and part_time_heads.get((group, day), 0) > most:
                problems.append(f"{group} {day}: too many part-time heads")
            if shifts.part_time_max_hours_share is not None:
                full, part = hours.get((group, day), [0.0, 0.0])
                if part > shifts.part_time_max_hours_share * (full + part) + 1e-9:
                    problems.append(f"{group} {day}: part-time share {part / (full + part):.2f}")
    return problems


H = 3600  # seconds in an hour, the unit the roster tests write their rules in


def on_phones(shift: RosterShift, cal: Calendar) -> np.ndarray:
    """Fraction of each interval the shift is on the phones, from its clock times alone (not
    from the scheduler's own coverage vectors)."""

    def overlap(a: int, b: int, start: int, end: int) -> int:
        return max(0, min(b, end) - max(a, start))

    fractions = np.zeros(cal.intervals_per_day)
    for i in range(cal.intervals_per_day):
        a, b = cal.clock_of(i), cal.clock_of(i) + cal.interval_s
        worked = overlap(a, b, shift.start_s, shift.end_s)
        worked -= sum(overlap(a, b, br.start_s, br.end_s) for br in shift.breaks)
        fractions[i] = worked / cal.interval_s
    return fractions


def assert_follows_rules(roster: Roster) -> None:
    """Every rule of issue #15, checked on the roster's lines: starts in a window and on the
    step, allowed paid lengths, breaks inside their windows and the shift, on their step, with
    allowed durations and not overlapping, unpaid breaks lengthening the span, shifts inside
    the open hours, heads limits per rule and day, part-time limits, and coverage."""
    problem, cal = roster.problem, roster.problem.calendar
    for line in roster.lines:
        shift, group = line.shift, problem.group(line.shift.group)
        rule = group.rule(shift.rule)
        assert line.heads > 0
        assert rule.works_on(shift.day)
        assert any(
            first <= shift.start_s <= last and (shift.start_s - first) % rule.start_step_s == 0
            for first, last in rule.start_windows
        ), f"{shift.describe()} starts outside its windows or off the step"
        assert shift.paid_s in rule.paid_lengths_s
        assert shift.part_time == rule.part_time
        expected = {b.name: b for b in rule.breaks if shift.paid_s >= b.min_length_s}
        assert sorted(b.name for b in shift.breaks) == sorted(expected)
        unpaid = 0
        for placed in shift.breaks:
            spec = expected[placed.name]
            offset, duration = placed.start_s - shift.start_s, placed.end_s - placed.start_s
            assert placed.paid == spec.paid
            assert duration in spec.durations_s
            assert spec.window_start_s <= offset and offset + duration <= spec.window_end_s
            assert (offset - spec.window_start_s) % spec.step_s == 0
            assert shift.start_s <= placed.start_s and placed.end_s <= shift.end_s
            unpaid += 0 if spec.paid else duration
        starts = sorted(shift.breaks, key=lambda b: b.start_s)
        assert all(a.end_s <= b.start_s for a, b in itertools.pairwise(starts))
        assert shift.end_s - shift.start_s == shift.paid_s + unpaid
        day_index = cal.day_index(shift.day)
        first = (shift.start_s - cal.day_start_s) // cal.interval_s
        last = (shift.end_s - 1 - cal.day_start_s) // cal.interval_s
        assert shift.start_s >= cal.day_start_s and shift.end_s <= cal.day_end_s
        assert all(cal.is_open(day_index, k) for k in range(first, last + 1))
    for group in problem.groups:
        for day_index, day in enumerate(cal.days):
            lines = [
                ln for ln in roster.lines if ln.shift.group == group.name and ln.shift.day == day
            ]
            for rule in group.rules:
                heads = sum(ln.heads for ln in lines if ln.shift.rule == rule.name)
                if rule.works_on(day):
                    assert heads >= rule.min_heads
                if rule.max_heads is not None:
                    assert heads <= rule.max_heads
            part = [ln for ln in lines if ln.shift.part_time]
            if group.part_time.max_heads is not None:
                assert sum(ln.heads for ln in part) <= group.part_time.max_heads
            if group.part_time.max_hours_share is not None:
                part_hours = sum(ln.heads * ln.shift.paid_s for ln in part)
                all_hours = sum(ln.heads * ln.shift.paid_s for ln in lines)
                assert part_hours <= group.part_time.max_hours_share * all_hours + 1e-6
            covered = sum((ln.heads * on_phones(ln.shift, cal) for ln in lines), np.zeros(1))
            need = np.array(group.requirements[day_index])
            assert np.all(covered >= need - 1e-9), f"{group.name} {day}: {covered} < {need}"


def one_group(
    needs: tuple[int, ...],
    rules: tuple[ShiftRule, ...],
    cal: Calendar,
    part_time: PartTimeLimits | None = None,
) -> RosterProblem:
    return RosterProblem(cal, (GroupPlan("sales", (needs,), rules, part_time or PartTimeLimits()),))


HOURLY = Calendar.daily(H, 8 * H, 16 * H, ["mon"])
