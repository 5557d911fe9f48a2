"""The frustration block: each coefficient checked where it is written, the thresholds together."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.scenario import ScenarioError, json_schema, load_scenario_text
from simulator.scenario.frustration import FrustrationParams
from simulator.scenario.read.frustration import FRUSTRATION_KEYS
from tests.scenario_texts import MINIMAL, at, only, problems, replaced


def test_frustration_problems():
    text = replaced("  repeat: 15\n", "  repaet: 15\n")
    assert only(text) == (
        f"{at(text, 'repaet')}: frustration.repaet: unknown key 'repaet' (did you mean 'repeat'?)"
    )
    text = replaced("  wait_fast: 8\n", "  wait_fast: -8\n")
    assert only(text) == f"{at(text, '-8')}: frustration.wait_fast: expected a value >= 0, found -8"
    text = replaced("  wait_fast: 8\n", "  resolution_relief: 2\n")
    assert only(text) == (
        f"{at(text, 'relief: 2', '2')}: frustration.resolution_relief: "
        "frustration.resolution_relief is a share and must be <= 1 (the defaults and their "
        "meaning are in simulator/scenario/frustration.py and docs/model.md)"
    )
    text = replaced("  wait_fast: 8\n", "  angry: 90\n")
    assert only(text).startswith(
        f"{at(text, 'repeat')}: frustration: frustration thresholds must satisfy"
    )


def test_schema_frustration_properties_follow_the_dataclass():
    props = json_schema()["properties"]["frustration"]["properties"]
    names = [f.name for f in dataclasses.fields(FrustrationParams)]
    assert list(props) == names
    repeat = props["repeat"]
    assert (repeat["type"], repeat["minimum"], repeat["default"]) == ("number", 0, 20.0)
    assert repeat["description"]  # the field's documentation if it has some, else its name
    journey = json_schema()["properties"]
    assert journey["retrial"]["properties"]["enabled"]["default"] is True
    assert journey["bots"]["additionalProperties"]["properties"]["max_turns"]["default"] == 1
    assert all("description" in journey[k] for k in ("bots", "context", "retrial", "frustration"))


NUMBERS = [key for key in FRUSTRATION_KEYS if key != "enabled"]


@pytest.mark.parametrize("key", NUMBERS)
def test_each_coefficient_is_checked_where_it_is_written(key):
    text = MINIMAL + f"frustration:\n  {key}: -1\n"
    assert only(text) == (
        f"{at(text, ': -1', '-1')}: frustration.{key}: expected a value >= 0, found -1"
    )


def test_upper_bounds_and_the_switch():
    text = MINIMAL + "frustration:\n  initial: 150\n  enabled: maybe\n"
    assert [str(p) for p in problems(text)] == [
        f"{at(text, '150')}: frustration.initial: frustration.initial must be <= 100, got 150.0 "
        "(the defaults and their meaning are in simulator/scenario/frustration.py and "
        "docs/model.md)",
        f"{at(text, 'maybe')}: frustration.enabled: expected true or false, found 'maybe'",
    ]


def test_independent_problems_in_the_block_are_all_reported():
    text = MINIMAL + (
        "frustration:\n  resolution_relief: 2\n  switch_boost: 3\n  angry: 90\n  enabled: maybe\n"
    )
    assert [p.key_path for p in problems(text)] == [
        "frustration",  # the thresholds, at the block: irritated 25 < angry 90 but furious 75
        "frustration.resolution_relief",
        "frustration.switch_boost",
        "frustration.enabled",
    ]


def test_a_broken_threshold_is_not_also_reported_out_of_order():
    text = MINIMAL + "frustration:\n  angry: lots\n"
    assert only(text) == f"{at(text, 'lots')}: frustration.angry: expected a number, found 'lots'"


@given(
    st.dictionaries(
        st.sampled_from(NUMBERS), st.integers(-8, 480).map(lambda n: n / 4), max_size=6
    ),
    st.booleans(),
)
def test_the_loader_accepts_exactly_what_the_dataclass_accepts(values, enabled):
    """The loader's checks and FrustrationParams' guard (for values built in code) agree."""
    values = {**values, "enabled": enabled}
    text = MINIMAL + "frustration:\n" + "".join(f"  {k}: {v!r}\n" for k, v in values.items())
    try:
        built: FrustrationParams | None = FrustrationParams(**values)
    except ValueError:
        built = None
    try:
        loaded: FrustrationParams | None = load_scenario_text(text).frustration
    except ScenarioError:
        loaded = None
    assert loaded == built
