"""The blocks that name a scenario: its name, free-text description and seed."""

from __future__ import annotations

from simulator.scenario import load_scenario_text
from tests.scenario_texts import MINIMAL, only


def test_description_may_be_empty_and_seed_defaults_to_one():
    scenario = load_scenario_text(MINIMAL + "description:\n")
    assert (scenario.name, scenario.description, scenario.seed) == ("tiny", "", 1)
    assert load_scenario_text(MINIMAL + "seed: 42\n").seed == 42


def test_the_name_must_be_a_name_and_the_seed_a_whole_number():
    text = MINIMAL.replace("scenario: tiny", "scenario: [tiny]")
    assert only(text) == "s.yaml:1:11: scenario: expected a name, found a list"
    assert only(MINIMAL + "seed: 1.5\n") == "s.yaml:7:7: seed: expected a whole number, found 1.5"
