"""Loading scenario files into Scenario objects, defaults, and the effective round trip."""

from __future__ import annotations

import dataclasses
import math

import pytest
import yaml

from simulator.distributions import Constant, Empirical, Exponential, Gamma, Lognormal, Uniform
from simulator.scenario import effective_dict, load_scenario, load_scenario_text
from simulator.scenario.schema import (
    DEFAULT_SL_THRESHOLD_S,
    AgentGroup,
    Arrivals,
    Channel,
    Horizon,
    Intent,
    RoutingRule,
    Segment,
)
from tests.scenario_texts import FULL

MINIMAL = """\
scenario: tiny
horizon: {duration: 8h}
arrivals: {rate: 60}
channels: {voice: {}}
agents: {voice: {count: 2}}
handle_time: {default: 4m}
"""

DURATION_FORM = """\
scenario: long-run
horizon: {duration: 200h, interval: 50h, warmup: 10h, drain: 0s}
customers:
  intents: {sales: 0.5, service: 0.5}
arrivals:
  per_interval: [100, 200, 300, 400]
channels:
  chat: {patience: none, lines: 12}
agents:
  team:
    skills: chat
    count: {2h: 5, 0h: 3, 100h: 0}
    wrap_up: {gamma: {shape: 2, scale: 15s}}
handle_time:
  sales: {constant: 3m}
  service: {chat: {uniform: {low: 1m, high: 9m}}}
  by_channel: {chat: 5m}
"""

PROFILE = """\
scenario: profiled
horizon: {start: "22:00", end: "30:00", interval: 3h}
arrivals: {daily_total: 1000, profile: [1, 2, 1]}
channels: {sms: {expected_response: 2h}}
agents: {night: {skills: [sms], count: 0}}
handle_time: {default: {exponential: {mean: 100ms}}}
"""


def test_full_scenario_converts_to_engine_units():
    s = load_scenario_text(FULL, "full.yaml")
    assert s.name == "retail-bank"
    assert s.description == "A retail bank on a Monday"
    assert s.seed == 7
    assert s.source == "full.yaml"
    assert s.horizon == Horizon(
        duration=12 * 3600.0,
        interval=1800.0,
        start=8 * 3600.0,
        warmup=1800.0,
        drain=7200.0,
        clock=True,
        date="2026-11-23",
    )
    assert s.horizon.n_intervals == 24
    # named entries are stored in name order (key order never changes results)
    assert s.segments == (
        Segment("branch", 0.55),
        Segment("digital", 0.45, patience_scale=0.7, reach=825.0),
    )
    assert s.intents == (
        Intent("billing_dispute", 0.15),
        Intent("card_lost", 0.25),
        Intent("general", 0.6),
    )
    assert s.arrivals.rates == (600 / 3600,) * 24
    assert s.arrivals.first_channel == (("chat", 0.3), ("email", 0.2), ("voice", 0.5))
    assert s.arrivals.expected_total(s.horizon.interval, s.horizon.duration) == pytest.approx(7200)


def test_full_scenario_channels():
    s = load_scenario_text(FULL)
    assert list(s.channels) == ["chat", "email", "voice"]
    assert s.channels["voice"] == Channel(
        "voice", "synchronous", 60.0, Exponential(360.0), lines=200, sl_threshold=20.0
    )
    assert s.channels["chat"] == Channel(
        "chat", "synchronous", 120.0, Lognormal(600.0, 300.0), sl_threshold=DEFAULT_SL_THRESHOLD_S
    )
    email = s.channels["email"]  # asynchronous by name; SL threshold = expected response
    assert (email.kind, email.expected_response, email.sl_threshold) == (
        "asynchronous",
        86400.0,
        86400.0,
    )
    assert email.patience is None and email.lines is None


