"""Days cut out of a scenario and one day repeated (simulator/staffing/days.py): the horizons
staffing plans live on."""

from __future__ import annotations

from simulator.scenario import load_scenario_text
from simulator.staffing.days import repeated_day, single_day
from tests.scenario_texts import WEEK


def test_a_day_cut_out_of_a_week_and_a_day_repeated():
    week = load_scenario_text(WEEK)
    saturday = single_day(week, 5)
    assert saturday.horizon.days == 1 and saturday.horizon.weekday(0) == 5
    per_day = week.horizon.intervals_per_day
    assert saturday.arrivals.rates == week.arrivals.rates[5 * per_day : 6 * per_day]
    assert saturday.agents["voice_team"].schedule == ((0.0, 0), (3600.0, 4), (5 * 3600.0, 0))
    steady = repeated_day(saturday, 3)
    assert steady.horizon.days == 3 and steady.arrivals.rates == saturday.arrivals.rates * 3
    assert steady.channels["voice"].hours == (week.channels["voice"].hours[5],) * 7
    schedule = steady.agents["voice_team"].schedule
    assert schedule[:4] == ((0.0, 0), (3600.0, 4), (5 * 3600.0, 0), (12 * 3600.0, 0))
    assert schedule[4] == (86400.0, 0) and len(schedule) == 12
