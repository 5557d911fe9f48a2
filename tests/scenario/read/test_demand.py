"""The demand blocks: arrivals (one form, per-interval lists, first channels) and handle times
(by intent and channel, with a default unless every contact is covered)."""

from __future__ import annotations

import pytest
import yaml

from simulator.distributions import Exponential
from simulator.scenario import effective_dict, load_scenario_text
from tests.scenario_texts import (
    MINIMAL,
    ONE_CHANNEL,
    PROFILE,
    TWO_CHANNELS,
    WEEK,
    at,
    only,
    replaced,
)


def test_per_interval_length_must_match_the_horizon():
    text = ONE_CHANNEL.replace("rate: 600/h", "per_interval: [100, 120, 130]")
    assert only(text) == (
        "s.yaml:3:26: arrivals.per_interval: expected 8 values, one per interval, found 3 "
        "(the horizon runs from 08:00 to 12:00 in intervals of 30m, which makes 8 intervals)"
    )


def test_profile_length_must_match_the_horizon():
    text = ONE_CHANNEL.replace("rate: 600/h", "daily_total: 1000, profile: [1, 2, 3]")
    assert only(text).startswith(
        "s.yaml:3:40: arrivals.profile: expected 8 values, one per interval, found 3 ("
    )


def test_arrivals_need_exactly_one_form():
    assert only(ONE_CHANNEL.replace("rate: 600/h", "rate: 600/h, daily_total: 100")) == (
        "s.yaml:3:38: arrivals.daily_total: give only one of rate, per_interval or daily_total "
        "(found rate and daily_total)"
    )
    assert only(ONE_CHANNEL.replace("{rate: 600/h}", "{}")).startswith(
        "s.yaml:3:11: arrivals: give one of rate, per_interval or daily_total ("
    )


def test_daily_total_with_profile_over_midnight():
    s = load_scenario_text(PROFILE)
    assert s.horizon.start == 22 * 3600.0 and s.horizon.duration == 8 * 3600.0
    assert s.horizon.n_intervals == 3
    rates = s.arrivals.rates
    # weights 1:2:1 of 1000; the last interval is 2h long, not 3h
    assert rates == pytest.approx([250 / 10800, 500 / 10800, 250 / 7200])
    assert s.arrivals.expected_total(s.horizon.interval, s.horizon.duration) == pytest.approx(1000)
    sms = s.channels["sms"]
    assert sms.kind == "asynchronous" and sms.sl_threshold == 7200.0
    assert s.handle_time.default == Exponential(0.1)
    assert s.agents["night"].schedule == ((0.0, 0),)  # all agents at 0 is valid


def test_daily_total_without_profile_is_flat():
    s = load_scenario_text(MINIMAL.replace("rate: 60", "daily_total: 480"))
    assert s.arrivals.rates == (480 / 28800,)


def test_rate_forms():
    per_hour = load_scenario_text(MINIMAL.replace("rate: 60", "rate: 1/min"))
    assert per_hour.arrivals.rates == (1 / 60,)
    listed = load_scenario_text(
        MINIMAL.replace("{duration: 8h}", "{duration: 8h, interval: 4h}").replace(
            "rate: 60", "rate: [60/h, 2/min]"
        )
    )
    assert listed.arrivals.rates == (60 / 3600, 2 / 60)


def test_first_channel_shares_must_sum_to_one():
    text = TWO_CHANNELS.replace("chat: 0.5}}", "chat: 0.25}}")
    assert only(text).startswith(
        "s.yaml:6:40: arrivals.first_channel: shares sum to 0.75, expected 1"
    )


def test_first_channel_naming_unknown_channel():
    text = TWO_CHANNELS.replace("chat: 0.5}}", "chta: 0.5}}")
    assert only(text) == (
        "s.yaml:6:53: arrivals.first_channel.chta: unknown channel 'chta' (did you mean 'chat'?)"
    )


def test_first_channel_required_with_several_channels():
    text = TWO_CHANNELS.replace(", first_channel: {voice: 0.5, chat: 0.5}", "")
    message = only(text)
    assert message.startswith(
        "s.yaml:6:11: arrivals.first_channel: first_channel is required when there are several "
        "channels"
    )
    assert "first_channel: {chat: 0.5, voice: 0.5}" in message


def test_handle_time_naming_unknown_channel():
    text = ONE_CHANNEL.replace("default: 4m", "default: 4m\n  by_channel: {vioce: 3m}")
    assert only(text) == (
        "s.yaml:10:16: handle_time.by_channel.vioce: unknown channel 'vioce' "
        "(did you mean 'voice'?)"
    )


def test_handle_time_needs_a_default_unless_every_intent_has_one():
    text = TWO_CHANNELS.replace("default: 4m", "sales: 4m\n  service: {voice: 5m}")
    assert only(text) == (
        "s.yaml:14:3: handle_time.default: no handle time for intent 'service' on channel 'chat' "
        "(add default: {lognormal: {mean: 4m, sd: 3m}}, used when nothing more specific is given)"
    )


