"""Repairing a roster where a (simulated) check misses: cheapest covering shifts, within the
rules, a bounded number of rounds."""

from __future__ import annotations

import pytest

from simulator.staffing.roster import (
    BreakRule,
    Calendar,
    GroupPlan,
    Miss,
    PartTimeLimits,
    Roster,
    RosterError,
    RosterProblem,
    ShiftRule,
    repair,
    solve_roster,
)
from tests.staffing.roster_checks import assert_follows_rules

H = 3600
HOURLY = Calendar.daily(H, 8 * H, 16 * H, ["mon"])
FULL = ShiftRule("full", (8 * H,), ((8 * H, 8 * H),), H, hourly_cost=20.0)
PART = ShiftRule("part", (4 * H,), ((8 * H, 12 * H),), H, hourly_cost=20.0, part_time=True)


def solved(rules=(FULL, PART), limits: PartTimeLimits | None = None) -> Roster:
    group = GroupPlan("sales", ((2,) * 8,), rules, limits or PartTimeLimits())
    return solve_roster(RosterProblem(HOURLY, (group,)))


def wants_more(extra: dict[int, int]):
    """A stand-in for a simulation: interval i misses until it has ``extra[i]`` heads more on
    the phones than the requirement; records every roster it was asked about."""
    asked: list[Roster] = []

    def misses(roster: Roster) -> set[Miss]:
        asked.append(roster)
        covered = roster.coverage("sales", "mon")
        need = roster.requirement("sales", "mon")
        return {("sales", "mon", i) for i, more in extra.items() if covered[i] < need[i] + more}

    return misses, asked


def test_a_missed_interval_gets_the_cheapest_shift_that_covers_it():
    roster = solved()
    misses, asked = wants_more({1: 1})
    result = repair(roster, misses)
    assert result.met and result.remaining == frozenset()
    assert result.rounds == 2 and len(asked) == 2, "one repair, then one check that passes"
    (added,) = result.added
    assert added.heads == 1
    assert (added.shift.rule, added.shift.start_s, added.shift.paid_s) == ("part", 8 * H, 4 * H)
    assert result.roster.cost == pytest.approx(roster.cost + 80.0)
    assert result.roster.status == "repaired"
    assert asked[-1] is result.roster, "the roster returned is the one last checked"
    assert_follows_rules(result.roster)


def test_each_missed_interval_gets_a_head_at_the_lowest_cost_per_interval():
    roster = solved()
    misses, _asked = wants_more({0: 1, 7: 1})
    result = repair(roster, misses)
    # 08:00 and 15:00: one eight-hour shift or two four-hour ones, 80 per covered interval
    # either way; never more than eight paid hours.
    assert result.met
    assert sum(line.heads * line.shift.paid_s for line in result.added) == 8 * H
    assert result.roster.cost == pytest.approx(roster.cost + 160.0)


def test_breaks_of_an_added_shift_are_placed_away_from_the_missed_interval():
    lunch = BreakRule("lunch", H, 3 * H, 5 * H, step_s=H)
    full = ShiftRule("full", (8 * H,), ((8 * H, 8 * H),), H, breaks=(lunch,), hourly_cost=20.0)
    roster = solved(rules=(full,))
    misses, _asked = wants_more({3: 1})  # 11:00, where a lunch at 3h after 08:00 would fall
    result = repair(roster, misses)
    assert result.met
    (added,) = result.added
    assert [b.start_s for b in added.shift.breaks] == [12 * H]
    assert_follows_rules(result.roster)


def test_misses_no_allowed_shift_can_cover_are_reported_not_looped_on():
    capped = ShiftRule("full", (8 * H,), ((8 * H, 8 * H),), H, hourly_cost=20.0, max_heads=2)
    roster = solved(rules=(capped,))
    misses, asked = wants_more({2: 1})
    result = repair(roster, misses, max_rounds=5)
    assert not result.met
    assert result.remaining == result.unrepairable == {("sales", "mon", 2)}
    assert len(asked) == 1 and result.roster is roster
    assert result.added == ()


def test_part_time_limits_hold_while_repairing():
    roster = solved(limits=PartTimeLimits(max_heads=0))
    misses, _asked = wants_more({1: 1})
    result = repair(roster, misses)
    assert result.met
    assert all(not line.shift.part_time for line in result.roster.lines)
    assert_follows_rules(result.roster)


def test_the_callback_is_asked_at_most_max_rounds_times():
    roster = solved()
    asked: list[Roster] = []

    def never_satisfied(current: Roster) -> set[Miss]:
        asked.append(current)
        return {("sales", "mon", 4)}

    result = repair(roster, never_satisfied, max_rounds=3)
    assert len(asked) == result.rounds == 3
    assert result.remaining == {("sales", "mon", 4)} and not result.met
    assert sum(line.heads for line in result.added) == 2, "a shift added between the checks"


def test_misses_outside_the_problem_are_refused():
    roster = solved()
    with pytest.raises(RosterError, match="unknown group 'billing'"):
        repair(roster, lambda _r: {("billing", "mon", 1)})
    with pytest.raises(RosterError, match="unknown day 'sun'"):
        repair(roster, lambda _r: {("sales", "sun", 1)})
    with pytest.raises(RosterError, match="missed interval 8 of mon"):
        repair(roster, lambda _r: {("sales", "mon", 8)})
    with pytest.raises(RosterError, match="at least one round"):
        repair(roster, lambda _r: set(), max_rounds=0)
