"""The inputs of shift scheduling refuse rules that make no sense, before anything is solved."""

from __future__ import annotations

import pytest

from simulator.staffing.roster_rules import (
    BreakRule,
    Calendar,
    GroupPlan,
    PartTimeLimits,
    RosterError,
    RosterProblem,
    ShiftRule,
)

H = 3600


def rule(**changes: object) -> ShiftRule:
    values: dict[str, object] = {
        "name": "day",
        "paid_lengths_s": (4 * H,),
        "start_windows": ((8 * H, 10 * H),),
        "start_step_s": 1800,
    }
    values.update(changes)
    return ShiftRule(**values)  # type: ignore[arg-type]


def test_a_daily_calendar_runs_from_opening_to_closing_and_names_intervals_by_clock():
    cal = Calendar.daily(1800, 7 * H, 21 * H, ["mon", "tue"])
    assert cal.intervals_per_day == 28
    assert cal.day_end_s == 21 * H
    assert cal.label(1, 2) == "tue 08:00-08:30"
    assert cal.is_open(0, 27) and not cal.is_open(0, 28)


def test_open_hours_must_hold_whole_intervals():
    with pytest.raises(RosterError, match="07:00-20:45 must hold a whole number of 30m"):
        Calendar.daily(1800, 7 * H, 20 * H + 2700)


def test_intervals_cannot_run_past_midnight():
    with pytest.raises(RosterError, match="must end by 24:00"):
        Calendar(1800, 48, ("mon",), day_start_s=H)


def test_open_intervals_are_given_per_day_and_inside_the_day():
    with pytest.raises(RosterError, match="open intervals of 2 days, found 1"):
        Calendar(1800, 48, ("mon", "tue"), 0, ((1, 2),))
    with pytest.raises(RosterError, match=r"mon: open interval 48 is outside 0\.\.47"):
        Calendar(1800, 48, ("mon",), 0, ((47, 48),))


def test_a_break_longer_than_its_window_is_refused_with_its_name():
    with pytest.raises(RosterError, match="break 'lunch': a 1h break cannot fit in its window"):
        BreakRule("lunch", H, 3 * H, 3 * H + 1800)


def test_a_variable_lunch_lists_its_durations_on_the_step():
    lunch = BreakRule("lunch", 1800, 3 * H, 5 * H, paid=False, max_duration_s=H, step_s=900)
    assert lunch.durations_s == (1800, 2700, 3600)
    assert lunch.describe() == "lunch 30m-1h unpaid, within 3h-5h"


def test_starts_follow_the_step_from_each_window_start_without_repeats():
    shift = rule(start_windows=((8 * H, 9 * H), (8 * H + 1800, 10 * H)), start_step_s=1800)
    assert shift.starts_s() == (8 * H, 8 * H + 1800, 9 * H, 9 * H + 1800, 10 * H)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"paid_lengths_s": ()}, "at least one paid length"),
        ({"start_windows": ((10 * H, 9 * H),)}, "start window 10:00-09:00 ends before it starts"),
        ({"min_heads": 3, "max_heads": 2}, "max_heads must be at least 3"),
        ({"start_step_s": 0}, "start step"),
        ({"hourly_cost": -1.0}, "hourly cost must be >= 0"),
        ({"paid_lengths_s": (4.5,)}, "paid length .* whole number"),
    ],
)
def test_shift_rules_that_make_no_sense_are_refused(changes, message):
    with pytest.raises(RosterError, match=message) as caught:
        rule(**changes)
    assert "shift rule 'day'" in str(caught.value)


def test_breaks_of_a_rule_only_apply_from_their_minimum_length():
    short = BreakRule("break", 900, 5400, 3 * H)
    lunch = BreakRule("lunch", 1800, 3 * H, 5 * H, paid=False, min_length_s=6 * H)
    shift = rule(paid_lengths_s=(4 * H, 8 * H), breaks=(short, lunch))
    assert shift.breaks_for(4 * H) == (short,)
    assert shift.breaks_for(8 * H) == (short, lunch)


def test_part_time_share_is_a_fraction():
    with pytest.raises(RosterError, match=r"within 0\.\.1"):
        PartTimeLimits(max_hours_share=40)


def test_requirements_are_whole_heads_and_not_negative():
    with pytest.raises(RosterError, match="requirement of day 0 interval 1 must be a whole"):
        GroupPlan("sales", ((1, 2.5),), (rule(),))
    with pytest.raises(RosterError, match="must be at least 0, found -1"):
        GroupPlan("sales", ((1, -1),), (rule(),))


def test_a_requirement_while_the_center_is_closed_is_refused_naming_the_interval():
    cal = Calendar(1800, 48, ("mon",), 0, (tuple(range(14, 42)),))
    needs = [0] * 48
    needs[13] = 2
    with pytest.raises(RosterError, match=r"needs 2 heads in mon 06:30-07:00, .* closed") as caught:
        RosterProblem(cal, (GroupPlan("sales", (tuple(needs),), (rule(),)),))
    assert caught.value.group == "sales" and caught.value.day == "mon"


def test_requirements_must_match_the_calendar():
    cal = Calendar.daily(1800, 8 * H, 12 * H, ["mon", "tue"])
    with pytest.raises(RosterError, match="requirements for 2 days"):
        RosterProblem(cal, (GroupPlan("sales", ((1,) * 8,), (rule(),)),))
    with pytest.raises(RosterError, match="tue: expected 8 requirements, one per interval"):
        RosterProblem(cal, (GroupPlan("sales", ((1,) * 8, (1,) * 7), (rule(),)),))


def test_a_rule_naming_an_unknown_day_is_refused():
    cal = Calendar.daily(1800, 8 * H, 12 * H, ["mon"])
    with pytest.raises(RosterError, match="names unknown day 'sat'") as caught:
        RosterProblem(cal, (GroupPlan("sales", ((1,) * 8,), (rule(days=("sat",)),)),))
    assert caught.value.rule == "day"
