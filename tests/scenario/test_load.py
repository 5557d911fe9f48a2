"""Loading whole scenario files: the block table, required blocks, defaults, every problem of a
file at once in file order, and a full scenario in engine units."""

from __future__ import annotations

import inspect

import pytest

from simulator.distributions import Constant, Empirical, Exponential, Gamma, Lognormal, Uniform
from simulator.scenario import load, load_scenario, load_scenario_text
from simulator.scenario.frustration import FrustrationParams
from simulator.scenario.load import BLOCKS, READING_ORDER, reading_order
from simulator.scenario.read.block import Block
from simulator.scenario.read.values import read_text
from simulator.scenario.schema import (
    DEFAULT_SL_THRESHOLD_S,
    AgentGroup,
    Arrivals,
    Channel,
    Context,
    Horizon,
    Intent,
    Retrial,
    RoutingRule,
    Segment,
)
from tests.scenario_texts import FULL, JOURNEYS, MINIMAL, ONE_CHANNEL, TWO_CHANNELS, only, problems


def test_base_scenarios_are_valid():
    load_scenario_text(ONE_CHANNEL)
    load_scenario_text(TWO_CHANNELS)


def test_top_level_not_a_mapping():
    assert only("- scenario: t\n").startswith(
        "s.yaml:1:1: expected a mapping of blocks (scenario:, horizon:, arrivals:, ...)"
    )
    assert "found 'hello'" in only("hello\n")


def test_missing_required_block():
    text = ONE_CHANNEL.replace("arrivals: {rate: 600/h}\n", "")
    assert only(text) == (
        "s.yaml:1:1: arrivals: missing required block 'arrivals' (e.g. `arrivals: {rate: 600/h}`)"
    )


def test_several_missing_blocks():
    messages = [str(p) for p in problems("scenario: t\n")]
    assert [m.split(": ")[1] for m in messages] == [
        "horizon",
        "arrivals",
        "channels",
        "agents",
        "handle_time",
    ]


def test_problems_in_different_blocks_are_all_reported_in_file_order():
    text = ONE_CHANNEL.replace("count: 5", "count: -1").replace("rate: 600/h", "rate: fast")
    assert [p.key_path for p in problems(text)] == ["arrivals.rate", "agents.voice.count"]


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


def test_without_journey_blocks_everything_has_its_default():
    plain = JOURNEYS[: JOURNEYS.index("bots:")] + (
        "routing:\n  - to: voice_general\nagents: {voice_general: {count: 3}}\n"
        "handle_time: {default: 4m}\n"
    )
    s = load_scenario_text(plain)
    assert not s.bots and s.context == Context() and s.retrial == Retrial()
    assert s.frustration == FrustrationParams() and not s.has_journeys


def test_empty_blocks_mean_defaults_and_an_empty_retrial_block_enables_retrial():
    text = JOURNEYS[: JOURNEYS.index("\ncontext:") + 1] + "context:\nretrial:\nfrustration: {}\n"
    s = load_scenario_text(text)
    assert s.context == Context() and s.frustration == FrustrationParams()
    assert s.retrial == Retrial(enabled=True)


def test_load_scenario_from_file(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(MINIMAL)
    s = load_scenario(path)
    assert s.name == "tiny" and s.source == str(path)
    assert load_scenario(str(path)) == s


# --------------------------------------------------------------------------------------------
# The block table


def test_blocks_are_read_after_the_blocks_they_need():
    order = [block.name for block in READING_ORDER]
    assert sorted(order) == sorted(block.name for block in BLOCKS)
    for block in BLOCKS:
        for need in block.needs:
            assert order.index(need) < order.index(block.name), (block.name, need)
    assert order[-1] == "variants" and order.index("routing") > order.index("bots")


def test_a_need_that_cannot_be_read_first_is_refused():
    first = Block("first", read_text, {}, needs=("second",))
    second = Block("second", read_text, {}, needs=("first",))
    with pytest.raises(ValueError, match="block 'first' needs 'second'"):
        reading_order([first])  # no such block
    with pytest.raises(ValueError, match="cannot be read first"):
        reading_order([first, second])  # each needs the other


def test_each_reader_takes_the_values_of_the_blocks_it_needs_in_order():
    for block in BLOCKS:
        parameters = list(inspect.signature(block.read).parameters)
        assert parameters[:3] == ["reading", "node", "path"], block.name
        assert tuple(parameters[3:]) == block.needs, block.name


def test_a_new_block_is_one_block_in_the_table(monkeypatch):
    """What adding a block takes on the loader's side: build_scenario reads it, hands it the
    blocks it needs, reports its problems and suggests its name, with no other change."""
    horizons = []

    def read_notes(reading, node, path, horizon):
        horizons.append(horizon.duration)
        return read_text(reading, node, path)

    notes = Block("notes", read_notes, {}, needs=("horizon",), absent=str, into=lambda _: {})
    monkeypatch.setattr(load, "BLOCKS", (*load.BLOCKS, notes))
    monkeypatch.setattr(load, "READING_ORDER", reading_order(load.BLOCKS))
    assert load_scenario_text(MINIMAL + "notes: busy day\n") == load_scenario_text(MINIMAL)
    assert horizons == [8 * 3600.0]
    assert only(MINIMAL + "notes: [1]\n") == "s.yaml:7:8: notes: expected text, found a list"
    assert only(MINIMAL + "notse: x\n").endswith("unknown block 'notse' (did you mean 'notes'?)")