def test_full_scenario_agents_and_schedules():
    s = load_scenario_text(FULL)
    voice = s.agents["voice_team"]
    assert voice.skills == ("voice", "billing")
    assert voice.schedule == ((0.0, 12), (6 * 3600.0, 9), (10.5 * 3600.0, 4))
    assert voice.shrinkage == 0.3 and voice.on_phones(10) == 7
    assert voice.wrap_up == Constant(30.0)
    assert voice.concurrency == 1 and voice.empathy == 0.5
    chat = s.agents["chat_support"]
    assert chat == AgentGroup(
        "chat_support", ("chat_support",), ((0.0, 10),), concurrency=3, empathy=0.7
    )
    back = s.agents["back_office"]
    assert back.schedule == ((0.0, 0), (7200.0, 3))  # a zero step is prepended before 10:00
    assert back.heads_at(3600) == 0 and back.heads_at(7200) == 3
    assert back.wrap_up == Uniform(10.0, 60.0)


def test_full_scenario_handle_times_and_routing():
    s = load_scenario_text(FULL)
    ht = s.handle_time
    assert ht.for_contact("card_lost", "voice") == Lognormal(240.0, 180.0)
    assert ht.for_contact("card_lost", "chat") == Lognormal(480.0, 300.0)
    gamma = ht.for_contact("billing_dispute", "chat")
    assert isinstance(gamma, Gamma) and gamma.mean == pytest.approx(540.0)
    assert gamma.shape == pytest.approx(2.25) and gamma.scale == pytest.approx(240.0)
    assert ht.for_contact("general", "voice") == Empirical((180.0, 240.0, 300.0))
    assert ht.for_contact("general", "email") == Exponential(420.0)
    assert ht.for_contact("general", "chat") == Constant(300.0)

    assert s.routing[0] == RoutingRule(
        "billing",
        channels=frozenset({"voice"}),
        intents=frozenset({"billing_dispute"}),
        segments=frozenset({"digital"}),
        priority=1,
    )
    assert s.routing[-1] == RoutingRule("email")
    assert s.route("voice", "billing_dispute", "digital").to == "billing"
    assert s.route("voice", "billing_dispute", "branch").to == "voice"
    assert s.route("chat", "general", "branch").to == "chat_support"
    assert s.route("email", "card_lost", "digital").to == "email"
    assert s.skills == ("billing", "voice", "chat_support", "email")


def test_minimal_scenario_gets_defaults():
    s = load_scenario_text(MINIMAL)
    assert s.description == "" and s.seed == 1
    assert s.horizon == Horizon(duration=8 * 3600.0, interval=8 * 3600.0)
    assert not s.horizon.clock and s.horizon.drain == 4 * 3600.0
    assert s.segments == (Segment("all", 1.0),)
    assert s.intents == (Intent("general", 1.0),)
    assert s.arrivals == Arrivals(rates=(60 / 3600,), first_channel=(("voice", 1.0),))
    voice = s.channels["voice"]
    assert (voice.kind, voice.expected_response, voice.patience, voice.lines) == (
        "synchronous",
        60.0,
        None,
        None,
    )
    assert voice.sl_threshold == DEFAULT_SL_THRESHOLD_S
    assert s.agents["voice"] == AgentGroup("voice", ("voice",), ((0.0, 2),))
    assert s.handle_time.default == Constant(240.0)
    assert s.routing == (RoutingRule("voice", channels=frozenset({"voice"})),)


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


def test_bare_numbers_and_single_segment_without_share():
    text = MINIMAL + "customers:\n  segments:\n    everyone: {patience_scale: 2}\n"
    s = load_scenario_text(text)
    assert s.segments == (Segment("everyone", 1.0, patience_scale=2.0),)


def test_yaml_anchors_and_merge_keys_work():
    text = """\
scenario: anchors
horizon: {duration: 8h}
arrivals: {rate: 60/h}
channels: {voice: {}}
agents:
  day: &base {skills: [voice], count: 4, shrinkage: 0.25}
  night: {<<: *base, count: 1}
handle_time: {default: 4m}
"""
    s = load_scenario_text(text)
    assert s.agents["night"].shrinkage == 0.25 and s.agents["night"].schedule == ((0.0, 1),)
    assert s.agents["day"].schedule == ((0.0, 4),)


