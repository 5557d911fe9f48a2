"""The JSON Schema of the scenario language: valid, complete enough to accept real scenarios,
strict about unknown keys, and in agreement with what the readers accept."""

from __future__ import annotations

import json

import pytest
import yaml

from simulator.scenario import effective_dict, json_schema, load_scenario, load_scenario_text
from tests.paths import SCENARIOS
from tests.scenario_texts import FULL, JOURNEYS, replaced


@pytest.fixture(scope="module")
def scenario():
    """The JOURNEYS text, loaded."""
    return load_scenario_text(JOURNEYS, "journeys.yaml")


jsonschema = pytest.importorskip("jsonschema")


LONG_RUN = """\
scenario: long-run
horizon: {duration: 200h, interval: 50h}
arrivals: {daily_total: 1000, profile: [1, 2, 3, 4]}
channels: {chat: {patience: none}}
agents: {team: {skills: chat, count: {0h: 3, 2h: 5}, wrap_up: {gamma: {shape: 2, scale: 15s}}}}
handle_time: {default: {constant: 3m}}
"""


def as_json(text: str) -> object:
    """What an editor's YAML language server would validate: the document as JSON data."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


@pytest.fixture(scope="module")
def validator():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def messages(validator, data) -> list[str]:
    return [error.message for error in validator.iter_errors(data)]


def test_schema_is_valid_draft_2020_12():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    json.dumps(schema)  # plain JSON data


def test_schema_has_descriptions_and_defaults():
    props = json_schema()["properties"]
    assert all("description" in p for p in props.values())
    assert props["seed"]["default"] == 1
    assert props["horizon"]["properties"]["drain"]["default"] == "4h"
    group = props["agents"]["additionalProperties"]["properties"]
    assert group["concurrency"]["default"] == 1 and group["empathy"]["default"] == 0.5


def test_json_schema_returns_a_fresh_copy():
    json_schema()["properties"].clear()
    assert "horizon" in json_schema()["properties"]


@pytest.mark.parametrize("text", [FULL, LONG_RUN], ids=["full", "duration_form"])
def test_scenarios_validate(validator, text):
    load_scenario_text(text)  # they are valid scenarios ...
    assert messages(validator, as_json(text)) == []  # ... and the schema agrees


@pytest.mark.parametrize("text", [FULL, LONG_RUN], ids=["full", "duration_form"])
def test_effective_scenarios_validate(validator, text):
    assert messages(validator, effective_dict(load_scenario_text(text))) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    lines: 200", "    linez: 200"),  # channel
        ("seed: 7", "sede: 7"),  # top level
        ("    concurrency: 3", "    concurency: 3"),  # agent group
        ("{exponential: {mean: 6m}}", "{exponential: {mean: 6m, sd: 1m}}"),  # distribution
        ("  interval: 30m", "  intervall: 30m"),  # horizon
        ("  - to: email", "  - to: email\n    priorty: 2"),  # routing rule
    ],
)
def test_unknown_keys_are_rejected(validator, old, new):
    text = FULL.replace(old, new)
    assert text != FULL
    found = messages(validator, as_json(text))
    assert found, "the schema should reject an unknown key"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("rate: 600/h", "rate: six hundred"),
        ("count: 10", "count: -1"),
        ("kind: synchronous", "kind: sync"),
        ('  start: "08:00"\n', "  duration: 12h\n"),  # both horizon forms
        ("  email: {}", "  email: {kind: asynchronous, patience: 3m}"),
    ],
)
def test_bad_values_are_rejected(validator, old, new):
    text = FULL.replace(old, new)
    assert text != FULL
    assert messages(validator, as_json(text))


BUNDLED = sorted(SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_bundled_scenarios_load_validate_and_round_trip(validator, path):
    scenario = load_scenario(path)
    assert messages(validator, as_json(path.read_text())) == []
    effective = effective_dict(scenario)
    assert messages(validator, effective) == []
    again = load_scenario_text(yaml.safe_dump(effective), str(path))
    assert again == scenario


def test_schema_accepts_the_journey_scenario_and_its_effective_form(validator, scenario):
    data = json.loads(json.dumps(yaml.safe_load(JOURNEYS), default=str))
    assert [e.message for e in validator.iter_errors(data)] == []
    assert [e.message for e in validator.iter_errors(effective_dict(scenario))] == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    redirect: voice\n", "    redirect: voice\n    to: voice_general\n"),
        ("    redirect: voice\n", "    redirect: voice\n    callback: {threshold: 1m}\n"),
        ("  repeat: 15\n", "  repaet: 15\n"),
        ("  wait_fast: 8\n", "  wait_fast: -8\n"),
        ("    max_turns: 2\n", "    max_turns: 0\n"),
        ("on_failure: {redirect: chat,", "on_failure: {redirect: chat, to: billing,"),
        ("  transfer: false\n", "  transfer: no way\n"),
        ("  max_contacts: 3\n", "  max_contacts: 3\n  retries: 2\n"),
    ],
)
def test_schema_rejects_bad_journey_blocks(validator, old, new):
    data = json.loads(json.dumps(yaml.safe_load(replaced(old, new)), default=str))
    assert list(validator.iter_errors(data))
