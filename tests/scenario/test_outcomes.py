"""The outcome model's parameters: cutpoints that reproduce the answers they come from, and
values built in code refused when the loader would refuse them."""

from __future__ import annotations

import dataclasses
import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.scenario.outcomes import OutcomeParams, RecommendModel, TellingModel


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@given(st.lists(st.floats(0.001, 1.0), min_size=11, max_size=11))
def test_cutpoints_give_a_resolved_effortless_customer_the_answers_they_come_from(raw):
    shares = tuple(x / sum(raw) for x in raw)
    cutpoints = RecommendModel(resolved_effortless=shares).cutpoints
    assert len(cutpoints) == 10
    assert all(a < b for a, b in itertools.pairwise(cutpoints))
    cumulative = [_sigmoid(c) for c in cutpoints] + [1.0]
    answers = [b - a for a, b in zip([0.0, *cumulative[:-1]], cumulative, strict=True)]
    assert answers == pytest.approx(shares, abs=1e-9)


def test_default_answers_are_a_transactional_nps_of_plus_45():
    shares = OutcomeParams().recommend.resolved_effortless
    assert math.fsum(shares) == pytest.approx(1.0)
    assert 100 * (sum(shares[9:]) - sum(shares[:7])) == pytest.approx(45.0)


def test_values_the_loader_refuses_are_refused_in_code_too():
    default = OutcomeParams()
    with pytest.raises(ValueError, match=r"outcomes\.effort\.repeat must be >= 0"):
        dataclasses.replace(default, effort=dataclasses.replace(default.effort, repeat=-1.0))
    with pytest.raises(ValueError, match="base must be in"):
        OutcomeParams(negative_word_of_mouth=TellingModel(base=1.0, effort=0.1, unresolved=0.1))
    with pytest.raises(ValueError, match="11 shares > 0"):
        OutcomeParams(recommend=RecommendModel(resolved_effortless=(0.5, 0.5)))