def test_load_scenario_from_file(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(MINIMAL)
    s = load_scenario(path)
    assert s.name == "tiny" and s.source == str(path)
    assert load_scenario(str(path)) == s


def test_scenario_is_immutable():
    s = load_scenario_text(FULL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.name = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.horizon.duration = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.channels["fax"] = s.channels["voice"]  # type: ignore[index]
    with pytest.raises(TypeError):
        s.handle_time.by_intent["x"] = Constant(1.0)  # type: ignore[index]
    assert isinstance(s.routing, tuple) and isinstance(s.agents["voice_team"].schedule, tuple)


ROUND_TRIP = {
    "full": FULL,
    "minimal": MINIMAL,
    "duration_form": DURATION_FORM,
    "profile": PROFILE,
    "odd_numbers": MINIMAL.replace("rate: 60", "rate: 7.3/min").replace(
        "default: 4m", "default: {lognormal: {mean: 0.1h, sd: 1.234s}}"
    ),
}


@pytest.mark.parametrize("name", sorted(ROUND_TRIP))
@pytest.mark.parametrize("sort_keys", [True, False])
def test_effective_dict_round_trip(name, sort_keys):
    s = load_scenario_text(ROUND_TRIP[name], f"{name}.yaml")
    effective = effective_dict(s)
    again = load_scenario_text(yaml.safe_dump(effective, sort_keys=sort_keys), "effective.yaml")
    assert again == dataclasses.replace(s, source="effective.yaml")
    assert effective_dict(again) == effective


def test_effective_dict_shows_defaults_in_the_language():
    d = effective_dict(load_scenario_text(MINIMAL))
    assert d["seed"] == 1 and d["description"] == ""
    assert d["horizon"] == {"duration": "8h", "interval": "8h", "warmup": "0s", "drain": "4h"}
    assert d["customers"] == {
        "segments": {
            "all": {
                "share": 1.0,
                "patience_scale": 1.0,
                "reach": 0.0,
                "sensitivity": 1.0,
                "churn_base": 0.01,
                "churn_max": 0.3,
            }
        },
        "intents": {"general": {"share": 1.0}},
    }
    assert d["arrivals"] == {"rate": "60/h", "first_channel": {"voice": 1.0}}
    assert d["channels"]["voice"] == {
        "kind": "synchronous",
        "expected_response": "1m",
        "patience": "none",
        "service_level": "20s",
    }
    assert d["agents"]["voice"]["count"] == 2 and d["agents"]["voice"]["wrap_up"] == "0s"
    assert d["routing"] == [{"when": {"channel": ["voice"]}, "to": "voice", "priority": 0}]
    assert d["agents"]["voice"]["resolves"] == {"default": 1.0}
    assert "bots" not in d and "transfers" not in d["agents"]["voice"]
    assert d["context"] == {
        "shared_record": False,
        "carried_switches": [],
        "re_explain": {"lognormal": {"mean": "1m30s", "sd": "1m"}},
    }
    assert d["retrial"]["enabled"] is False
    assert d["retrial"]["delay"] == {"exponential": {"mean": "30m"}}
    assert d["frustration"]["repeat"] == 20.0


def test_effective_dict_of_full_scenario_keeps_clock_schedules():
    d = effective_dict(load_scenario_text(FULL))
    assert d["horizon"]["start"] == "08:00" and d["horizon"]["end"] == "20:00"
    assert d["agents"]["voice_team"]["count"] == {"08:00": 12, "14:00": 9, "18:30": 4}
    assert d["handle_time"]["general"]["voice"] == {"empirical": ["3m", "4m", "5m"]}
    assert math.isclose(d["handle_time"]["billing_dispute"]["gamma"]["shape"], 2.25)
