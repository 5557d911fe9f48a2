"""The generator's interval-noise parameters from what a history shows around each day."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.calibrate.history_noise import generator_parameters, rescaled_moments


def test_independent_multipliers_rescaled_lose_one_interval_of_variance():
    # Equal weights, no correlation: subtracting the day's mean leaves 1 - 1/K of the variance
    # and a correlation of -1/(K-1) between any two intervals.
    variance, correlation = rescaled_moments(0.0, np.full(28, 1 / 28))
    assert variance == pytest.approx(1 - 1 / 28)
    assert correlation == pytest.approx(-1 / 27)


def test_strongly_correlated_noise_loses_much_of_its_variance_to_the_day():
    weak, _ = rescaled_moments(0.3, np.full(28, 1 / 28))
    strong, _ = rescaled_moments(0.8, np.full(28, 1 / 28))
    assert strong < 0.8 < weak < 1


def test_the_moments_match_simulated_rescaled_log_ar1_multipliers():
    rng = np.random.default_rng(1)
    profile = 200 + 800 * np.exp(-(((np.arange(28) - 8) / 5) ** 2))
    weights = profile / profile.sum()
    cv, correlation, days = 0.05, 0.6, 20_000
    s = np.sqrt(np.log1p(cv**2))
    z = np.empty((days, 28))
    z[:, 0] = rng.standard_normal(days)
    for k in range(1, 28):
        z[:, k] = correlation * z[:, k - 1] + np.sqrt(1 - correlation**2) * rng.standard_normal(
            days
        )
    multipliers = np.exp(s * z - s**2 / 2)
    multipliers /= (multipliers @ weights)[:, None]
    deviations = multipliers - 1
    measured_variance = np.mean(deviations**2 @ weights)
    pairs = np.sqrt(weights[1:] * weights[:-1])
    measured_lag_one = np.mean((deviations[:, 1:] * deviations[:, :-1]) @ pairs) / pairs.sum()
    factor, lag_one = rescaled_moments(correlation, weights)
    assert measured_variance == pytest.approx(cv**2 * factor, rel=0.03)
    assert measured_lag_one / measured_variance == pytest.approx(lag_one, abs=0.02)


@settings(max_examples=40, deadline=None)
@given(
    cv=st.floats(0.005, 0.3),
    correlation=st.floats(-0.5, 0.97),
    peak=st.floats(1.0, 20.0),
)
def test_generator_parameters_invert_the_rescaled_moments(cv, correlation, peak):
    profile = 1 + peak * np.exp(-(((np.arange(20) - 6) / 4) ** 2))
    factor, measured_correlation = rescaled_moments(correlation, profile / profile.sum())
    found_cv, found_correlation = generator_parameters(
        cv * np.sqrt(factor), measured_correlation, profile
    )
    assert found_correlation == pytest.approx(correlation, abs=1e-4)
    assert found_cv == pytest.approx(cv, rel=1e-3)


def test_no_measured_noise_means_no_generator_noise():
    assert generator_parameters(0.0, 0.5, np.ones(10)) == (0.0, 0.0)


def test_a_measured_correlation_beyond_reach_is_capped():
    cv, correlation = generator_parameters(0.05, 0.9999, np.ones(28))
    assert correlation == 0.995 and cv > 0.05
