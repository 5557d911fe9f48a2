"""Shift frames and break placements: what the rules allow, and clear errors when they allow
nothing."""

from __future__ import annotations

import pytest

from simulator.staffing.roster_rules import (
    BreakRule,
    Calendar,
    GroupPlan,
    RosterError,
    RosterProblem,
    ShiftRule,
)
from simulator.staffing.roster_shifts import break_patterns, check_needs_are_covered, shift_frames

H = 3600
BREAK = BreakRule("break", 900, 5400, 3 * H)
LUNCH = BreakRule("lunch", 1800, 3 * H, 5 * H, paid=False, max_duration_s=3600, min_length_s=6 * H)


def problem(rules: tuple[ShiftRule, ...], needs: tuple[int, ...] | None = None) -> RosterProblem:
    cal = Calendar.daily(1800, 7 * H, 21 * H, ["mon"])
    row = needs if needs is not None else (0,) * cal.intervals_per_day
    return RosterProblem(cal, (GroupPlan("sales", (row,), rules),))


def test_frames_follow_the_rules_starts_lengths_and_unpaid_breaks():
    full = ShiftRule("full", (8 * H,), ((7 * H, 12 * H),), 900, breaks=(BREAK, LUNCH))
    part = ShiftRule("part", (4 * H, 5 * H), ((7 * H, 16 * H),), 1800, breaks=(BREAK,))
    frames = shift_frames(problem((full, part)))
    for frame in frames:
        rule = full if frame.rule == "full" else part
        assert frame.paid_s in rule.paid_lengths_s
        assert frame.start_s >= 7 * H and (frame.start_s - 7 * H) % rule.start_step_s == 0
        assert frame.end_s <= 21 * H, "a shift stays inside the open hours"
        assert frame.end_s - frame.start_s - frame.paid_s in {0, 1800, 2700, 3600}
    assert {f.start_s for f in frames if f.rule == "full"} == set(range(7 * H, 12 * H + 1, 900))
    lunches = {f.end_s - f.start_s - f.paid_s for f in frames if f.rule == "full"}
    assert lunches == {1800, 2700, 3600}, "one frame per lunch duration"
    assert max(f.start_s for f in frames if f.rule == "part" and f.paid_s == 5 * H) == 16 * H


def test_a_fifteen_minute_break_takes_half_of_a_half_hour_interval():
    rule = ShiftRule("part", (4 * H,), ((8 * H, 8 * H),), breaks=(BREAK,))
    (frame,) = shift_frames(problem((rule,)))
    (options,) = frame.clusters
    assert frame.first_interval == 2 and frame.span == (1.0,) * 8
    # Placements at 1h30, 1h45, 2h00 ... 2h45 after 08:00: two per half hour take half of it,
    # but not the same quarter hour, so the programme keeps them apart.
    assert [o.breaks[0].start_s for o in options] == [9.5 * H + 900 * k for k in range(6)]
    assert options[0].off_phones == options[1].off_phones == (0, 0, 0, 0.5, 0, 0, 0, 0)
    assert options[0].fine_off[6:8] == (1.0, 0.0) and options[1].fine_off[6:8] == (0.0, 1.0)
    assert frame.fine_span == (1.0,) * 16


def test_a_start_off_the_interval_grid_covers_parts_of_two_intervals():
    rule = ShiftRule("short", (2 * H,), ((8 * H + 900, 8 * H + 900),))
    (frame,) = shift_frames(problem((rule,)))
    assert frame.first_interval == 2
    assert frame.span == (0.5, 1.0, 1.0, 1.0, 0.5)
    assert frame.fine_span == (0.0, *(1.0,) * 8, 0.0)  # quarter hours: absent, then there


