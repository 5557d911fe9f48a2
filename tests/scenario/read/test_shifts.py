"""The shifts block: shift types with breaks and limits per agent group, read into values,
written back, and every rule that cannot be worked refused at its line."""

from __future__ import annotations

import pytest
import yaml

from simulator.scenario import effective_dict, load_scenario_text
from simulator.scenario.shifts import BreakRule
from tests.scenario_texts import SHIFTS, at, only, problems, replaced


@pytest.fixture(scope="module")
def scenario():
    return load_scenario_text(SHIFTS, "s.yaml")


def test_every_key_is_read(scenario):
    voice = scenario.shifts["voice_team"]
    assert list(scenario.shifts) == ["chat_team", "voice_team"]
    assert [t.name for t in voice.types] == ["evening", "full_time", "weekend"]  # name order
    assert (voice.part_time_max_heads, voice.part_time_max_hours_share) == (10, 0.4)
    assert voice.shrinkage == 0.2 and scenario.shifts["chat_team"].shrinkage is None
    evening, full, weekend = voice.types
    assert full.paid == (8 * 3600.0,) and full.starts == ((7 * 3600.0, 12 * 3600.0),)
    assert full.start_step == 900.0 and full.agent_hour == 28
    assert (full.min_heads, full.max_heads, full.days) == (2, 30, (0, 1, 2, 3, 4))
    assert [b.name for b in full.breaks] == ["afternoon", "lunch", "morning"]
    assert full.breaks[1] == BreakRule("lunch", 1800.0, (3 * 3600.0, 5 * 3600.0), False, 3600.0)
    assert full.breaks[0].from_paid == 6 * 3600.0 and full.breaks[2].paid
    assert evening.paid == (4 * 3600.0, 5 * 3600.0) and evening.part_time
    assert evening.starts == ((15 * 3600.0, 16 * 3600.0), (17 * 3600.0, 17 * 3600.0))
    assert evening.breaks[0].step == 300.0 and evening.start_step == 1800.0
    assert weekend.days == (5, 6) and weekend.agent_hour is None and weekend.breaks == ()
    # Each rule keeps its line, for problems found when the roster is built
    assert full.line == SHIFTS[: SHIFTS.index("full_time:")].count("\n") + 1
    assert full.breaks[1].line == SHIFTS[: SHIFTS.index("lunch:")].count("\n") + 1


def test_the_rules_round_trip_through_the_effective_scenario(scenario):
    data = effective_dict(scenario)
    again = load_scenario_text(yaml.safe_dump(data))
    assert again.shifts == scenario.shifts
    full = data["shifts"]["voice_team"]["types"]["full_time"]
    assert full["paid"] == "8h" and full["starts"] == "07:00-12:00"
    assert full["breaks"]["lunch"] == {
        "length": "30m",
        "within": "3h-5h",
        "paid": False,
        "step": "15m",
        "from_paid": "0s",
        "up_to": "1h",
    }
    assert "shifts" not in effective_dict(load_scenario_text(SHIFTS.split("shifts:")[0]))


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "lunch: {length: 30m, up_to: 1h, within: 3h-5h",
            "lunch: {length: 30m, up_to: 1h, within: 3h-3h15m",
            "3h-3h15m",
            "shifts.voice_team.types.full_time.breaks.lunch.within: a 30m break cannot fit in "
            "its window 3h-3h15m after the shift starts (widen the window)",
        ),
        (
            'starts: "07:00-12:00"',
            'starts: "12:00-07:00"',
            '"12:00-07:00"',
            "shifts.voice_team.types.full_time.starts: '12:00-07:00' ends before it starts "
            "(e.g. '07:00-12:00' (starts from 07:00 to 12:00), '09:00', or a list of those)",
        ),
        (
            "max_heads: 30",
            "max_heads: 1",
            "1\n",
            "shifts.voice_team.types.full_time.max_heads: max_heads 1 is below min_heads 2",
        ),
        (
            "days: weekdays",
            "days: weekdyas",
            "weekdyas",
            "shifts.voice_team.types.full_time.days: expected a day such as mon or weekdays, "
            "found 'weekdyas' (did you mean 'weekdays'?)",
        ),
        (
            "  chat_team:\n    types:",
            "  chat_teem:\n    types:",
            "chat_teem",
            "shifts.chat_teem: unknown agent group 'chat_teem' (did you mean 'chat_team'?)",
        ),
    ],
)
def test_a_rule_that_makes_no_sense_is_refused_at_its_place(old, new, where, message):
    text = replaced(old, new, SHIFTS)
    found = only(text)
    assert found.startswith(at(text, where).rsplit(":", 1)[0] + ":"), found
    assert found.split(": ", 1)[1] == message


def test_a_break_that_ends_after_the_shift_is_refused_at_the_break():
    # The afternoon break applies to 8h shifts only (from_paid: 6h); without it, the 4h and 5h
    # evening shifts would have to take a break 5h30m into them.
    text = replaced(
        "breaks: {rest: {length: 15m, within: 1h-3h, step: 5m}}",
        "breaks: {rest: {length: 15m, within: 4h30m-5h}}",
        SHIFTS,
    )
    assert only(text) == (
        f"{at(text, 'rest:')}: shifts.voice_team.types.evening.breaks.rest: break 'rest' (15m "
        "from 4h30m after the start) ends after a 4h shift does (4h long at most) (drop that "
        "paid length, or let only longer shifts take the break (from_paid above 4h))"
    )


def test_a_type_with_no_shift_inside_the_day_is_refused_at_its_name():
    text = replaced(
        'weekend: {paid: 6h, starts: "09:00"', 'weekend: {paid: 6h, starts: "17:00"', SHIFTS
    )
    assert only(text) == (
        f"{at(text, 'weekend:')}: shifts.voice_team.types.weekend: no shift of 'weekend' fits "
        "in the day (07:00-21:00): it starts 17:00-17:00 and lasts at least 6h (a shift lies "
        "inside the horizon's day: start it later, earlier, or make it shorter)"
    )


def test_part_time_limits_need_a_part_time_type_and_types_need_paid_and_starts():
    text = replaced("        part_time: true\n", "", SHIFTS)
    assert only(text).endswith(
        "shifts.voice_team.part_time: part-time limits, but no shift type is part-time (mark "
        "the part-time shift types with part_time: true)"
    )
    text = replaced("day: {paid: 7h30m, starts: ", "day: {start: ", SHIFTS)
    messages = {p.message for p in problems(text)}
    assert messages == {
        "unknown key 'start'",
        "missing required key 'paid'",
        "missing required key 'starts'",
    }


def test_shifts_need_a_clock_horizon():
    text = replaced(
        'horizon: {start: "07:00", end: "21:00", interval: 30m, days: 7}',
        "horizon: {duration: 14h, interval: 30m}",
        SHIFTS,
    )
    assert only(text).endswith(
        "shifts: shifts need a clock horizon (start and end) (shift starts are clock times; "
        "give the horizon as start and end)"
    )
