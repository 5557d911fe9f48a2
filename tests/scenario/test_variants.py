"""Scenario variants: named overlays of dotted key paths, validated like the base."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from simulator.scenario import (
    ScenarioError,
    effective_dict,
    json_schema,
    load_scenario,
    load_scenario_text,
    load_variant,
    load_variant_text,
    load_variants,
    load_variants_text,
    variant_names,
    variant_names_text,
)
from tests.paths import SCENARIOS
from tests.scenario_texts import ONE_CHANNEL

# Line numbers in the tests refer to this layout (BASE is lines 1-20, variants from line 21).
BASE = """\
scenario: bank
seed: 5
horizon: {start: "08:00", end: "12:00"}
arrivals: {rate: 600/h, first_channel: {voice: 0.6, chat: 0.4}}
channels:
  voice: {}
  chat: {}
agents:
  voice_general:
    skills: [voice]
    count: {"08:00": 10, "10:00": 12}
    shrinkage: 0.3
  chat_team:
    skills: [chat]
    count: 4
handle_time:
  default: 4m
routing:
  - {when: {channel: voice}, to: voice}
  - {when: {channel: chat}, to: chat}
"""

VARIANTS = (
    BASE
    + """\
variants:
  more_agents:
    agents.voice_general.count: {"08:00": 16, "10:00": 20}
    agents.chat_team.shrinkage: 0.25
  one_queue:
    routing: [{to: voice}]
    agents.voice_general.skills: [voice, chat]
  shared:
    context.shared_record: true
  same:
    seed: 5
