"""The outcomes block: every coefficient checked where it is written, overrides kept, defaults
filled, and the effective scenario writing it back so that it loads to the same values."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from simulator.scenario import effective_dict, json_schema, load_scenario_text
from simulator.scenario.outcomes import OutcomeParams
from simulator.scenario.read.outcomes import EFFORT_KEYS, OUTCOME_KEYS, TELLING_KEYS
from tests.scenario_texts import MINIMAL, at, only, problems

OVERRIDES = """\
outcomes:
  effort: {repeat: 1.2, wait_beyond_promise: 0.5}
  recommend:
    effort: 0.8
    resolved_effortless: [0.05, 0.01, 0.01, 0.01, 0.02, 0.05, 0.05, 0.1, 0.2, 0.2, 0.3]
    promoter_requires: {resolved: false, max_effort: 6}
  churn: {unresolved: 1.1}
  word_of_mouth:
    negative: {base: 0.05}
    positive: {reach_share: 0.25}
"""


def test_absent_block_gives_the_documented_defaults():
    assert load_scenario_text(MINIMAL).outcomes == OutcomeParams()


def test_overrides_change_only_what_they_name():
    outcomes = load_scenario_text(MINIMAL + OVERRIDES).outcomes
    default = OutcomeParams()
    assert outcomes.effort == dataclasses.replace(
        default.effort, repeat=1.2, wait_beyond_promise=0.5
    )
    assert outcomes.recommend.effort == 0.8
    assert outcomes.recommend.unresolved == default.recommend.unresolved
    assert outcomes.recommend.resolved_effortless[-1] == 0.3
    assert outcomes.recommend.promoter_requires_resolved is False
    assert outcomes.recommend.promoter_max_effort == 6.0
    assert outcomes.churn == dataclasses.replace(default.churn, unresolved=1.1)
    assert outcomes.negative_word_of_mouth.base == 0.05
    assert outcomes.positive_word_of_mouth.reach_share == 0.25
    assert outcomes.positive_word_of_mouth.base == default.positive_word_of_mouth.base


def test_effective_scenario_writes_the_block_back():
    scenario = load_scenario_text(MINIMAL + OVERRIDES)
    written = yaml.safe_dump(effective_dict(scenario))
    assert load_scenario_text(written).outcomes == scenario.outcomes
    assert effective_dict(load_scenario_text(MINIMAL))["outcomes"]["churn"] == {
        "effort": 0.35,
        "unresolved": 0.9,
    }


@pytest.mark.parametrize("key", EFFORT_KEYS)
def test_each_effort_weight_is_checked_where_it_is_written(key):
    text = MINIMAL + f"outcomes:\n  effort:\n    {key}: -0.5\n"
    assert only(text) == (
        f"{at(text, '-0.5')}: outcomes.effort.{key}: expected a value >= 0, found -0.5"
    )


def test_problems_name_the_place_and_every_one_is_reported():
    text = MINIMAL + (
        "outcomes:\n"
        "  efort: {repeat: 1}\n"
        "  churn: {effort: -1, unresolved: x}\n"
        "  word_of_mouth:\n"
        "    negative: {base: 1}\n"
        "    neutral: {base: 0.1}\n"
        "  recommend:\n"
        "    resolved_effortless: [0.5, 0.5]\n"
        "    promoter_requires: {max_effort: 9}\n"
    )
    found = [f"{p.line}:{p.col}: {p.key_path}: {p.message} ({p.hint})" for p in problems(text)]
    line = MINIMAL.count("\n") + 1
    assert found == [
        f"{line + 1}:3: outcomes.efort: unknown key 'efort' (did you mean 'effort'?)",
        f"{line + 2}:19: outcomes.churn.effort: expected a value >= 0, found -1 (None)",
        f"{line + 2}:35: outcomes.churn.unresolved: expected a weight (a number >= 0), found "
        "'x' (None)",
        f"{line + 4}:22: outcomes.word_of_mouth.negative.base: expected a value > 0 and < 1, "
        "found 1 (None)",
        f"{line + 5}:5: outcomes.word_of_mouth.neutral: unknown key 'neutral' (allowed keys: "
        "negative, positive)",
        f"{line + 7}:26: outcomes.recommend.resolved_effortless: expected a list of 11 shares "
        "(answers 0 to 10), found a list (the defaults and their meaning are in "
        "simulator/scenario/outcomes.py and docs/model.md)",
        f"{line + 8}:37: outcomes.recommend.promoter_requires.max_effort: expected a value >= 1 "
        "and <= 7, found 9 (None)",
    ]


def test_answer_shares_must_be_positive_and_add_up_to_one():
    shares = "[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]"
    text = MINIMAL + f"outcomes:\n  recommend:\n    resolved_effortless: {shares}\n"
    assert "the 11 shares add up to 1.1, expected 1" in only(text)
    shares = "[0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]"
    text = MINIMAL + f"outcomes:\n  recommend:\n    resolved_effortless: {shares}\n"
    assert only(text).endswith(
        "outcomes.recommend.resolved_effortless[0]: expected a value > 0, found 0"
    )


def test_schema_follows_the_reader_keys_with_defaults():
    props = json_schema()["properties"]["outcomes"]["properties"]
    assert list(props) == list(OUTCOME_KEYS)
    assert list(props["effort"]["properties"]) == list(EFFORT_KEYS)
    assert props["effort"]["properties"]["repeat"]["default"] == OutcomeParams().effort.repeat
    negative = props["word_of_mouth"]["properties"]["negative"]["properties"]
    assert list(negative) == list(TELLING_KEYS)
    assert negative["base"]["exclusiveMaximum"] == 1
    answers = props["recommend"]["properties"]["resolved_effortless"]
    assert answers["minItems"] == answers["maxItems"] == 11
