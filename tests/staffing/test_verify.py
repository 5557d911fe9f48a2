"""Simulating a roster and reading which intervals miss (simulator/staffing/verify.py): what
repairs ask for, and a week judged day by day on the customers each day was planned with."""

from __future__ import annotations

from simulator.staffing.groups import prepare_groups
from simulator.staffing.roster import repair, solve_roster
from simulator.staffing.shift_rules import roster_problem
from simulator.staffing.verify import Verifier
from tests.staffing.roster_checks import rule_violations


def test_a_roster_that_misses_is_repaired_until_every_target_holds(day):
    scenario, targets = day.scenario, day.targets
    thin = {
        g: [[max(h - 3, 0) for h in needs] for needs in day.week.requirements[g]]
        for g in day.groups
    }
    short = solve_roster(roster_problem(scenario, thin))
    infos, _ = prepare_groups(scenario, targets, day.groups)
    verifier = Verifier(scenario, {g: infos[g] for g in day.groups}, targets, 2, 6)
    repaired = repair(short, verifier.misses, max_rounds=8)
    first = verifier.checks[0].misses
    assert first, "three heads short everywhere must miss somewhere"
    assert repaired.met and repaired.added
    assert repaired.roster.cost > short.cost
    # the shifts added cover intervals that missed
    missed = {k for _g, _d, k in first}
    for line in repaired.added:
        covered = {line.shift.first_interval + k for k, c in enumerate(line.shift.coverage) if c}
        assert covered & missed or len(verifier.checks) > 2
    assert rule_violations(scenario, repaired.roster) == []


def test_a_week_is_judged_day_by_day_on_the_customers_each_day_was_planned_with(week):
    """Each day of the week meets the very customers its plan met (the same offered contacts,
    interval by interval), so a repair answers the roster's shifts and breaks, not luck."""
    final = week.final.result
    per_day = week.scenario.horizon.intervals_per_day
    infos = week.infos["phones"]
    for d, plan in enumerate(week.week.days):
        rows = [row for row in plan.result.rows if row.group == "phones"]
        for k, row in enumerate(rows):
            offered = final.group("phones", infos.queues, d * per_day + k)["offered"].mean
            assert offered == row.kpis["offered"].mean, (plan.name, row.label)
