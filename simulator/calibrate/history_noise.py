"""From the interval noise a history shows to the parameters of the generator that makes it.

A fit can only see interval multipliers *around each day's own level*: whatever the whole day
shares is the day multiplier. A generator that draws log-AR(1) multipliers and rescales each
day to keep its total (so the day multiplier alone sets the total) loses the same shared part.
With the strong correlation of real data the loss is large: an AR(1) with lag-1 correlation 0.8
over 28 half hours has about a quarter of its variance in the day's mean. So the generator's
CV and correlation must be *larger* than what the fit measures, by the factors computed here.

For small CVs, ``E_k - 1`` is close to ``log E_k`` and rescaling subtracts the volume-weighted
mean: ``x~ = (I - 1 w') x`` with ``Cov(x) = cv^2 R``, ``R_kl = rho^|k-l|``. The measured
(volume-weighted) variance is ``cv^2 A(rho)`` with ``A = sum_k w_k (M R M')_kk`` and the measured
lag-1 correlation ``B(rho) / A(rho)``; inverting the second for ``rho`` (it increases with
``rho``) and the first for ``cv`` gives the generator's parameters.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

#: The range searched for the generator's lag-1 correlation.
LOWEST, HIGHEST = -0.9, 0.995


def rescaled_moments(correlation: float, weights: np.ndarray) -> tuple[float, float]:
    """Variance factor ``A`` and lag-1 correlation of unit-variance AR(1) multipliers after
    each day is rescaled to its volume-weighted mean (``weights`` sum to 1)."""
    k = len(weights)
    lags = np.abs(np.subtract.outer(np.arange(k), np.arange(k)))
    corr = np.power(correlation, lags.astype(float))
    centring = np.eye(k) - np.outer(np.ones(k), weights)
    covariance = centring @ corr @ centring.T
    variance = float(weights @ np.diag(covariance))
    pairs = np.sqrt(weights[1:] * weights[:-1])
    lag_one = float(pairs @ np.diag(covariance, 1) / pairs.sum())
    return variance, lag_one / variance


def generator_parameters(
    measured_cv: float, measured_correlation: float, profile: np.ndarray
) -> tuple[float, float]:
    """``(cv, correlation)`` of the log-AR(1) multipliers that, rescaled per day, show the
    measured CV and lag-1 correlation on a day of this profile."""
    if measured_cv <= 0 or len(profile) < 2:
        return 0.0, 0.0
    weights = profile / profile.sum()

    def gap(correlation: float) -> float:
        return rescaled_moments(correlation, weights)[1] - measured_correlation

    if gap(HIGHEST) <= 0:
        correlation = HIGHEST
    elif gap(LOWEST) >= 0:
        correlation = LOWEST
    else:
        correlation = brentq(gap, LOWEST, HIGHEST, xtol=1e-6)
    variance, _ = rescaled_moments(correlation, weights)
    return measured_cv / math.sqrt(variance), float(correlation)
