"""The agents block: schedules inside the horizon (by day in a multi-day run), resolution by
intent, transfers to skills, overtime."""

from __future__ import annotations

import pytest

from simulator.scenario import load_scenario_text
from simulator.scenario.schema import DAY_S, Transfer
from tests.scenario_texts import (
    JOURNEYS,
    ONE_CHANNEL,
    TWO_CHANNELS,
    WEEK,
    at,
    only,
    problems,
    replaced,
)


@pytest.fixture(scope="module")
def scenario():
    """The JOURNEYS text, loaded."""
    return load_scenario_text(JOURNEYS, "journeys.yaml")


def test_schedule_time_outside_the_horizon():
    text = ONE_CHANNEL.replace("count: 5", "count: {'07:00': 3, '09:00': 4, '12:00': 1}")
    assert [str(p) for p in problems(text)] == [
        "s.yaml:7:19: agents.voice.count.07:00: time 07:00 is outside the horizon "
        "(the horizon runs from 08:00 to 12:00; schedule times must be in [start, end))",
        "s.yaml:7:43: agents.voice.count.12:00: time 12:00 is outside the horizon "
        "(the horizon runs from 08:00 to 12:00; schedule times must be in [start, end))",
    ]


def test_schedule_time_outside_a_duration_horizon():
    text = ONE_CHANNEL.replace('{start: "08:00", end: "12:00"}', "{duration: 4h}").replace(
        "count: 5", "count: {0h: 3, 5h: 2}"
    )
    assert only(text) == (
        "s.yaml:7:26: agents.voice.count.5h: time 5h is outside the horizon "
        "(the horizon runs from 0s to 4h; schedule times must be in [start, end))"
    )


def test_clock_schedule_in_a_duration_horizon():
    text = ONE_CHANNEL.replace('{start: "08:00", end: "12:00"}', "{duration: 4h}").replace(
        "count: 5", "count: {'02:00': 3}"
    )
    assert only(text).startswith(
        "s.yaml:7:19: agents.voice.count.02:00: clock time '02:00' in a horizon without a clock"
    )


def test_all_agent_counts_zero_is_valid():
    text = TWO_CHANNELS.replace("{count: 5}", "{count: 0}")
    s = load_scenario_text(text)
    assert all(g.heads_at(0) == 0 for g in s.agents.values())


def test_agent_resolution_and_transfers(scenario):
    billing = scenario.agents["billing"]
    assert billing.resolves == {"billing_dispute": 0.7} and billing.resolves_default == 0.85
    assert billing.transfers == {"billing_dispute": Transfer("voice_general", 0.2)}
    assert billing.resolution_probability("general") == 0.85
    general = scenario.agents["voice_general"]
    assert general.transfer_for("card_lost") == Transfer("billing", 0.05)
    assert general.resolves_default == 1.0 and not general.resolves


def test_agent_resolution_and_transfer_problems():
    text = replaced("billing_dispute: 0.7}", "billing_dispute: -0.1}")
    assert only(text) == (
        f"{at(text, '-0.1')}: agents.billing.resolves.billing_dispute: expected a value >= 0 and "
        "<= 1, found -0.1"
    )
    text = replaced("{to: voice_general, probability: 0.2}", "{to: voice_generl, probability: 2}")
    assert [str(p) for p in problems(text)] == [
        f"{at(text, '2}')}: agents.billing.transfers.billing_dispute.probability: expected a "
        "value >= 0 and <= 1, found 2",
    ]
    text = replaced("{to: voice_general, probability: 0.2}", "{to: voice_generl, probability: 1}")
    assert only(text) == (
        f"{at(text, 'voice_generl')}: agents.billing.transfers.billing_dispute.to: no agent group "
        "has skill 'voice_generl' (did you mean 'voice_general'?)"
    )


# --------------------------------------------------------------------------------------------
# Schedules by day and overtime


def test_schedules_cover_the_whole_run_and_end_each_day():
    """Every day's shifts from its opening (Monday 08:00 is t = 0), then a zero step when it
    closes; Saturday's own schedule, nobody on Sunday."""
    s = load_scenario_text(WEEK)
    day, h = DAY_S, 3600.0
    voice = s.agents["voice_team"].schedule
    assert voice[:6] == (
        (0.0, 12),
        (6 * h, 9),
        (12 * h, 0),
        (day, 12),
        (day + 6 * h, 9),
        (day + 12 * h, 0),
    )
    saturday = [(t - 5 * day, heads) for t, heads in voice if 5 * day <= t < 6 * day]
    assert saturday == [(0.0, 0), (h, 4), (5 * h, 0), (12 * h, 0)]
    assert [heads for t, heads in voice if t >= 6 * day] == [0, 0]
    assert s.agents["voice_team"].heads_at(2 * day + 7 * h) == 9
    assert s.agents["voice_team"].heads_at(2 * day + 13 * h) == 0  # Wednesday night
    assert s.agents["voice_team"].overtime == 30 * 60.0
    assert s.agents["chat_team"].overtime == 0.0


def test_a_single_day_schedule_has_no_closing_step():
    """A one-day run keeps the schedule it always had: the end of the run ends the shifts."""
    s = load_scenario_text(ONE_CHANNEL.replace("count: 5", "count: {'08:00': 5, '10:00': 2}"))
    assert s.agents["voice"].schedule == ((0.0, 5), (7200.0, 2))


def test_count_by_day_steps_are_checked_like_count():
    text = replaced('sat: {"09:00": 4, "13:00": 0}', 'sat: {"09:00": 4, "21:00": 0}', WEEK)
    where = at(text, '"21:00"')
    assert only(text) == (
        f"{where}: agents.voice_team.count_by_day.sat.21:00: time 21:00 is outside "
        "the horizon (the horizon runs from 08:00 to 20:00 every day; schedule times must be in "
        "[start, end))"
    )
    text = replaced("      sun: 0\n", "      sun: -1\n", WEEK)
    assert only(text) == (
        f"{at(text, 'sun: -1', '-1')}: agents.voice_team.count_by_day.sun: expected a value "
        ">= 0, found -1"
    )


def test_overtime_is_a_duration():
    text = replaced("overtime: 30m", "overtime: half an hour", WEEK)
    assert only(text).startswith(
        f"{at(text, 'half')}: agents.voice_team.overtime: expected a duration such as 45s"
    )
