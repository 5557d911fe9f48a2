"""Units parse the way planners write them (simulator/units.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.units import UnitError, format_duration, parse_clock, parse_duration, parse_rate


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45s", 45),
        ("4m", 240),
        ("1h30m", 5400),
        ("2.5h", 9000),
        ("1d", 86400),
        (30, 30),
        ("90", 90),
        ("500ms", 0.5),
        ("1h 30m", 5400),
    ],
)
def test_durations(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("bad", ["-5s", "five minutes", "4x", "", True, None, "1h-30m"])
def test_bad_durations_say_what_is_expected(bad):
    with pytest.raises(UnitError, match="duration"):
        parse_duration(bad)


@pytest.mark.parametrize(
    ("text", "per_second"),
    [
        ("600/h", 600 / 3600),
        ("10/min", 10 / 60),
        ("2/s", 2.0),
        ("4800/d", 4800 / 86400),
        (3600, 1.0),
    ],
)
def test_rates(text, per_second):
    assert parse_rate(text) == pytest.approx(per_second)


def test_negative_rate_is_refused():
    with pytest.raises(UnitError, match="negative"):
        parse_rate("-3/h")


def test_clock_times_including_yaml_sexagesimal_ints():
    assert parse_clock("08:30") == 8.5 * 3600
    assert parse_clock(480) == 8 * 3600  # YAML 1.1 reads unquoted 08:00 as 480
    with pytest.raises(UnitError):
        parse_clock("8h")


@given(st.integers(min_value=0, max_value=10**6))
def test_format_duration_round_trips(seconds):
    assert parse_duration(format_duration(seconds)) == seconds
