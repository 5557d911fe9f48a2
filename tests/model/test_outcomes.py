"""Outcomes derived from a journey: bounded, monotone, and classed the way docs/model.md says."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.model.frustration import FrustrationParams
from simulator.model.outcomes import (
    NPS_CLASSES,
    churn_probability,
    effort_score,
    nps,
    nps_class,
    word_of_mouth_reach,
)

P = FrustrationParams()
frust = st.floats(0.0, 100.0)
counts = st.integers(0, 50)


@st.composite
def churn_bounds(draw):
    a, b = sorted((draw(st.floats(0.0, 1.0)), draw(st.floats(0.0, 1.0))))
    return a, b


# --- churn -------------------------------------------------------------------------------------


@given(frust, churn_bounds())
def test_churn_between_base_and_max(f, bounds):
    base, at_max = bounds
    c = churn_probability(f, base, at_max)
    assert base - 1e-12 <= c <= at_max + 1e-12
    assert 0.0 <= c <= 1.0


@given(frust, frust, churn_bounds())
def test_churn_non_decreasing_in_f(f1, f2, bounds):
    lo, hi = sorted((f1, f2))
    assert churn_probability(lo, *bounds) <= churn_probability(hi, *bounds)


def test_churn_endpoints_and_convexity():
    assert churn_probability(0.0, 0.01, 0.3) == pytest.approx(0.01)
    assert churn_probability(100.0, 0.01, 0.3) == pytest.approx(0.3)
    assert churn_probability(50.0, 0.01, 0.3) == pytest.approx(0.01 + 0.29 * 0.25)
    # convex: the midpoint lies below the chord
    assert churn_probability(50.0, 0.0, 1.0) < 0.5
    # out-of-range frustration is clipped, not extrapolated
    assert churn_probability(150.0, 0.01, 0.3) == pytest.approx(0.3)


@pytest.mark.parametrize(("base", "at_max"), [(0.3, 0.1), (-0.1, 0.2), (0.1, 1.2)])
def test_churn_rejects_bad_bounds(base, at_max):
    with pytest.raises(ValueError, match="churn"):
        churn_probability(10.0, base, at_max)


# --- NPS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resolved", "f", "cls"),
    [
        (True, 0.0, "promoter"),
        (True, 24.9, "promoter"),
        (True, 25.0, "passive"),
        (True, 49.9, "passive"),
        (True, 50.0, "detractor"),
        (True, 90.0, "detractor"),
        (False, 0.0, "detractor"),
        (False, 30.0, "detractor"),
    ],
)
def test_nps_classes(resolved, f, cls):
    assert nps_class(resolved, f, P) == cls


@given(st.booleans(), frust)
def test_nps_class_is_one_of_three_and_unresolved_never_promotes(resolved, f):
    cls = nps_class(resolved, f, P)
    assert cls in NPS_CLASSES
    if not resolved:
        assert cls == "detractor"


def test_nps_score():
    assert nps(50, 20, 100) == pytest.approx(30.0)
    assert nps(0, 10, 10) == pytest.approx(-100.0)
    assert math.isnan(nps(0, 0, 0))
    with pytest.raises(ValueError):
        nps(8, 5, 10)


@given(st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 1000))
def test_nps_in_range(p, d, extra):
    n = p + d + extra
    if n:
        assert -100.0 <= nps(p, d, n) <= 100.0


# --- effort ------------------------------------------------------------------------------------

effort_args = st.tuples(st.integers(1, 10), counts, counts, counts, st.floats(0.0, 86400.0), counts)


@given(effort_args)
def test_effort_in_scale(args):
    assert 1.0 <= effort_score(*args) <= 7.0


@pytest.mark.parametrize("index", range(6))
@given(args=effort_args, bump=st.integers(1, 5))
def test_effort_non_decreasing_in_each_input(index, args, bump):
    more = list(args)
    more[index] += 60.0 * bump if index == 4 else bump
    assert effort_score(*args) <= effort_score(*more)


def test_effort_formula():
    assert effort_score(1, 0, 0, 0, 0.0, 0) == 1.0
    # 1 + 1 (second contact) + 1 (switch) + 0.5 (transfer) + 1 (repeat) + 0.5 (bot) + 1.2 (12 min)
    assert effort_score(2, 1, 1, 1, 720.0, 1) == pytest.approx(6.2)
    assert effort_score(5, 3, 2, 4, 3600.0, 2) == 7.0


# --- word of mouth -----------------------------------------------------------------------------


@given(frust, st.floats(0.0, 1000.0))
def test_reach_only_when_angry_or_worse(f, reach):
    out = word_of_mouth_reach(f, reach, P)
    if f >= P.angry:
        assert out == reach
    else:
        assert out == 0.0


def test_reach_examples():
    assert word_of_mouth_reach(49.9, 825.0, P) == 0.0
    assert word_of_mouth_reach(50.0, 825.0, P) == 825.0
    assert word_of_mouth_reach(80.0, 12.0, P) == 12.0
