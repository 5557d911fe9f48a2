"""The customers block: segments and intents as shares of the whole, segment coefficients."""

from __future__ import annotations

import pytest

from simulator.scenario import load_scenario_text
from simulator.scenario.schema import Segment
from tests.scenario_texts import JOURNEYS, MINIMAL, TWO_CHANNELS, at, only, replaced


@pytest.fixture(scope="module")
def scenario():
    """The JOURNEYS text, loaded."""
    return load_scenario_text(JOURNEYS, "journeys.yaml")


def test_segment_shares_must_sum_to_one():
    text = TWO_CHANNELS.replace("branch: 0.6", "branch: 0.5")
    assert only(text) == (
        "s.yaml:4:13: customers.segments: shares sum to 0.9, expected 1 "
        "(they are fractions of the whole (digital 0.4, branch 0.5); make them add up to 1)"
    )


def test_intent_shares_must_sum_to_one():
    text = TWO_CHANNELS.replace("service: 0.7", "service: 0.75")
    assert only(text).startswith("s.yaml:5:12: customers.intents: shares sum to 1.05, expected 1")


def test_shares_within_tolerance_are_fine():
    load_scenario_text(TWO_CHANNELS.replace("branch: 0.6", "branch: 0.6000000001"))


def test_several_segments_need_explicit_shares():
    text = TWO_CHANNELS.replace("digital: 0.4", "digital: {patience_scale: 2}")
    assert only(text).startswith(
        "s.yaml:4:23: customers.segments.digital.share: missing required key 'share'"
    )


def test_bare_numbers_and_single_segment_without_share():
    text = MINIMAL + "customers:\n  segments:\n    everyone: {patience_scale: 2}\n"
    s = load_scenario_text(text)
    assert s.segments == (Segment("everyone", 1.0, patience_scale=2.0),)


def test_segments_with_sensitivity_and_churn(scenario):
    assert scenario.segments == (
        Segment("digital", 0.45, reach=825.0, sensitivity=1.3, churn_base=0.02, churn_max=0.35),
        Segment("traditional", 0.55),
    )
    assert scenario.segments[1].churn_base == 0.01 and scenario.segments[1].churn_max == 0.30


def test_segment_churn_and_sensitivity():
    text = replaced("churn_base: 0.02", "churn_base: 0.5")
    assert only(text) == (
        f"{at(text, '0.35}')}: customers.segments.digital.churn_max: churn_max (0.35) is below "
        "churn_base (0.5) (churn_base is the churn of a calm customer and churn_max of a furious "
        "one, so churn_base <= churn_max)"
    )
    text = replaced("sensitivity: 1.3", "sensitivity: 0")
    assert only(text) == (
        f"{at(text, '0, churn')}: customers.segments.digital.sensitivity: expected a value > 0, "
        "found 0"
    )
