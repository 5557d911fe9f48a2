"""Handle-time lognormals, censored exponential patience and Kaplan-Meier recover what the
synthetic log was drawn with."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.calibrate.fits import fit_lognormal, fit_patience, kaplan_meier
from tests.calibrate.synthetic import PATIENCE_S, TYPES, lognormal_params


def test_lognormal_handle_times_are_recovered_by_type(cal) -> None:
    for kind, (_, mean, sd) in TYPES.items():
        fit = cal.handle_by_intent[kind]
        mu, sigma = lognormal_params(mean, sd)
        # MLE standard errors: sigma / sqrt(n) for mu, sigma / sqrt(2n) for sigma; n >= 1,500
        # served calls of each type, so 5 standard errors are below 0.05 and 0.035.
        assert abs(fit.mu - mu) < 5 * sigma / math.sqrt(fit.n)
        assert abs(fit.sigma - sigma) < 5 * sigma / math.sqrt(2 * fit.n)
        assert fit.verdict == "good"  # a true lognormal: KS distance ~ 1/sqrt(n) << 0.05


def test_censored_patience_is_recovered_and_naive_averaging_is_not(cal) -> None:
    fit = cal.patience
    assert fit.abandoned > 200
    # The MLE's relative standard error is 1/sqrt(abandonments) (< 7 %): allow 4 of them.
    assert abs(fit.mean / PATIENCE_S - 1) < 4 / math.sqrt(fit.abandoned)
    low, high = fit.ci
    assert low < fit.mean < high
    # Averaging the abandoners' waits ignores censoring and falls far short: the reason for
    # the censored estimator.
    waits = cal.log.wait[cal.log.abandoned]
    assert waits.mean() < 0.5 * PATIENCE_S


def test_kaplan_meier_follows_the_true_exponential(cal) -> None:
    km = cal.km
    for t in (30.0, 60.0, 120.0):
        # The standard error of S(t) is about sqrt(S (1 - S) / n_at_risk) < 0.01 here.
        assert abs(float(km.at(np.array([t]))[0]) - math.exp(-t / PATIENCE_S)) < 0.05


def test_kaplan_meier_and_the_exponential_mle_on_a_tiny_sample() -> None:
    wait = np.array([10.0, 20.0, 20.0, 30.0, 40.0])
    abandoned = np.array([True, False, True, False, True])
    km = kaplan_meier(wait, abandoned)
    # At 10: 5 at risk, 1 leaves; at 20: 4 at risk, 1 leaves (the censored 20 counts at risk);
    # at 40: 1 at risk, 1 leaves.
    assert km.times.tolist() == [10.0, 20.0, 40.0]
    assert km.survival.tolist() == pytest.approx([0.8, 0.6, 0.0])
    assert fit_patience(wait, abandoned).mean == pytest.approx(120.0 / 3)


def test_moments_keep_the_observed_mean_and_sd_where_the_mle_does_not() -> None:
    # Not lognormal: a mixture of two (short and long calls), as real handle times often are.
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.lognormal(4.0, 0.4, 4000), rng.lognormal(5.5, 0.5, 1000)])
    fit = fit_lognormal(values)
    assert fit is not None
    assert fit.params("moments") == pytest.approx((values.mean(), values.std()))
    mean, sd = fit.params("mle-shape")
    assert mean == pytest.approx(values.mean()) and sd == pytest.approx(
        mean * math.sqrt(math.expm1(fit.sigma**2))
    )
    assert fit.params("mle") == pytest.approx((fit.mean, fit.sd))
    assert abs(fit.mean / values.mean() - 1) > 0.05  # the MLE moves the mean (the workload)
    assert math.isfinite(fit.ks_moments) and fit.ks_of("mle") == fit.ks
