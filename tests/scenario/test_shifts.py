"""Shift rules as values (simulator/scenario/shifts.py): how long a shift lasts with its unpaid
breaks, rules equal whatever line they were written on, and a type found by its name. Reading
the ``shifts:`` block is tested in tests/scenario/read/test_shifts.py."""

from __future__ import annotations

from simulator.scenario.shifts import BreakRule, GroupShifts, ShiftType

H = 3600.0
LUNCH = BreakRule("lunch", 0.5 * H, (3 * H, 5 * H), paid=False, up_to=H, from_paid=6 * H)
REST = BreakRule("rest", 0.25 * H, (H, 2 * H))  # paid: part of the paid length
FULL = ShiftType("full", (4 * H, 8 * H), ((7 * H, 10 * H),), breaks=(LUNCH, REST))


def test_unpaid_breaks_lengthen_a_shift_from_their_minimum_paid_length():
    assert LUNCH.longest == H and REST.longest == 0.25 * H
    assert FULL.longest_span(8 * H) == 9 * H  # the lunch at its longest
    assert FULL.longest_span(4 * H) == 4 * H  # too short for a lunch; the rest is paid
    assert FULL.shortest_span() == 4 * H
    eight_only = ShiftType("eight", (8 * H,), ((7 * H, 10 * H),), breaks=(LUNCH,))
    assert eight_only.shortest_span() == 8.5 * H  # the lunch at its shortest


def test_rules_are_equal_whatever_line_they_were_written_on():
    assert BreakRule("rest", 0.25 * H, (H, 2 * H), line=12) == REST
    assert ShiftType("full", (4 * H, 8 * H), ((7 * H, 10 * H),), breaks=(LUNCH, REST), line=3) == (
        FULL
    )


def test_a_type_is_found_by_its_name():
    shifts = GroupShifts("voice", (FULL, ShiftType("late", (4 * H,), ((14 * H, 16 * H),))))
    assert shifts.type_named("late").name == "late"
    assert shifts.type_named("full") is FULL
    assert shifts.type_named("nights") is None
