"""Opening hours: one window, closed, several windows or per day; windows in order and inside
the hours a channel may have; whole-run windows for the engine."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.scenario import load_scenario_text
from simulator.scenario.read.hours import day_hours_form
from simulator.scenario.schema import DAY_S
from tests.scenario_texts import ONE_CHANNEL, WEEK, at, only, replaced

H = 3600.0


@pytest.fixture(scope="module")
def week():
    return load_scenario_text(WEEK)


def test_hours_resolve_to_windows_per_weekday(week):
    voice, chat, email = (week.channels[name] for name in ("voice", "chat", "email"))
    assert voice.hours == (((8 * H, 20 * H),),) * 5 + (((9 * H, 13 * H),), ())
    assert chat.hours == (((9 * H, 12 * H), (13 * H, 17 * H)),) * 7
    assert email.hours == (((8 * H, 18 * H),),) * 7
    assert email.sl_business_hours and email.sl_threshold == 8 * H
    assert not voice.sl_business_hours


def test_whole_run_windows_are_in_simulated_time_from_the_first_opening(week):
    """t = 0 is Monday 08:00: Saturday (day 5) opens its voice line at 5 days + 1 h."""
    windows = week.channels["voice"].open_windows(week.horizon)
    assert len(windows) == 6  # closed on Sunday
    assert windows[0] == (0.0, 12 * H) and windows[4] == (4 * DAY_S, 4 * DAY_S + 12 * H)
    assert windows[5] == (5 * DAY_S + 1 * H, 5 * DAY_S + 5 * H)
    chat = week.channels["chat"].open_windows(week.horizon)
    assert chat[:2] == ((1 * H, 4 * H), (5 * H, 9 * H))


def test_without_hours_a_channel_is_open_for_the_horizon_every_day(week):
    voice_hours = '    hours: {default: "08:00-20:00", sat: "09:00-13:00", sun: closed}\n'
    plain = load_scenario_text(replaced(voice_hours, "", WEEK))
    voice = plain.channels["voice"]
    assert voice.hours is None
    assert voice.open_windows(plain.horizon) == tuple(
        (d * DAY_S, d * DAY_S + 12 * H) for d in range(7)
    )


def test_days_a_mapping_leaves_out_keep_the_horizon_window():
    text = replaced('sat: "09:00-13:00", sun: closed}', 'sat: "09:00-13:00"}', WEEK)
    text = replaced('default: "08:00-20:00", ', "", text)
    voice = load_scenario_text(text).channels["voice"]
    assert voice.hours[6] == ((8 * H, 20 * H),) and voice.hours[5] == ((9 * H, 13 * H),)


def test_an_asynchronous_channel_may_have_hours_outside_the_horizon_window():
    text = replaced('hours: "08:00-18:00"', 'hours: "07:00-22:00"', WEEK)
    assert load_scenario_text(text).channels["email"].hours[0] == ((7 * H, 22 * H),)


@pytest.mark.parametrize(
    ("old", "new", "part", "message"),
    [
        (
            'hours: ["09:00-12:00", "13:00-17:00"]',
            'hours: ["09:00-12:00", "11:00-17:00"]',
            '"11:00-17:00"',
            "channels.chat.hours[1]: '11:00-17:00' overlaps '09:00-12:00' (merge them into one "
            "window, or make one end before the other opens)",
        ),
        (
            'sat: "09:00-13:00"',
            'sat: "13:00-09:00"',
            '"13:00-09:00"',
            "channels.voice.hours.sat: '13:00-09:00' closes before it opens (a window that runs "
            "past midnight ends after 24:00, e.g. '22:00-26:00')",
        ),
        (
            'sat: "09:00-13:00"',
            'sat: "07:00-13:00"',
            '"07:00-13:00"',
            "channels.voice.hours.sat: '07:00-13:00' is outside the hours it may have (a "
            "synchronous channel is open only inside the horizon's day, 08:00-20:00 (nobody could "
            "be scheduled outside it))",
        ),
        (
            'hours: "08:00-18:00"',
            'hours: "08:00-25:00"',
            '"08:00-25:00"',
            "channels.email.hours: '08:00-25:00' is outside the hours it may have (a day's hours "
            "lie within its 24 hours, 00:00-24:00)",
        ),
        (
            'hours: "08:00-18:00"',
            "hours: 8-18",
            "8-18",
            "channels.email.hours: expected a clock time such as 08:00, found '8', in '8-18' "
            "(e.g. '08:00-20:00', closed, or a list such as ['08:00-12:00', '13:00-18:00'])",
        ),
        (
            'hours: "08:00-18:00"',
            "hours: []",
            "[]",
            "channels.email.hours: expected at least one window, found an empty list (write "
            "closed for a day without hours)",
        ),
    ],
)
def test_bad_hours(old, new, part, message):
    text = replaced(old, new, WEEK)
    assert only(text) == f"{at(text, part)}: {message}"


def test_hours_need_a_clock_horizon():
    text = ONE_CHANNEL.replace('{start: "08:00", end: "12:00"}', "{duration: 4h}")
    text = text.replace("voice: {}", 'voice: {hours: "08:00-12:00"}')
    where = at(text, '"08:00-12:00"')
    assert only(text) == (
        f"{where}: channels.voice.hours: hours need a clock horizon (start and end) (opening "
        "hours are clock times; give the horizon as start and end)"
    )


@given(st.lists(st.integers(0, 24 * 4 - 1), min_size=0, max_size=8, unique=True).map(sorted))
def test_a_day_hours_written_back_reads_the_same(quarters):
    """Any sorted, disjoint set of windows (from pairs of quarter hours) reads back as itself."""
    edges = quarters[: len(quarters) // 2 * 2]
    day = tuple((edges[i] * 900.0, edges[i + 1] * 900.0) for i in range(0, len(edges), 2))
    text = replaced('hours: "08:00-18:00"', f"hours: {json.dumps(day_hours_form(day))}", WEEK)
    assert load_scenario_text(text).channels["email"].hours == (day,) * 7