"""
)


def _problems(excinfo: pytest.ExceptionInfo[ScenarioError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_names_in_file_order() -> None:
    assert variant_names_text(VARIANTS) == ["more_agents", "one_queue", "shared", "same"]
    assert variant_names_text(BASE) == []
    text = BASE + "variants:\n  zeta: {seed: 1}\n  alpha: {seed: 2}\n  mid: {seed: 3}\n"
    assert variant_names_text(text) == ["zeta", "alpha", "mid"]


def test_scalar_and_nested_paths() -> None:
    base = load_scenario_text(VARIANTS)
    v = load_variant_text(VARIANTS, "more_agents")
    assert v.name == base.name == "bank"
    assert v.seed == base.seed == 5
    assert v.agents["chat_team"].shrinkage == 0.25
    assert base.agents["chat_team"].shrinkage == 0.0
    assert v.agents["voice_general"].schedule != base.agents["voice_general"].schedule
    assert v.agents["voice_general"].shrinkage == 0.3  # siblings of a set path are kept
    assert v.channels == base.channels and v.routing == base.routing
    assert dataclasses.replace(v, agents=base.agents) == base  # nothing else changed


def test_whole_block_replacement() -> None:
    v = load_variant_text(VARIANTS, "one_queue")
    assert len(v.routing) == 1 and v.routing[0].to == "voice"
    assert v.agents["voice_general"].skills == ("voice", "chat")


def test_path_creates_missing_block() -> None:
    base = load_scenario_text(VARIANTS)
    v = load_variant_text(VARIANTS, "shared")
    assert base.context.shared_record is False
    assert v.context.shared_record is True
    assert dataclasses.replace(v, context=base.context) == base


def test_variant_equal_to_base() -> None:
    assert load_variant_text(VARIANTS, "same") == load_scenario_text(VARIANTS)
    empty = BASE + "variants:\n  nothing:\n  also_nothing: {}\n"
    assert load_variant_text(empty, "nothing") == load_scenario_text(empty)
    assert load_variant_text(empty, "also_nothing") == load_scenario_text(empty)


def test_overlay_seed_wins() -> None:
    text = BASE + "variants:\n  reseeded: {seed: 99}\n"
    assert load_variant_text(text, "reseeded").seed == 99


def test_effective_dict_of_variant_has_no_variants() -> None:
    eff = effective_dict(load_variant_text(VARIANTS, "shared"))
    assert "variants" not in eff
    assert eff["context"]["shared_record"] is True


def test_unknown_variant_name() -> None:
    with pytest.raises(ScenarioError) as excinfo:
        load_variant_text(VARIANTS, "more_agent")
    (problem,) = _problems(excinfo)
    assert problem.startswith("<string>:22:3: variants: unknown variant 'more_agent'")
    assert "did you mean 'more_agents'?" in problem
    with pytest.raises(ScenarioError, match="declares no variants"):
        load_variant_text(BASE, "more_agents")


def test_path_through_a_scalar() -> None:
    text = BASE + "variants:\n  odd:\n    horizon.start.x: 1\n"
    with pytest.raises(ScenarioError) as excinfo:
        load_variant_text(text, "odd")
    (problem,) = _problems(excinfo)
    assert problem.startswith(
        "<string>:23:5: variants.odd: horizon.start.x: horizon.start is not a mapping "
        "(found '08:00'), so it has no 'x'"
    )
    assert load_scenario_text(text) == load_scenario_text(BASE)


def test_path_through_a_list() -> None:
    text = BASE + "variants:\n  odd:\n    routing.0.to: chat\n"
    with pytest.raises(ScenarioError) as excinfo:
        load_variant_text(text, "odd")
    (problem,) = _problems(excinfo)
    assert "variants.odd: routing.0.to: routing is a list" in problem
    assert "replace the whole list" in problem


def test_validation_error_points_into_the_overlay() -> None:
    text = BASE + "variants:\n  more:\n    agents.chat_team.shrinkage: 1.5\n"
    with pytest.raises(ScenarioError) as excinfo:
        load_variant_text(text, "more", source="bank.yaml")
    (problem,) = excinfo.value.problems
    assert (problem.file, problem.line, problem.col) == ("bank.yaml", 23, 33)
    assert problem.key_path == "variants.more: agents.chat_team.shrinkage"
    assert str(problem).startswith(
        "bank.yaml:23:33: variants.more: agents.chat_team.shrinkage: expected "
    )
    assert "found 1.5" in str(problem)


def test_replaced_block_problems_point_into_the_overlay() -> None:
    text = BASE + "variants:\n  r:\n    routing: [{to: nowhere}]\n"
    with pytest.raises(ScenarioError) as excinfo:
        load_variant_text(text, "r")
    assert any(
        p.line == 23 and p.key_path.startswith("variants.r: routing[0].to")
        for p in excinfo.value.problems
    )


def test_unknown_key_via_overlay_has_did_you_mean() -> None:
    text = BASE + "variants:\n  typo:\n    context.shared_recrod: true\n"
    with pytest.raises(ScenarioError) as excinfo:
        load_variant_text(text, "typo")
    (problem,) = _problems(excinfo)
    assert problem.startswith(
        "<string>:23:5: variants.typo: context.shared_recrod: unknown key 'shared_recrod'"
    )
    assert "did you mean 'shared_record'?" in problem
    text = BASE + "variants:\n  typo:\n    contxt.shared_record: true\n"
    with pytest.raises(ScenarioError, match="did you mean 'context'"):
        load_variant_text(text, "typo")


def test_variant_cannot_declare_variants() -> None:
    text = BASE + "variants:\n  nest:\n    variants.x: {}\n"
    with pytest.raises(ScenarioError, match="cannot declare variants"):
        load_variant_text(text, "nest")


def test_load_variants_reports_all_problems() -> None:
    text = (
        BASE
        + "variants:\n  a:\n    agents.chat_team.shrinkage: 1.5\n  ok: {seed: 3}\n"
        + "  b:\n    horizon.start.x: 1\n"
    )
    with pytest.raises(ScenarioError) as excinfo:
        load_variants_text(text)
    labels = [p.key_path.split(":")[0] for p in excinfo.value.problems]
    assert labels == ["variants.a", "variants.b"]
    good = load_variants_text(VARIANTS)
    assert list(good) == ["more_agents", "one_queue", "shared", "same"]
    assert good["same"] == load_scenario_text(VARIANTS)


def test_file_api(tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(VARIANTS)
    assert variant_names(path) == ["more_agents", "one_queue", "shared", "same"]
    assert load_variant(path, "shared").context.shared_record is True
    assert load_variant(path, "same") == load_scenario(path)
    assert set(load_variants(path)) == set(variant_names(path))
    assert load_variant(path, "same").source == str(path)


def test_unquoted_clock_key_is_addressed_as_written() -> None:
    # YAML 1.1 reads the unquoted key 10:00 as 600; the path names it as the author typed it.
    text = BASE.replace('{"08:00": 10, "10:00": 12}', "{08:00: 10, 10:00: 12}") + (
        "variants:\n  v:\n    agents.voice_general.count.10:00: 30\n"
    )
    base = load_scenario_text(text)
    v = load_variant_text(text, "v")
    assert v.agents["voice_general"].schedule != base.agents["voice_general"].schedule


def test_json_schema_accepts_variants() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    jsonschema.validate(yaml.safe_load(VARIANTS), json_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(BASE + "variants: {a: 3}\n"), json_schema())


def test_bundled_scenario_variant() -> None:
    path = SCENARIOS / "retail_bank_siloed.yaml"
    own = path.read_text().split("\nvariants:")[0].rstrip("\n") + "\n"  # drop its own variants
    text = own + (
        "variants:\n"
        "  omnichannel:\n"
        "    context.shared_record: true\n"
        "    routing: [{when: {channel: social}, to: chat_support}, "
        "{when: {channel: voice}, to: voice_general}, {when: {channel: chat}, to: chat_support}, "
        "{when: {channel: email}, to: email}]\n"
        "  more_agents:\n"
        '    agents.voice_general.count: {"08:00": 16, "09:00": 26, "10:00": 34}\n'
        "    agents.billing.shrinkage: 0.25\n"
    )
    base = load_scenario(path)
    variants = load_variants_text(text, str(path))
    assert variants["omnichannel"].context.shared_record is True
    assert variants["omnichannel"].seed == base.seed
    assert variants["more_agents"].agents["billing"].shrinkage == 0.25
    assert load_scenario_text(text, str(path)) == base


@pytest.mark.parametrize(
    "path",
    sorted(SCENARIOS.glob("*.yaml")),
    ids=lambda p: p.name,
)
def test_bundled_scenarios_variants_load(path: Path) -> None:
    base = load_scenario(path)
    variants = load_variants(path)
    assert list(variants) == variant_names(path)
    for v in variants.values():
        assert v.name == base.name and v.source == base.source


def test_a_misspelled_team_is_not_invented() -> None:
    """issue #11: ``agents.chat_tem.count`` used to create a new, idle team and make a move of
    agents look worse and dearer; it is an error at the overlay's line, with a did-you-mean."""
    text = BASE + "variants:\n  typo:\n    agents.chat_tem.count: 6\n"
    with pytest.raises(ScenarioError) as excinfo:
        load_variant_text(text, "typo", "bank.yaml")
    (problem,) = _problems(excinfo)
    assert problem.startswith("bank.yaml:23:5: variants.typo: agents.chat_tem.count: ")
    assert "no agent group 'chat_tem'" in problem
    assert "did you mean 'chat_team'?" in problem
    assert "agents.chat_tem: {...}" in problem
    with pytest.raises(ScenarioError):  # every variant of the file is checked by validate
        load_variants_text(text, "bank.yaml")


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("channels.vioce.lines", "channel 'vioce'"),
        ("customers.segments.digtal.share", "segment 'digtal'"),
        ("bots.helper.max_turns", "bot 'helper'"),
    ],
)
def test_paths_through_unknown_entities_fail(path: str, what: str) -> None:
    text = BASE + f"variants:\n  typo:\n    {path}: 3\n"
    with pytest.raises(ScenarioError) as excinfo:
        load_variant_text(text, "typo")
    assert what in _problems(excinfo)[0]


