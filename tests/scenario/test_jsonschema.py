"""The JSON Schema of the scenario language: valid, complete enough to accept real scenarios,
strict about unknown keys, and in agreement with what the readers accept."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from simulator.distributions import DISTRIBUTION_KINDS
from simulator.scenario import (
    effective_dict,
    json_schema,
    load_scenario,
    load_scenario_text,
    load_variants_text,
)
from simulator.scenario.read.context import Fields
from tests.paths import SCENARIOS
from tests.scenario_texts import (
    DURATION_FORM,
    FULL,
    JOURNEYS,
    MINIMAL,
    ONE_CHANNEL,
    PROFILE,
    SHIFTS,
    TWO_CHANNELS,
    WEEK,
    replaced,
)


@pytest.fixture(scope="module")
def scenario():
    """The JOURNEYS text, loaded."""
    return load_scenario_text(JOURNEYS, "journeys.yaml")


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
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def messages(validator, data) -> list[str]:
    return [error.message for error in validator.iter_errors(data)]


def test_schema_is_valid_draft_2020_12():
    jsonschema = pytest.importorskip("jsonschema")
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


@pytest.mark.parametrize("text", [FULL, LONG_RUN, WEEK], ids=["full", "duration_form", "week"])
def test_scenarios_validate(validator, text):
    load_scenario_text(text)  # they are valid scenarios ...
    assert messages(validator, as_json(text)) == []  # ... and the schema agrees


@pytest.mark.parametrize("text", [FULL, LONG_RUN, WEEK], ids=["full", "duration_form", "week"])
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


# --------------------------------------------------------------------------------------------
# The schema and the readers accept the same keys, at every path
#
# The readers are watched as they load real scenarios: every closed mapping they read
# (read_fields) is recorded with its key path and the keys it accepts. The schema is then
# walked along that same path, and the closed objects found there must list exactly those keys.
# Conversely every closed object of the schema must have been reached by some reader.


CORPUS = [
    FULL,
    JOURNEYS,
    MINIMAL,
    DURATION_FORM,
    PROFILE,
    LONG_RUN,
    ONE_CHANNEL,
    TWO_CHANNELS,
    WEEK,
    SHIFTS,
    # The uncertainty of arrivals (arrivals.uncertainty), which no bundled scenario declares.
    ONE_CHANNEL.replace(
        "arrivals: {rate: 600/h}",
        "arrivals: {rate: 600/h, uncertainty: {day_cv: 0.09, interval_cv: 0.05, "
        "interval_correlation: 0.7}}",
    ),
]
#: The costs block and the option mappings no other corpus text has.
OPTIONS = ONE_CHANNEL + (
    "customers: {intents: {only: {share: 1}}}\n"
    "costs: {agent_hour: 30, agent_hour_by_group: {voice: 32}}\n"
    "routing:\n"
    "  - {when: {channel: voice}, to: voice, overflow: {after: 1m, to: voice}, "
    "callback: {threshold: 2m}}\n"
    "frustration: {angry: 60}\n"
)


def corpus_texts() -> list[str]:
    """The texts above, the bundled scenarios, and all their effective forms (which write
    every default, gamma by shape and scale, and rates per interval)."""
    texts = [*CORPUS, OPTIONS, *(path.read_text() for path in BUNDLED)]
    effective = [yaml.safe_dump(effective_dict(load_scenario_text(text))) for text in texts]
    return texts + effective


@pytest.fixture(scope="module")
def mappings_read() -> dict[str, set[str]]:
    """Key path -> the keys its reader accepts, for every closed mapping read in the corpus."""
    seen: dict[str, set[str]] = {}
    original = Fields.__init__

    def recording(self: Fields, reading, node, path, values, allowed) -> None:
        seen.setdefault(path, set()).update(allowed)
        original(self, reading, node, path, values, allowed)

    texts = corpus_texts()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Fields, "__init__", recording)
        for text in texts:
            load_scenario_text(text)
            load_variants_text(text)
    return seen


def path_steps(path: str) -> list[str | int]:
    """``routing[2].when.channel`` -> ["routing", 2, "when", "channel"]."""
    steps: list[str | int] = []
    for part in path.split(".") if path else []:
        name, *indexes = part.split("[")
        if name:
            steps.append(name)
        steps.extend(int(i.rstrip("]")) for i in indexes)
    return steps


def alternatives(schema: Any, root: dict) -> list[dict]:
    """``schema`` and, recursively, every branch of its anyOf / oneOf / allOf, $refs resolved."""
    if not isinstance(schema, dict):
        return []
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].removeprefix("#/$defs/")]
    out = [schema]
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            out.extend(alternatives(branch, root))
    return out


def schemas_at(root: dict, path: str) -> list[dict]:
    """Every schema that may apply at ``path`` (all branches). A key that some branch names
    (``gamma`` of a distribution) is read by that branch, not by one that takes any name (an
    intent's per-channel handle times), as the reader decides."""
    here = alternatives(root, root)
    for step in path_steps(path):
        if isinstance(step, int):
            here = [s for schema in here for s in alternatives(schema.get("items"), root)]
            continue
        named = [
            schema["properties"][step] for schema in here if step in schema.get("properties", {})
        ]
        if not named:
            named = [
                s["additionalProperties"]
                for s in here
                if isinstance(s.get("additionalProperties"), dict)
            ]
        here = [s for schema in named for s in alternatives(schema, root)]
    return here


def closed(schemas: list[dict]) -> list[dict]:
    return [s for s in schemas if s.get("additionalProperties") is False and "properties" in s]


def disagreements(root: dict, mappings: dict[str, set[str]]) -> list[str]:
    """Paths where the schema's closed objects list other keys than the reader accepts."""
    out = []
    for path, accepted in sorted(mappings.items()):
        listed = {key for schema in closed(schemas_at(root, path)) for key in schema["properties"]}
        if listed != accepted:
            out.append(f"{path or '<top>'}: schema {sorted(listed)}, reader {sorted(accepted)}")
    return out


def all_closed_objects(schema: Any, found: dict[int, str], where: str = "#") -> None:
    if isinstance(schema, dict):
        if schema.get("additionalProperties") is False and "properties" in schema:
            found.setdefault(id(schema), where)
        for key, value in schema.items():
            all_closed_objects(value, found, f"{where}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            all_closed_objects(value, found, f"{where}/{i}")


def distribution_wrappers(root: dict) -> list[dict]:
    """The ``{kind: parameters}`` objects of the distribution definition (read by
    read_distribution itself, not as a closed mapping)."""
    return closed(alternatives(root["$defs"]["distribution"], root))


def test_the_schema_lists_the_keys_each_reader_accepts_at_every_path(mappings_read):
    assert len(mappings_read) > 50  # the corpus reaches every block and option
    assert disagreements(json_schema(), mappings_read) == []


def test_every_closed_object_of_the_schema_is_a_mapping_some_reader_reads(mappings_read):
    root = json_schema()
    found: dict[int, str] = {}
    all_closed_objects(root, found)
    reached = {id(s) for path in mappings_read for s in closed(schemas_at(root, path))}
    wrappers = {id(s) for s in distribution_wrappers(root)}
    assert [where for key, where in found.items() if key not in reached | wrappers] == []


def test_the_distribution_kinds_are_those_the_reader_knows():
    kinds = [key for s in distribution_wrappers(json_schema()) for key in s["properties"]]
    assert sorted(kinds) == sorted(DISTRIBUTION_KINDS)


def test_a_schema_that_drifts_from_its_reader_is_caught(mappings_read):
    root = json_schema()
    del root["properties"]["horizon"]["properties"]["warmup"]
    bot = root["properties"]["bots"]["additionalProperties"]
    bot["properties"]["persona"] = {"type": "string"}
    found = disagreements(root, mappings_read)
    assert found[-1] == (
        "horizon: schema ['date', 'days', 'drain', 'duration', 'end', 'first_day', 'interval', "
        "'start'], reader ['date', 'days', 'drain', 'duration', 'end', 'first_day', 'interval', "
        "'start', 'warmup']"
    )
    bots = found[:-1]  # every bot of the corpus, each with the key its reader does not accept
    assert any(b.startswith("bots.web_assistant: schema") for b in bots)
    assert all(b.startswith("bots.") and "'persona'" in b for b in bots)
