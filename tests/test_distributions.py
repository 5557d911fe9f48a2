"""Distributions have the moments they claim (simulator/distributions.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.distributions import Constant, Empirical, Exponential, Gamma, Lognormal, Uniform

LAWS = [
    Exponential(120.0),
    Lognormal(185.0, 230.0),
    Gamma(2.0, 60.0),
    Uniform(10.0, 50.0),
    Constant(30.0),
    Empirical((10.0, 20.0, 60.0)),
]


@pytest.mark.parametrize("law", LAWS, ids=lambda d: d.kind)
def test_sample_mean_matches_declared_mean(law):
    u = np.random.default_rng(3).random(200_000)
    values = law.draws(u)
    assert np.all(values >= 0)
    se = max(values.std(), 1e-9) / math.sqrt(len(values))
    assert abs(values.mean() - law.mean) < 4 * se + 1e-9


@pytest.mark.parametrize("law", LAWS, ids=lambda d: d.kind)
def test_scalar_and_vector_draws_agree(law):
    u = np.random.default_rng(4).random(50)
    assert np.allclose([law.draw(float(x)) for x in u], law.draws(u))


@pytest.mark.parametrize("law", LAWS, ids=lambda d: d.kind)
def test_draws_are_monotone_in_the_uniform(law):
    """Inverse-CDF draws: a larger uniform never gives a smaller value (what CRN relies on)."""
    u = np.linspace(0.0, 0.999999, 1001)
    assert np.all(np.diff(law.draws(u)) >= -1e-9)


def test_lognormal_has_the_requested_spread():
    law = Lognormal(185.0, 230.0)
    values = law.draws(np.random.default_rng(5).random(400_000))
    assert values.std() == pytest.approx(230.0, rel=0.05)
