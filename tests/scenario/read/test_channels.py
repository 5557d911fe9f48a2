"""The channels block: at least one channel, what only synchronous channels may have, and
promises counted in business hours."""

from __future__ import annotations

import pytest

from simulator.scenario import load_scenario_text
from tests.scenario_texts import ONE_CHANNEL, WEEK, at, only, replaced


def test_at_least_one_channel():
    text = ONE_CHANNEL.replace("channels:\n  voice: {}", "channels: {}")
    assert only(text).startswith("s.yaml:4:11: channels: expected at least one of the channels")


def test_asynchronous_channel_with_patience():
    text = ONE_CHANNEL.replace("voice: {}", "voice: {kind: asynchronous, patience: 3m}")
    assert only(text) == (
        "s.yaml:5:41: channels.voice.patience: patience applies only to synchronous channels; "
        "'voice' is asynchronous (its contacts wait in a backlog and never abandon) "
        "(remove it, or set kind: synchronous)"
    )


def test_asynchronous_by_name_with_patience():
    text = ONE_CHANNEL.replace("voice: {}", "email: {patience: {exponential: {mean: 1h}}}").replace(
        "voice: {count: 5}", "email: {count: 5}"
    )
    assert only(text).startswith("s.yaml:5:21: channels.email.patience: patience applies only")
    assert load_scenario_text(text.replace("{exponential: {mean: 1h}}", "none"))


def test_lines_on_an_asynchronous_channel():
    text = ONE_CHANNEL.replace("voice: {}", "voice: {kind: asynchronous, lines: 3}")
    assert only(text).startswith(
        "s.yaml:5:38: channels.voice.lines: lines (trunk capacity) applies only to synchronous"
    )


def test_unknown_channel_kind():
    text = ONE_CHANNEL.replace("voice: {}", "voice: {kind: sync}")
    assert only(text) == (
        "s.yaml:5:17: channels.voice.kind: expected one of synchronous, asynchronous, found 'sync' "
        "(allowed values: synchronous, asynchronous)"
    )


def test_business_hours_promise():
    s = load_scenario_text(WEEK)
    assert s.channels["email"].sl_business_hours and s.channels["email"].sl_threshold == 8 * 3600
    plain = load_scenario_text(replaced("{within: 8h, business_hours: true}", "{within: 8h}", WEEK))
    assert not plain.channels["email"].sl_business_hours
    assert plain.channels["email"].sl_threshold == 8 * 3600


@pytest.mark.parametrize(
    ("old", "new", "part", "message"),
    [
        (
            "{within: 8h, business_hours: true}",
            "{within: 20m, business_hours: true}",
            "20m",
            "channels.email.service_level.within: a promise of 20m in business hours is shorter "
            "than one interval (1h) (business hours are counted against whole intervals; promise "
            "at least 1h, or count calendar time (business_hours: false))",
        ),
        (
            "{within: 8h, business_hours: true}",
            "{business_hours: true}",
            "{business_hours",
            "channels.email.service_level.within: missing required key 'within' (e.g. "
            "service_level: {within: 8h, business_hours: true})",
        ),
        (
            "    patience: {exponential: {mean: 5m}}\n",
            "    patience: {exponential: {mean: 5m}}\n"
            "    service_level: {within: 1h, business_hours: true}\n",
            "{within: 1h",
            "channels.voice.service_level: business_hours applies only to asynchronous channels; "
            "'voice' is synchronous (its contacts are closed at closing time, so their waits are "
            "all in open hours) (remove business_hours)",
        ),
    ],
)
def test_bad_service_levels(old, new, part, message):
    text = replaced(old, new, WEEK)
    assert only(text) == f"{at(text, part)}: {message}"