def test_a_new_team_given_whole_is_added() -> None:
    text = BASE + (
        "variants:\n  social:\n"
        "    agents.social_team: {skills: [chat], count: 2}\n"
        "    agents.social_team.shrinkage: 0.1\n"  # once defined, its keys can be set
    )
    v = load_variant_text(text, "social")
    assert v.agents["social_team"].skills == ("chat",)
    assert v.agents["social_team"].shrinkage == 0.1
    assert set(v.agents) == {"voice_general", "chat_team", "social_team"}


def test_variants_that_would_read_too_many_values_are_refused() -> None:
    """Each variant reads the base again: 5,000 variants of a bundled scenario took a minute
    to validate. Refused at the block, before any variant is built."""
    many = "variants:\n" + "".join(f"  v{i}: {{seed: {i}}}\n" for i in range(8000))
    with pytest.raises(ScenarioError) as info:
        load_variants_text(ONE_CHANNEL + many, "s.yaml")
    (problem,) = info.value.problems
    assert str(problem).startswith(
        "s.yaml:11:3: variants: 8,000 variants of a scenario of 13 values"
    )
    assert "more than the limit of 100,000 (twice CXSIM_MAX_NODES)" in str(problem)
    few = "variants:\n" + "".join(f"  v{i}: {{seed: {i}}}\n" for i in range(50))
    assert len(load_variants_text(ONE_CHANNEL + few, "s.yaml")) == 50