def test_unknown_handle_time_key_suggests_intents():
    text = TWO_CHANNELS.replace("default: 4m", "default: 4m\n  sevrice: 5m")
    assert only(text).startswith(
        "s.yaml:15:3: handle_time.sevrice: unknown key 'sevrice' (neither default, by_channel nor "
        "an intent) (did you mean 'service'?)"
    )


# --------------------------------------------------------------------------------------------
# Arrivals by day


def test_arrival_rates_cover_every_day_of_the_run():
    """One rate per interval of the whole run; a daily total alone keeps the block's profile, a
    named day beats its group."""
    s = load_scenario_text(WEEK)
    per_day = s.horizon.intervals_per_day
    days = [s.arrivals.rates[d * per_day : (d + 1) * per_day] for d in range(7)]
    profile = [1, 2, 3, 3, 2, 2, 2, 2, 3, 3, 2, 1]
    assert len(s.arrivals.rates) == 7 * 12
    assert days[0] == pytest.approx([1500 * w / 26 / 3600 for w in profile])  # Monday
    assert days[1] == days[4] == pytest.approx([1200 * w / 26 / 3600 for w in profile])
    assert days[5] == pytest.approx([20 / 3600] * 12) and days[6] == (0.0,) * 12
    expected = 1500 + 4 * 1200 + 20 * 12
    assert s.arrivals.expected_total(s.horizon.interval, s.horizon.duration) == pytest.approx(
        expected
    )


def test_by_day_overrides_are_read_like_the_block():
    text = replaced("    sun: {rate: 0}\n", "    sun: {per_interval: [1, 2]}\n", WEEK)
    assert only(text) == (
        f"{at(text, '[1, 2]')}: arrivals.by_day.sun.per_interval: expected 12 values, one per "
        "interval, found 2 (the horizon runs from 08:00 to 20:00 every day in intervals of 1h, "
        "which makes 12 intervals)"
    )
    text = replaced("    sun: {rate: 0}\n", "    sun: {rate: 0, first_channel: {voice: 1}}\n", WEEK)
    assert only(text) == (
        f"{at(text, 'rate: 0, first_channel', 'first_channel')}: arrivals.by_day.sun."
        "first_channel: unknown key 'first_channel' (first_channel is given once for every day, "
        "in arrivals.first_channel)"
    )
    text = replaced("    sun: {rate: 0}\n", "    sun: {}\n", WEEK)
    assert only(text).startswith(
        f"{at(text, '{}')}: arrivals.by_day.sun: give one of rate, per_interval or daily_total"
    )


UNCERTAIN = ONE_CHANNEL.replace(
    "arrivals: {rate: 600/h}",
    "arrivals:\n  rate: 600/h\n  uncertainty: {day_cv: 0.09, interval_cv: 0.05, "
    "interval_correlation: 0.7}",
)


def test_uncertainty_is_read_and_written_back_only_when_given():
    s = load_scenario_text(UNCERTAIN)
    u = s.arrivals.uncertainty
    assert (u.day_cv, u.interval_cv, u.interval_correlation) == (0.09, 0.05, 0.7)
    assert load_scenario_text(ONE_CHANNEL).arrivals.uncertainty is None
    again = load_scenario_text(yaml.safe_dump(effective_dict(s)))
    assert again.arrivals == s.arrivals
    assert "uncertainty" not in effective_dict(load_scenario_text(ONE_CHANNEL))["arrivals"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            "day_cv: 9",
            "arrivals.uncertainty.day_cv: expected a value >= 0 and <= 1, found 9",
        ),
        (
            "day_cv: -0.1",
            "arrivals.uncertainty.day_cv: expected a value >= 0 and <= 1, found -0.1",
        ),
        (
            "day_cv: 0.1, interval_correlation: 1",
            "arrivals.uncertainty.interval_correlation: expected a value > -1 and < 1, found 1",
        ),
        (
            "day_cv: 0.1, interval_correlation: 0.5",
            "arrivals.uncertainty.interval_correlation: interval_correlation means nothing "
            "without interval_cv (give interval_cv too, or drop it)",
        ),
        (
            "day_vc: 0.1",
            "arrivals.uncertainty.day_vc: unknown key 'day_vc' (did you mean 'day_cv'?)",
        ),
    ],
)
def test_bad_uncertainty_says_where_and_why(given, message):
    text = ONE_CHANNEL.replace(
        "arrivals: {rate: 600/h}", f"arrivals:\n  rate: 600/h\n  uncertainty: {{{given}}}"
    )
    found = only(text)
    assert found.startswith("s.yaml:5:") and found.split(": ", 1)[1] == message
