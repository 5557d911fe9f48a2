"""The arrival rates one replication lives: the forecast, times the day's and intervals' luck.

A forecast is never exact. ``arrivals.uncertainty`` (:class:`~simulator.scenario.schema.
DemandUncertainty`) says by how much a day strays from it, and every replication draws its
own days:

- a **day multiplier** per day of the run, gamma with mean 1 and CV ``day_cv``, drawn by
  inverse CDF from one uniform per day of the stream :data:`DAY_LEVEL`;
- optional **interval multipliers**, log-AR(1) noise with CV ``interval_cv`` and lag-1
  correlation ``interval_correlation`` of the logs, from standard normals of the stream
  :data:`INTERVAL_NOISE`, then rescaled each day so that the day's expected total is the day
  multiplier's alone (the day and interval levels would otherwise count the same variation
  twice, as ``simulator/calibrate/history_fit.py`` explains).

Both streams are named (:mod:`simulator.model.rng`) and depend only on the seed, the
replication and the day, never on the rates: two variants of a scenario see the same busy and
quiet days (common random numbers), and a variant with another ``day_cv`` sees the same days at
the same quantiles. Without uncertainty the forecast rates are used as they are, and no stream
is drawn from, so a scenario without the key gives exactly the results it always gave.
"""

from __future__ import annotations

import math

import numpy as np

from simulator.distributions import Gamma
from simulator.model import rng
from simulator.scenario.schema import DemandUncertainty, Horizon, Scenario

#: The stream of the day multipliers: one uniform per day of the run.
DAY_LEVEL = "arrivals.day_level"
#: The stream of the interval noise: one standard normal per interval of the run.
INTERVAL_NOISE = "arrivals.interval_noise"


def replication_rates(scenario: Scenario, replication: int, seed: int) -> tuple[float, ...]:
    """Per-second arrival rates of every reported interval of the run, as replication
    ``replication`` lives them (the forecast itself when the arrivals carry no uncertainty)."""
    arrivals = scenario.arrivals
    uncertainty = arrivals.uncertainty
    if uncertainty is None or not uncertainty.active:
        return arrivals.rates
    horizon = scenario.horizon
    forecast = np.array(arrivals.rates, dtype=float).reshape(horizon.days, -1)
    days = day_multipliers(uncertainty, horizon.days, seed, replication)
    noise = interval_multipliers(uncertainty, forecast * _lengths(horizon), seed, replication)
    return tuple((forecast * days[:, None] * noise).ravel().tolist())


def day_multipliers(
    uncertainty: DemandUncertainty, days: int, seed: int, replication: int
) -> np.ndarray:
    """One gamma multiplier per day (mean 1, CV ``day_cv``); all 1 when ``day_cv`` is 0."""
    if uncertainty.day_cv <= 0:
        return np.ones(days)
    uniforms = rng.stream(seed, replication, DAY_LEVEL).random(days)
    variance = uncertainty.day_cv**2
    return Gamma(shape=1.0 / variance, scale=variance).draws(uniforms)


def interval_multipliers(
    uncertainty: DemandUncertainty, expected: np.ndarray, seed: int, replication: int
) -> np.ndarray:
    """Multipliers per day (rows) and interval (columns) that keep each day's expected total:
    ``sum_k expected[d, k] * m[d, k] == sum_k expected[d, k]``. All 1 without interval noise.

    The logs follow a stationary AR(1) with lag-1 correlation ``rho`` and variance
    ``log(1 + cv^2)``, shifted by half that variance so each multiplier has mean 1 and CV
    ``cv`` before the day is rescaled.
    """
    if uncertainty.interval_cv <= 0:
        return np.ones_like(expected)
    normals = rng.stream(seed, replication, INTERVAL_NOISE).standard_normal(expected.shape)
    rho = uncertainty.interval_correlation
    innovation = math.sqrt(1.0 - rho * rho)
    logs = np.empty_like(normals)
    logs[:, 0] = normals[:, 0]
    for k in range(1, normals.shape[1]):
        logs[:, k] = rho * logs[:, k - 1] + innovation * normals[:, k]
    variance = math.log1p(uncertainty.interval_cv**2)
    raw = np.exp(math.sqrt(variance) * logs - variance / 2.0)
    totals = expected.sum(axis=1)
    noisy = (expected * raw).sum(axis=1)
    scale = np.divide(totals, noisy, out=np.ones_like(totals), where=noisy > 0)
    return np.where(totals[:, None] > 0, raw * scale[:, None], 1.0)


def _lengths(horizon: Horizon) -> np.ndarray:
    """The length (s) of each interval of a day (the last may be shorter)."""
    return np.array([horizon.interval_length(i) for i in range(horizon.intervals_per_day)])
