"""The agents block: schedules inside the horizon, resolution by intent, transfers to skills."""

from __future__ import annotations

import pytest

from simulator.scenario import load_scenario_text
from simulator.scenario.schema import Transfer
from tests.scenario_texts import JOURNEYS, ONE_CHANNEL, TWO_CHANNELS, at, only, problems, replaced


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
