"""Value readers: numbers, whole numbers, ranges, durations, rates and clock times, each problem
saying what was expected and what was found."""

from __future__ import annotations

from tests.scenario_texts import ONE_CHANNEL, only


def test_wrong_type():
    text = ONE_CHANNEL.replace("count: 5", "count: ten")
    assert only(text) == "s.yaml:7:18: agents.voice.count: expected a whole number, found 'ten'"


def test_wrong_type_for_a_number():
    text = ONE_CHANNEL.replace("{count: 5}", "{count: 5, shrinkage: lots}")
    assert only(text) == "s.yaml:7:32: agents.voice.shrinkage: expected a number, found 'lots'"


def test_value_out_of_range():
    text = ONE_CHANNEL.replace("{count: 5}", "{count: 5, shrinkage: 1}")
    assert (
        only(text) == "s.yaml:7:32: agents.voice.shrinkage: expected a value >= 0 and < 1, found 1"
    )
    assert "found -2" in only(ONE_CHANNEL.replace("scenario: t", "scenario: t\nseed: -2"))


def test_negative_rate():
    text = ONE_CHANNEL.replace("rate: 600/h", "rate: -600/h")
    assert only(text).startswith(
        "s.yaml:3:18: arrivals.rate: a rate cannot be negative, found '-600/h' ("
    )


def test_negative_duration():
    text = ONE_CHANNEL.replace("default: 4m", "default: -4m")
    assert only(text).startswith(
        "s.yaml:9:12: handle_time.default: a duration cannot be negative, found '-4m' ("
    )
    text = ONE_CHANNEL.replace("voice: {}", "voice: {service_level: -20}")
    assert only(text).startswith(
        "s.yaml:5:26: channels.voice.service_level: a duration cannot be negative, found -20"
    )


def test_bad_duration_text():
    text = ONE_CHANNEL.replace("default: 4m", "default: 4 minutes")
    message = only(text)
    assert message.startswith("s.yaml:9:12: handle_time.default: expected a duration such as 45s")
    assert "units are ms, s, m, h, d" in message


def test_clock_time_must_look_like_one():
    text = ONE_CHANNEL.replace('start: "08:00"', "start: 8")
    assert only(text) == (
        "s.yaml:2:18: horizon.start: expected a clock time such as 08:00, found 8 "
        "(write clock times as HH:MM, e.g. '08:00')"
    )