def test_breaks_whose_windows_overlap_are_placed_together_and_never_collide():
    first = BreakRule("first", 1800, 2 * H, 4 * H, step_s=1800)
    second = BreakRule("second", 1800, 3 * H, 5 * H, step_s=1800)
    rule = ShiftRule("long", (8 * H,), ((8 * H, 8 * H),), breaks=(first, second))
    (pattern,) = break_patterns(rule, 8 * H)
    (cluster,) = pattern.clusters
    for combo in cluster:
        (_a, start_a, length_a), (_b, start_b, _length_b) = sorted(combo, key=lambda c: c[1])
        assert start_a + length_a <= start_b


def test_breaks_that_cannot_fit_in_an_allowed_length_name_the_rule_break_and_length():
    lunch = BreakRule("lunch", 1800, 5 * H, 6 * H, paid=False)
    rule = ShiftRule("part", (4 * H, 8 * H), ((8 * H, 10 * H),), breaks=(lunch,))
    with pytest.raises(RosterError) as caught:
        shift_frames(problem((rule,)))
    message = str(caught.value)
    assert "shift rule 'part': the breaks cannot fit in a 4h shift" in message
    assert "lunch 30m unpaid, within 5h-6h ends after the shift does" in message
    assert "min_length" in message
    assert caught.value.rule == "part"


def test_breaks_that_always_overlap_say_so():
    a = BreakRule("a", H, 2 * H, 3 * H + 1800)
    b = BreakRule("b", H, 2 * H, 3 * H + 1800)
    rule = ShiftRule("day", (8 * H,), ((8 * H, 9 * H),), breaks=(a, b))
    with pytest.raises(RosterError, match="the breaks overlap wherever they are placed"):
        shift_frames(problem((rule,)))


def test_a_rule_with_no_shift_inside_the_open_hours_is_refused():
    late = ShiftRule("late", (8 * H,), ((14 * H, 16 * H),))
    with pytest.raises(
        RosterError, match=r"'late' of 'sales' has no shift inside .*\(07:00-21:00\)"
    ):
        shift_frames(problem((late,)))


def test_an_interval_before_every_start_is_named_with_the_earliest_start():
    rule = ShiftRule("day", (8 * H,), ((8 * H, 12 * H),))
    needs = (1,) + (0,) * 27
    prob = problem((rule,), needs)
    with pytest.raises(RosterError) as caught:
        check_needs_are_covered(prob, shift_frames(prob))
    assert str(caught.value) == (
        "group 'sales' needs 1 heads in mon 07:00-07:30 but no shift covers it: "
        "the earliest shift starts at 08:00 ('day')"
    )


def test_an_interval_after_every_end_is_named_with_the_latest_end():
    rule = ShiftRule("day", (8 * H,), ((8 * H, 12 * H),))
    prob = problem((rule,), (0,) * 27 + (3,))
    with pytest.raises(RosterError, match=r"20:30-21:00 .* the latest shift ends at 20:00"):
        check_needs_are_covered(prob, shift_frames(prob))


def test_an_interval_always_on_a_break_says_so():
    fixed = BreakRule("fixed", H, H, 2 * H)
    rule = ShiftRule("day", (4 * H,), ((8 * H, 8 * H),), breaks=(fixed,))
    needs = [0] * 28
    needs[4] = 1  # 09:00-09:30: every shift breaks 09:00-10:00
    prob = problem((rule,), tuple(needs))
    with pytest.raises(RosterError, match=r"09:00-09:30 .* every shift that spans it is on a br"):
        check_needs_are_covered(prob, shift_frames(prob))


def test_no_rule_on_a_day_is_the_reason_given():
    cal = Calendar.daily(H, 8 * H, 12 * H, ["mon", "sat"])
    rule = ShiftRule("week", (4 * H,), ((8 * H, 8 * H),), days=("mon",))
    prob = RosterProblem(cal, (GroupPlan("sales", ((1,) * 4, (0, 1, 0, 0)), (rule,)),))
    message = r"sat 09:00-10:00 .* no shift rule of 'sales' works on sat"
    with pytest.raises(RosterError, match=message):
        check_needs_are_covered(prob, shift_frames(prob))
