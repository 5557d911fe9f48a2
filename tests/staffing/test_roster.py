"""The shift scheduler: rosters that follow every rule, cover every requirement, cost no more
than they must, and errors that say which interval cannot be met."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.staffing.roster import (
    BreakRule,
    Calendar,
    GroupPlan,
    PartTimeLimits,
    Roster,
    RosterProblem,
    ShiftRule,
    interval_lower_bound,
    solve_roster,
)
from tests.staffing.roster_checks import HOURLY, H, assert_follows_rules, one_group

EXACT = 0.0  # mip_rel_gap for instances whose optimum is known


FOUR_HOURS = ShiftRule("four", (4 * H,), ((8 * H, 12 * H),), H, hourly_cost=10.0)


@pytest.mark.parametrize(
    ("needs", "cost", "shifts"),
    [
        ((1,) * 8, 80.0, {(8 * H, 1), (12 * H, 1)}),
        ((2, 2, 1, 1, 1, 1, 1, 1), 120.0, {(8 * H, 2), (12 * H, 1)}),
        ((0, 0, 1, 1, 0, 0, 0, 0), 40.0, None),  # one four-hour shift covers both
        ((0, 1, 0, 0, 0, 0, 0, 1), 80.0, None),  # 09:00 and 15:00 are too far apart for one
    ],
)
def test_small_days_get_their_hand_computed_optimum(needs, cost, shifts):
    roster = solve_roster(one_group(needs, (FOUR_HOURS,), HOURLY), mip_rel_gap=EXACT)
    assert roster.cost == pytest.approx(cost)
    assert roster.status == "optimal"
    if shifts is not None:
        assert {(ln.shift.start_s, ln.heads) for ln in roster.lines} == shifts
    assert_follows_rules(roster)


def test_a_paid_break_with_two_placements_needs_a_fourth_head_for_two_on_the_phones():
    # Eight paid hours 08-16 with a paid hour off at 3h or 4h after the start. Three heads
    # leave two breaks in the same hour (pigeonhole), so two on the phones all day takes four.
    lunch = BreakRule("lunch", H, 3 * H, 5 * H, step_s=H)
    day = ShiftRule("day", (8 * H,), ((8 * H, 8 * H),), H, breaks=(lunch,), hourly_cost=10.0)
    roster = solve_roster(one_group((2,) * 8, (day,), HOURLY), mip_rel_gap=EXACT)
    assert roster.heads == 4 and roster.cost == pytest.approx(320.0)
    breaks_at = [ln.shift.breaks[0].start_s for ln in roster.lines for _ in range(ln.heads)]
    assert sorted(breaks_at) == [11 * H, 11 * H, 12 * H, 12 * H]
    assert_follows_rules(roster)


def realistic_day(hourly_cost: float = 28.0) -> RosterProblem:
    """A bank's day: 07:00-21:00 in half hours, a morning and an afternoon peak, full-time
    8 paid hours with two paid breaks and a 30-60-minute unpaid lunch, part-time 4-6 paid hours
    with one paid break, at most half the hours part-time."""
    cal = Calendar.daily(1800, 7 * H, 21 * H, ["mon"])
    hours = 7.25 + np.arange(28) / 2
    curve = (
        6 + 30 * np.exp(-(((hours - 10.5) / 1.8) ** 2)) + 22 * np.exp(-(((hours - 15) / 2) ** 2))
    )
    needs = tuple(int(n) for n in np.round(curve))
    full = ShiftRule(
        "full-time",
        (8 * H,),
        ((7 * H, 12 * H + 1800),),
        900,
        breaks=(
            BreakRule("break", 900, 5400, 3 * H),
            BreakRule("lunch", 1800, 3 * H, 5 * H, paid=False, max_duration_s=3600),
            BreakRule("tea", 900, 5 * H + 1800, 7 * H + 1800),
        ),
        hourly_cost=hourly_cost,
    )
    part = ShiftRule(
        "part-time",
        (4 * H, 5 * H, 6 * H),
        ((7 * H, 17 * H),),
        1800,
        breaks=(BreakRule("break", 900, 5400, 3 * H + 1800),),
        hourly_cost=hourly_cost,
        part_time=True,
    )
    return one_group(needs, (full, part), cal, PartTimeLimits(max_hours_share=0.5))


def test_a_smooth_realistic_day_costs_within_ten_percent_of_the_interval_lower_bound():
    problem = realistic_day()
    roster = solve_roster(problem)
    need_hours = sum(problem.groups[0].requirements[0]) / 2
    assert roster.lower_bound == pytest.approx(need_hours * 28.0)
    assert 0 < roster.gap_pct < 10, roster.summary()
    assert roster.status == "optimal" and roster.optimality_gap_pct <= 1.0 + 1e-9
    assert roster.shortfalls() == []
    assert_follows_rules(roster)


def test_interval_lower_bound_prices_requirement_hours_at_the_cheapest_rule_of_each_day():
    cal = Calendar.daily(1800, 8 * H, 12 * H, ["mon", "sat"])
    week = ShiftRule("week", (4 * H,), ((8 * H, 8 * H),), hourly_cost=30.0, days=("mon",))
    cheap = ShiftRule("cheap", (4 * H,), ((8 * H, 8 * H),), hourly_cost=20.0, days=("sat",))
    group = GroupPlan("sales", ((2,) * 8, (1,) * 8), (week, cheap))
    assert interval_lower_bound(RosterProblem(cal, (group,))) == pytest.approx(
        2 * 4 * 30.0 + 1 * 4 * 20.0
    )


def test_a_rules_minimum_heads_are_rostered_even_when_not_needed():
    rule = ShiftRule("four", (4 * H,), ((8 * H, 12 * H),), H, hourly_cost=10.0, min_heads=5)
    roster = solve_roster(one_group((1,) * 8, (rule,), HOURLY), mip_rel_gap=EXACT)
    assert roster.heads == 5
    assert_follows_rules(roster)


def cheap_part_time(limits: PartTimeLimits) -> Roster:
    full = ShiftRule("full", (8 * H,), ((8 * H, 8 * H),), H, hourly_cost=40.0)
    part = ShiftRule("part", (4 * H,), ((8 * H, 12 * H),), H, hourly_cost=10.0, part_time=True)
    return solve_roster(one_group((4,) * 8, (full, part), HOURLY, limits), mip_rel_gap=EXACT)


def test_part_time_heads_stay_within_their_limit_even_when_cheaper():
    unlimited = cheap_part_time(PartTimeLimits())
    assert all(ln.shift.part_time for ln in unlimited.lines), "cheap part-timers do it all"
    # Four heads all day: eight part-timers (320) when allowed. With at most three, two
    # part-timers (one per half day) and three full-timers (1040) beat 2 full + 4 part.
    assert unlimited.cost == pytest.approx(320.0)
    limited = cheap_part_time(PartTimeLimits(max_heads=3))
    assert sum(ln.heads for ln in limited.lines if ln.shift.part_time) == 2
    assert limited.cost == pytest.approx(1040.0)
    assert_follows_rules(limited)


def test_part_time_share_of_hours_stays_within_its_limit():
    roster = cheap_part_time(PartTimeLimits(max_hours_share=0.5))
    part = sum(ln.heads * ln.shift.paid_s for ln in roster.lines if ln.shift.part_time)
    every = sum(ln.heads * ln.shift.paid_s for ln in roster.lines)
    assert part == pytest.approx(0.5 * every)
    assert_follows_rules(roster)


def test_a_week_uses_each_days_requirements_and_rules():
    cal = Calendar.daily(H, 8 * H, 16 * H, ["mon", "tue", "sat"])
    week = ShiftRule("week", (8 * H,), ((8 * H, 8 * H),), H, days=("mon", "tue"))
    weekend = ShiftRule("weekend", (4 * H,), ((8 * H, 12 * H),), H, days=("sat",))
    needs = ((3,) * 8, (2,) * 8, (1,) * 8)
    roster = solve_roster(RosterProblem(cal, (GroupPlan("sales", needs, (week, weekend)),)))
    heads: dict[tuple[str, str], int] = {}
    for ln in roster.lines:
        heads[ln.shift.day, ln.shift.rule] = heads.get((ln.shift.day, ln.shift.rule), 0) + ln.heads
    assert heads == {("mon", "week"): 3, ("tue", "week"): 2, ("sat", "weekend"): 2}
    assert_follows_rules(roster)


SMALL_RULES = (
    ShiftRule(
        "long",
        (6 * H,),
        ((8 * H, 10 * H),),
        1800,
        breaks=(BreakRule("break", 1800, 2 * H, 4 * H, step_s=1800),),
        hourly_cost=10.0,
    ),
    ShiftRule("short", (3 * H,), ((8 * H, 13 * H),), H, hourly_cost=12.0, part_time=True),
)
NEEDS = st.lists(st.integers(0, 4), min_size=8, max_size=8)
SOLVER_PROPERTY = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@SOLVER_PROPERTY
@given(needs=NEEDS, where=st.integers(0, 7), more=st.integers(1, 3))
def test_raising_a_requirement_never_lowers_the_cost(needs, where, more):
    raised = list(needs)
    raised[where] += more
    low = solve_roster(one_group(tuple(needs), SMALL_RULES, HOURLY), mip_rel_gap=EXACT)
    high = solve_roster(one_group(tuple(raised), SMALL_RULES, HOURLY), mip_rel_gap=EXACT)
    assert high.cost >= low.cost - 1e-6
    assert low.cost >= low.lower_bound - 1e-6 and high.cost >= high.lower_bound - 1e-6


@SOLVER_PROPERTY
@given(needs=NEEDS, share=st.sampled_from([None, 0.25, 0.5]))
def test_every_solved_roster_follows_the_rules_and_covers_the_requirement(needs, share):
    limits = PartTimeLimits(max_hours_share=share)
    roster = solve_roster(one_group(tuple(needs), SMALL_RULES, HOURLY, limits))
    assert_follows_rules(roster)
    assert math.isclose(roster.cost, sum(ln.heads * ln.shift.cost for ln in roster.lines))


def test_heads_at_work_for_part_of_an_interval_do_not_add_up_to_a_head_there():
    """Two heads starting at 08:30 are each half of the 08:00-09:00 interval, but the phones
    lack both from 08:00 to 08:30: the requirement holds in every slot of the interval (here
    the half hours the rules step by), so the roster takes the dearer shift from 08:00."""
    late = ShiftRule("late", (2 * H,), ((8 * H + 1800, 8 * H + 1800),), 1800, hourly_cost=1.0)
    early = ShiftRule("early", (4 * H,), ((8 * H, 8 * H),), 1800, hourly_cost=10.0)
    roster = solve_roster(one_group((1, 1, 0, 0, 0, 0, 0, 0), (late, early), HOURLY))
    assert {line.shift.rule for line in roster.lines} == {"early"}
    assert roster.cost == pytest.approx(40.0)  # not two late shifts at 2 x 2 x 1.0
