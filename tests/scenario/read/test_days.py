"""Per-day mappings: day names with did-you-mean, a named day beats its group, a group beats
the default, and the effective form gives every day of a run its value back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.scenario import load_scenario_text
from simulator.scenario.read.days import by_weekday_form, for_weekday
from simulator.scenario.schema import WEEKDAYS
from tests.scenario_texts import WEEK, at, only, replaced


def test_a_named_day_beats_its_group_and_a_group_beats_the_default():
    values = {"default": "d", "weekend": "we", "sun": "su", "weekdays": "wd", "fri": "fr"}
    assert [for_weekday(values, w) for w in range(7)] == ["wd"] * 4 + ["fr", "we", "su"]
    assert [for_weekday({"sat": 1}, w) for w in range(7)] == [None] * 5 + [1, None]


@given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=21), st.integers(0, 6))
def test_the_effective_form_gives_every_day_its_value(values, first):
    """Whatever each day of a run has, the most common value plus overrides by day name give
    every day back (days of the same weekday share a value, as weekday mappings resolve)."""
    by_weekday = {(first + d) % 7: values[d % 7] for d in range(min(len(values), 7))}
    days = [((first + d) % 7, by_weekday[(first + d) % 7]) for d in range(len(values))]
    common, overrides = by_weekday_form(days)
    for weekday, value in days:
        own = for_weekday(overrides, weekday)
        assert (common if own is None else own) == value
    assert list(overrides) == [d for d in WEEKDAYS if d in overrides]  # Monday first


@pytest.mark.parametrize(
    ("old", "new", "part", "message"),
    [
        (
            "    sun: {rate: 0}\n",
            "    sunday: {rate: 0}\n",
            "sunday",
            "arrivals.by_day.sunday: unknown day 'sunday' (did you mean 'sun'?)",
        ),
        (
            "      sun: 0\n",
            "      tues: 0\n",
            "tues",
            "agents.voice_team.count_by_day.tues: unknown day 'tues' (did you mean 'tue'?)",
        ),
        (
            'sat: "09:00-13:00"',
            'saturday: "09:00-13:00"',
            "saturday",
            "channels.voice.hours.saturday: unknown day 'saturday' (did you mean 'sat'?)",
        ),
        (
            "  first_day: mon\n",
            "  first_day: monday\n",
            "monday",
            "horizon.first_day: expected a day such as mon, found 'monday' (did you mean 'mon'?)",
        ),
        (
            "    count_by_day: {weekend: 0}\n  email_team",
            "    count_by_day: {holiday: 0}\n  email_team",
            "holiday",
            "agents.chat_team.count_by_day.holiday: unknown day 'holiday' (allowed days: mon, "
            "tue, wed, thu, fri, sat, sun, weekdays, weekend)",
        ),
    ],
)
def test_unknown_day_names(old, new, part, message):
    text = replaced(old, new, WEEK)
    assert only(text) == f"{at(text, part)}: {message}"


def test_a_single_day_takes_its_weekday_override():
    text = WEEK.replace("  days: 7\n  first_day: mon\n", "  first_day: sun\n")
    s = load_scenario_text(text)
    assert s.horizon.days == 1 and s.arrivals.rates == (0.0,) * 12
    assert s.agents["voice_team"].schedule == ((0.0, 0),)
    assert s.channels["voice"].open_windows(s.horizon) == ()
