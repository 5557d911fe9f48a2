"""The ``costs:`` block: money per run, validated with file:line:col, round-tripped, overlaid."""

from __future__ import annotations

import json

import pytest
import yaml

from simulator.scenario import (
    ScenarioError,
    effective_dict,
    json_schema,
    load_scenario_text,
    load_variant_text,
)
from simulator.scenario.schema import Costs

# Line numbers in the tests refer to this layout (BASE is lines 1-13, costs from line 14).
BASE = """\
scenario: t
horizon: {start: "08:00", end: "12:00"}
arrivals: {rate: 600/h, first_channel: {voice: 0.5, chat: 0.5}}
channels:
  voice: {}
  chat: {}
agents:
  voice: {count: 5}
  billing: {skills: [chat], count: 3}
handle_time:
  default: 4m
routing:
  - {when: {channel: voice}, to: voice}
  - {when: {channel: chat}, to: chat}
"""

COSTS = (
    BASE
    + """\
costs:
  agent_hour: 32
  agent_hour_by_group: {billing: 38}
  bot_session: 0.4
  platform_per_day: 900
  lifetime_value: 1400
  word_of_mouth_value: 0.5
"""
)


def problems(text: str, source: str = "s.yaml") -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, source)
    return [str(p) for p in info.value.problems]


def test_costs_load() -> None:
    c = load_scenario_text(COSTS).costs
    assert c == Costs(
        agent_hour=32.0,
        agent_hour_by_group={"billing": 38.0},
        bot_session=0.4,
        platform_per_day=900.0,
        lifetime_value=1400.0,
        word_of_mouth_value=0.5,
    )
    assert isinstance(c.agent_hour, float)
    assert c.hourly("billing") == 38.0
    assert c.hourly("voice") == 32.0


def test_defaults() -> None:
    assert load_scenario_text(BASE).costs == Costs()
    assert load_scenario_text(BASE + "costs:\n").costs == Costs()
    assert load_scenario_text(BASE + "costs: {}\n").costs == Costs()
    partial = load_scenario_text(BASE + "costs: {platform_per_day: 900}\n").costs
    assert partial == Costs(platform_per_day=900.0)


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (
            "costs: {agent_hour: -1}\n",
            "s.yaml:15:21: costs.agent_hour: expected a value >= 0, found -1",
        ),
        (
            "costs: {bot_session: cheap}\n",
            "s.yaml:15:22: costs.bot_session: expected an amount of money (a number >= 0), "
            "found 'cheap'",
        ),
        (
            "costs: {lifetime_value: true}\n",
            "s.yaml:15:25: costs.lifetime_value: expected an amount of money (a number >= 0), "
            "found true (a yes/no value)",
        ),
        (
            "costs: {platform_per_dya: 900}\n",
            "s.yaml:15:9: costs.platform_per_dya: unknown key 'platform_per_dya' "
            "(did you mean 'platform_per_day'?)",
        ),
        (
            "costs:\n  agent_hour_by_group: {biling: 38}\n",
            "s.yaml:16:25: costs.agent_hour_by_group.biling: unknown agent group 'biling' "
            "(did you mean 'billing'?)",
        ),
        (
            "costs:\n  agent_hour_by_group: {billing: -5}\n",
            "s.yaml:16:34: costs.agent_hour_by_group.billing: expected a value >= 0, found -5",
        ),
        (
            "costs:\n  agent_hour_by_group: 38\n",
            "s.yaml:16:24: costs.agent_hour_by_group: expected a mapping of agent groups, found 38",
        ),
        (
            "costs: 12\n",
            "s.yaml:15:8: costs: expected a mapping with keys agent_hour, agent_hour_by_group, "
            "bot_session, platform_per_day, lifetime_value, word_of_mouth_value, "
            "overtime_multiplier, found 12",
        ),
    ],
)
def test_errors(tail: str, expected: str) -> None:
    assert problems(BASE + tail) == [expected]


def test_independent_errors_are_all_reported() -> None:
    text = BASE + "costs:\n  agent_hour: -1\n  agent_hour_by_group: {voice: x, nobody: 3}\n"
    found = problems(text)
    assert len(found) == 3, found
    assert found[0].startswith("s.yaml:16:15: costs.agent_hour:")
    assert found[1].startswith("s.yaml:17:32: costs.agent_hour_by_group.voice:")
    assert found[2].startswith("s.yaml:17:35: costs.agent_hour_by_group.nobody: unknown agent")


def test_broken_agents_block_is_not_blamed_on_costs() -> None:
    text = BASE.replace("voice: {count: 5}", "voice: {count: -5}") + (
        "costs: {agent_hour_by_group: {voice: 30}}\n"
    )
    found = problems(text)
    assert len(found) == 1 and "agents.voice.count" in found[0], found


def test_round_trip() -> None:
    for text in (BASE, COSTS):
        s = load_scenario_text(text)
        eff = effective_dict(s)
        assert set(eff["costs"]) == {
            "agent_hour",
            "agent_hour_by_group",
            "bot_session",
            "platform_per_day",
            "lifetime_value",
            "word_of_mouth_value",
        }
        assert load_scenario_text(yaml.safe_dump(eff), s.source) == s
    assert effective_dict(load_scenario_text(COSTS))["costs"]["agent_hour_by_group"] == {
        "billing": 38.0
    }


def test_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    block = schema["properties"]["costs"]
    assert block["description"]
    for name, prop in block["properties"].items():
        assert prop["description"], name
        assert "default" in prop, name
    validator = jsonschema.Draft202012Validator(schema)
    data = json.loads(json.dumps(yaml.safe_load(COSTS)))
    assert list(validator.iter_errors(data)) == []
    assert list(validator.iter_errors(effective_dict(load_scenario_text(COSTS)))) == []
    bad = dict(data, costs={"agent_hour": -1, "agent_houR": 3})
    assert len(list(validator.iter_errors(bad))) == 2


def test_variant_overlay() -> None:
    text = COSTS + "variants:\n  pricey:\n    costs.platform_per_day: 1200\n"
    base = load_scenario_text(text)
    v = load_variant_text(text, "pricey")
    assert base.costs.platform_per_day == 900.0
    assert v.costs.platform_per_day == 1200.0
    assert v.costs.agent_hour_by_group == {"billing": 38.0}
    # Without a costs: block in the base, the overlay creates it.
    plain = BASE + "variants:\n  priced:\n    costs.platform_per_day: 900\n"
    assert load_scenario_text(plain).costs == Costs()
    assert load_variant_text(plain, "priced").costs == Costs(platform_per_day=900.0)
    # A bad overlay value is reported at its own position, prefixed with the variant.
    bad = BASE + "variants:\n  broken:\n    costs.agent_hour: -3\n"
    with pytest.raises(ScenarioError) as info:
        load_variant_text(bad, "broken", "s.yaml")
    assert [str(p) for p in info.value.problems] == [
        "s.yaml:17:23: variants.broken: costs.agent_hour: expected a value >= 0, found -3"
    ]
