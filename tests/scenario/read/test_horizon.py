"""The horizon block: clock or duration form, ends in order, warmup shorter than the horizon;
several days, named by a date or a first day, on a grid that fits a day."""

from __future__ import annotations

import pytest

from simulator.distributions import Constant, Gamma, Uniform
from simulator.scenario import load_scenario_text
from simulator.scenario.schema import DAY_S
from tests.scenario_texts import DURATION_FORM, ONE_CHANNEL, at, only


def test_duration_form_horizon_and_per_interval_arrivals():
    s = load_scenario_text(DURATION_FORM)
    h = s.horizon
    assert (h.start, h.duration, h.interval, h.warmup, h.drain, h.clock) == (
        0.0,
        720000.0,
        180000.0,
        36000.0,
        0.0,
        False,
    )
    assert h.label(1) == "+50h"
    assert s.arrivals.rates == pytest.approx([n / 180000.0 for n in (100, 200, 300, 400)])
    assert s.channels["chat"].patience is None and s.channels["chat"].lines == 12
    team = s.agents["team"]
    assert team.skills == ("chat",)
    assert team.schedule == ((0.0, 3), (7200.0, 5), (360000.0, 0))  # sorted
    assert team.wrap_up == Gamma(2.0, 15.0)
    ht = s.handle_time
    assert ht.for_contact("sales", "chat") == Constant(180.0)
    assert ht.for_contact("service", "chat") == Uniform(60.0, 540.0)
    assert ht.default == Constant(180.0)  # not needed (all covered) but always present
    assert s.route("chat", "sales", "all").to == "chat"


def test_horizon_forms_are_exclusive():
    text = ONE_CHANNEL.replace('end: "12:00"', 'end: "12:00", duration: 4h')
    assert only(text).startswith(
        "s.yaml:2:51: horizon.duration: give either start + end (a clock horizon) or duration, "
        "not both ("
    )


def test_horizon_end_must_be_after_start():
    text = ONE_CHANNEL.replace('end: "12:00"', 'end: "07:00"')
    assert only(text).startswith(
        "s.yaml:2:32: horizon.end: end 07:00 must be after start 08:00 (for a horizon past "
        "midnight write the end as e.g. 30:00"
    )


def test_clock_horizon_needs_both_ends():
    assert only(ONE_CHANNEL.replace(', end: "12:00"', "")).startswith(
        "s.yaml:2:10: horizon.end: missing required key 'end' (a clock horizon needs start and end"
    )


def test_warmup_must_be_shorter_than_the_horizon():
    text = ONE_CHANNEL.replace('end: "12:00"', 'end: "12:00", warmup: 4h')
    assert only(text) == (
        "s.yaml:2:49: horizon.warmup: warmup (4h) must be shorter than the horizon (4h)"
    )


# --------------------------------------------------------------------------------------------
# Several days


def week_text(horizon: str) -> str:
    """ONE_CHANNEL with another horizon line."""
    return ONE_CHANNEL.replace('{start: "08:00", end: "12:00"}', horizon)


def test_days_repeat_the_window_every_24_hours():
    h = load_scenario_text(week_text('{start: "08:00", end: "12:00", days: 3}')).horizon
    assert (h.days, h.first_weekday, h.intervals_per_day, h.n_intervals) == (3, 0, 8, 24)
    assert (h.bins_per_day, h.n_bins, h.end) == (48, 144, 2 * DAY_S + 4 * 3600.0)
    assert h.day_end(1) == DAY_S + 4 * 3600.0 and h.interval_start(9) == DAY_S + 1800.0
    assert [h.label(i) for i in (0, 7, 8, 23)] == [
        "Mon 08:00",
        "Mon 11:30",
        "Tue 08:00",
        "Wed 11:30",
    ]


def test_a_date_names_the_days_and_a_range_counts_them():
    h = load_scenario_text(week_text('{start: "08:00", end: "12:00", date: 2026-11-27}')).horizon
    assert (h.days, h.first_weekday, h.date) == (1, 4, "2026-11-27")  # a Friday
    h = load_scenario_text(
        week_text('{start: "08:00", end: "12:00", date: "2026-11-27..2026-12-06"}')
    ).horizon
    assert (h.days, h.first_weekday, h.date) == (10, 4, "2026-11-27")
    assert h.label(8 * 9) == "Sun 2026-12-06 08:00"  # longer than a week: the date says which


def test_first_day_without_a_date():
    h = load_scenario_text(week_text('{start: "08:00", end: "12:00", days: 9, first_day: sat}'))
    assert h.horizon.first_weekday == 5 and h.horizon.label(8) == "Sun #2 08:00"


def test_single_day_horizons_have_no_night():
    """Bins are the intervals themselves, exactly as before days existed."""
    h = load_scenario_text(ONE_CHANNEL).horizon
    assert (h.days, h.n_intervals, h.n_bins, h.bins_per_day, h.end) == (1, 8, 8, 8, 4 * 3600.0)
    assert [h.interval_of(t) for t in (-5.0, 0.0, 1799.0, 1800.0, 14399.0, 20000.0)] == [
        0,
        0,
        0,
        1,
        7,
        7,
    ]
    assert h.label(3) == "09:30"


@pytest.mark.parametrize(
    ("horizon", "part", "message"),
    [
        (
            "{duration: 8h, days: 5}",
            "5",
            "horizon.days: several days need a clock horizon (give the day's window, e.g. "
            "start: '08:00', end: '20:00', days: 5)",
        ),
        (
            '{start: "08:00", end: "12:00", interval: 7h, days: 5}',
            "7h",
            "horizon.interval: the interval (7h) does not divide 24 hours (several days need an "
            "interval such as 15m, 30m or 1h, so every day has the same grid)",
        ),
        (
            '{start: "08:00", end: "34:00", days: 2}',
            '"34:00"',
            "horizon.end: a day's window (26h) is longer than 24 hours (each day of a multi-day "
            "run opens at start and closes at end within 24 hours)",
        ),
        (
            '{start: "08:00", end: "12:00", date: "2026-11-23..2026-11-27", days: 4}',
            "4",
            "horizon.days: days: 4 disagrees with the date range, which has 5 days (give one of "
            "them)",
        ),
        (
            '{start: "08:00", end: "12:00", date: "2026-11-27..2026-11-23"}',
            '"2026',
            "horizon.date: the date range ends (2026-11-23) before it starts (2026-11-27) (a date "
            "range names its first and last day, e.g. 2026-11-23..2026-11-27)",
        ),
        (
            '{start: "08:00", end: "12:00", date: 2026-11-23, first_day: tue}',
            "tue",
            "horizon.first_day: first_day tue disagrees with the date 2026-11-23, a mon (the date "
            "names the first day; remove first_day)",
        ),
        (
            '{start: "08:00", end: "12:00", days: 0}',
            "0",
            "horizon.days: expected a value >= 1, found 0",
        ),
    ],
)
def test_bad_days(horizon, part, message):
    text = week_text(horizon)
    assert only(text) == f"{at(text, horizon[horizon.rindex(part) :], part)}: {message}"
