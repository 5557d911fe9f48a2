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


def test_a_whole_number_beyond_any_float_is_refused_not_a_traceback():
    """YAML reads 400 digits as a Python int, which no float can hold (issue #16)."""
    huge = "1" + "0" * 400
    text = ONE_CHANNEL.replace("{count: 5}", f"{{count: 5, shrinkage: {huge}}}")
    assert only(text) == (
        "s.yaml:7:32: agents.voice.shrinkage: expected a number between -1e15 and 1e15, found "
        "100000000000000000000000000000000000000000000000000000000... (401 characters) "
        "(a number this large is a slip)"
    )
    assert "agents.voice.count: expected a number between" in only(
        ONE_CHANNEL.replace("count: 5", f"count: {huge}")
    )
    assert "handle_time.default: expected a finite duration" in only(
        ONE_CHANNEL.replace("default: 4m", f"default: {huge}")
    )
    assert "arrivals.rate: expected a finite rate" in only(
        ONE_CHANNEL.replace("rate: 600/h", f"rate: {huge}")
    )


def test_a_float_beyond_the_largest_is_infinite_and_refused():
    text = ONE_CHANNEL.replace("{count: 5}", "{count: 5, shrinkage: 1.0e+400}")
    assert only(text) == (
        "s.yaml:7:32: agents.voice.shrinkage: expected a finite number, found 1.0e+400"
    )


def test_a_huge_concurrency_is_refused():
    text = ONE_CHANNEL.replace("{count: 5}", "{count: 5, concurrency: 100000000000000000000}")
    assert only(text).startswith(
        "s.yaml:7:34: agents.voice.concurrency: expected a number between -1e15 and 1e15"
    )


def test_a_duration_below_the_shortest_is_refused():
    """``sd: 0.000000001m`` used to validate, simulate, and then fail to write the effective
    scenario (``6e-08s`` did not parse back), losing the run."""
    text = ONE_CHANNEL.replace("default: 4m", "default: {lognormal: {mean: 4m, sd: 0.000000001m}}")
    assert only(text) == (
        "s.yaml:9:39: handle_time.default.lognormal.sd: a duration of '0.000000001m' is below "
        "the shortest duration, 0.001s (0 is allowed) "
        "(set CXSIM_MIN_DURATION to a smaller value to allow it)"
    )


def test_zero_and_the_shortest_duration_are_allowed():
    from simulator.scenario import load_scenario_text

    text = ONE_CHANNEL.replace("default: 4m", "default: {lognormal: {mean: 4m, sd: 1ms}}")
    assert load_scenario_text(text).handle_time.default.sd == 0.001
    text = ONE_CHANNEL.replace("default: 4m", "default: {lognormal: {mean: 4m, sd: 0s}}")
    assert load_scenario_text(text).handle_time.default.sd == 0.0


def test_the_shortest_duration_can_be_lowered(monkeypatch):
    from simulator.scenario import load_scenario_text

    monkeypatch.setenv("CXSIM_MIN_DURATION", "0")
    text = ONE_CHANNEL.replace("default: 4m", "default: {lognormal: {mean: 4m, sd: 0.000000001m}}")
    assert load_scenario_text(text).handle_time.default.sd == 0.000000001 * 60


def test_a_duration_beyond_the_longest_is_refused():
    text = ONE_CHANNEL.replace("default: 4m", "default: 400d")
    assert only(text) == (
        "s.yaml:9:12: handle_time.default: a duration of '400d' is beyond the longest, "
        "8784h (set CXSIM_MAX_DURATION to a larger value to allow it)"
    )


def test_a_very_long_value_is_shown_by_its_start():
    text = ONE_CHANNEL.replace("count: 5", "count: " + "x" * 5000)
    assert only(text) == (
        "s.yaml:7:18: agents.voice.count: expected a whole number, found "
        "'" + "x" * 56 + "... (5,002 characters)"
    )
