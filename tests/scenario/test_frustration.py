"""The frustration parameters of the language: every coefficient described, and one definition of
the constraints for the loader and for values built in code."""

from __future__ import annotations

import dataclasses

import pytest

from simulator.scenario.frustration import (
    MEANINGS,
    SHARES,
    THRESHOLDS,
    FrustrationParams,
    thresholds_in_order,
    thresholds_problem,
)


def test_every_coefficient_has_a_meaning_for_editors():
    assert list(MEANINGS) == [field.name for field in dataclasses.fields(FrustrationParams)]
    assert all(meaning.endswith(".") for meaning in MEANINGS.values())


def test_shares_and_thresholds_are_coefficients():
    assert set(SHARES) | set(THRESHOLDS) <= set(MEANINGS)


@pytest.mark.parametrize(
    ("levels", "in_order"),
    [
        ([25.0, 50.0, 75.0], True),
        ([0.5, 1.0, 100.0], True),
        ([0.0, 50.0, 75.0], False),  # calm must be a state
        ([25.0, 25.0, 75.0], False),  # irritated must be a band
        ([25.0, 80.0, 75.0], False),
        ([25.0, 50.0, 100.5], False),  # furious must be reachable
    ],
)
def test_thresholds_in_order(levels, in_order):
    assert thresholds_in_order(levels) is in_order


def test_values_built_in_code_are_guarded_with_the_loaders_message():
    with pytest.raises(ValueError) as info:
        FrustrationParams(angry=90.0)
    assert str(info.value) == thresholds_problem([25.0, 90.0, 75.0])
    assert str(info.value) == (
        "frustration thresholds must satisfy 0 < irritated < angry < furious <= 100, got "
        "25.0, 90.0, 75.0"
    )
    with pytest.raises(ValueError, match=r"frustration\.switch_boost is a share and must be <= 1"):
        FrustrationParams(switch_boost=1.5)
