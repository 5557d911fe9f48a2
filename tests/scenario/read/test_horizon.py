"""The horizon block: clock or duration form, ends in order, warmup shorter than the horizon."""

from __future__ import annotations

import pytest

from simulator.distributions import Constant, Gamma, Uniform
from simulator.scenario import load_scenario_text
from tests.scenario_texts import DURATION_FORM, ONE_CHANNEL, only


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
