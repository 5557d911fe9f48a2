"""Fitting an arrival history: weekday profiles and how uncertain a day's volume is.

The model behind the fit, the one the simulator draws from::

    N[d, k] ~ Poisson(profile[weekday(d)][k] * D[d] * E[d, k])

- ``profile[w][k]``: the mean count of interval ``k`` on weekday ``w``; a weekday with fewer
  than ``min_days`` days in the history uses the ``default`` profile, the mean over all days;
- ``D[d]``: the *day multiplier*, mean 1, coefficient of variation ``day_cv`` (gamma in the
  simulator). It is what makes a whole day busier than forecast: weather, a mailing, an outage;
- ``E[d, k]``: optional *interval noise*: log-AR(1) multipliers with CV ``interval_cv`` and
  lag-1 correlation ``interval_correlation``, each day rescaled so that ``sum_k profile_k E_k
  = sum_k profile_k``. It reshapes a day without changing its total, so the two levels do not
  double count. The fit measures the noise around each day's level
  (``measured_interval_cv``, ``measured_interval_correlation``); the generator's parameters,
  larger, follow from them (:mod:`simulator.calibrate.history_noise`).

Estimators (moments, quick enough to bootstrap):

- ``day_cv``: a day with expected total ``m`` has ``Var(total) = m + c^2 m^2`` (Poisson plus the
  day multiplier), so ``c^2 = sum_d [f_d (T_d - m_d)^2 - m_d] / sum_d m_d^2``, where
  ``f_d = n/(n-1)`` undoes the shrinkage of deviations from a mean taken over the same ``n``
  days;
- interval noise: with the day level removed, a count's expectation is ``lambda_k =
  profile_k T_d / m_d`` and ``r_k = N_k / lambda_k`` estimates ``E_k`` with multinomial noise of
  variance ``(1 - p_k) / lambda_k``; the volume-weighted mean of ``f_d (r_k - 1)^2`` less that
  noise is the measured CV squared, and the weighted mean product of neighbours, over it, the
  measured lag-1 correlation;
- confidence intervals: percentile bootstrap over days, resampled within each weekday, with a
  seeded generator (the same history gives the same report); a resample's ``f_d`` is squared,
  since days drawn with replacement from ``n`` spread with ``1/n``, not ``1/(n-1)``.

The CV of the raw daily totals is reported too (the bank data's README: about 9 %); it mixes
weekday differences, Poisson noise and the day multiplier, which the fit separates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator.calibrate.history import ArrivalHistory, HistoryError
from simulator.calibrate.history_noise import generator_parameters
from simulator.calibrate.profile import WEEKDAYS

#: Profile group of the days that use the default (pooled) profile.
DEFAULT = -1


@dataclass(frozen=True, slots=True)
class Ranged:
    """An estimate with its bootstrap confidence interval."""

    value: float
    low: float
    high: float

    def covers(self, truth: float) -> bool:
        return self.low <= truth <= self.high


@dataclass(frozen=True)
class HistoryFit:
    """Weekday profiles (expected arrivals per interval) and the uncertainty around them.

    ``profiles`` holds the weekdays with at least ``min_days`` days (``mon`` ... ``sun``);
    ``default`` is the mean over every day. ``day_cv`` is relative to the profiles used (each
    weekday's own, or the default when ``by_weekday`` is false). ``interval_cv`` and
    ``interval_correlation`` are the generator's parameters, ``measured_*`` what the history
    shows around each day's level; all four are ``None`` when interval noise was not fitted.
    """

    history: ArrivalHistory
    by_weekday: bool
    min_days: int
    profiles: dict[str, tuple[float, ...]]
    default: tuple[float, ...]
    days_per_weekday: dict[str, int]
    day_cv: Ranged
    interval_cv: Ranged | None
    interval_correlation: Ranged | None
    measured_interval_cv: Ranged | None
    measured_interval_correlation: Ranged | None
    daily_total_cv: float
    poisson_cv: float
    confidence: float
    resamples: int


@dataclass(frozen=True, slots=True)
class _Estimate:
    day_cv: float
    measured_interval_cv: float = 0.0
    measured_interval_correlation: float = 0.0
    interval_cv: float = 0.0
    interval_correlation: float = 0.0


def fit_history(
    history: ArrivalHistory,
    *,
    by_weekday: bool = True,
    min_days: int = 4,
    interval_noise: bool = True,
    resamples: int = 200,
    confidence: float = 0.95,
    seed: int = 0,
) -> HistoryFit:
    """Fit profiles, the day-level CV and (optionally) interval noise, with bootstrap CIs."""
    counts, weekdays = history.counts, history.weekdays
    if len(counts) < 2:
        raise HistoryError(f"{history.source}: a fit needs at least 2 days, found {len(counts)}")
    if not 0 < confidence < 1:
        raise HistoryError(f"the confidence level must be within 0..1, found {confidence}")
    groups = profile_groups(weekdays, by_weekday, min_days)
    noise = interval_noise and history.n_intervals > 1
    point = _estimate(counts, groups, noise)
    rng = np.random.default_rng(seed)
    draws = [
        _estimate(*_resample(counts, groups, weekdays, rng), noise, resampled=True)
        for _ in range(resamples)
    ]
    totals = counts.sum(axis=1)

    def ranged(name: str) -> Ranged:
        values = np.array([getattr(e, name) for e in draws])
        low, high = np.quantile(values, [(1 - confidence) / 2, (1 + confidence) / 2])
        return Ranged(getattr(point, name), float(low), float(high))

    return HistoryFit(
        history=history,
        by_weekday=by_weekday,
        min_days=min_days,
        profiles={
            WEEKDAYS[w]: _rounded(counts[groups == w].mean(axis=0))
            for w in range(7)
            if np.any(groups == w)
        },
        default=_rounded(counts.mean(axis=0)),
        days_per_weekday={WEEKDAYS[w]: int(np.sum(weekdays == w)) for w in np.unique(weekdays)},
        day_cv=ranged("day_cv"),
        interval_cv=ranged("interval_cv") if noise else None,
        interval_correlation=ranged("interval_correlation") if noise else None,
        measured_interval_cv=ranged("measured_interval_cv") if noise else None,
        measured_interval_correlation=ranged("measured_interval_correlation") if noise else None,
        daily_total_cv=float(totals.std(ddof=1) / totals.mean()),
        poisson_cv=float(1 / math.sqrt(totals.mean())),
        confidence=confidence,
        resamples=resamples,
    )


def profile_groups(weekdays: np.ndarray, by_weekday: bool, min_days: int) -> np.ndarray:
    """Per day, the weekday whose profile it uses, or :data:`DEFAULT`."""
    if not by_weekday:
        return np.full(len(weekdays), DEFAULT)
    counts = np.bincount(weekdays, minlength=7)
    return np.where(counts[weekdays] >= min_days, weekdays, DEFAULT)


def _rounded(values: np.ndarray) -> tuple[float, ...]:
    return tuple(round(float(v), 3) for v in values)


def _resample(
    counts: np.ndarray, groups: np.ndarray, weekdays: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Days drawn with replacement within each weekday (each keeps its number of days)."""
    days_of = [np.flatnonzero(weekdays == w) for w in np.unique(weekdays)]
    picked = np.concatenate([rng.choice(days, len(days)) for days in days_of])
    return counts[picked], groups[picked]


def _estimate(
    counts: np.ndarray, groups: np.ndarray, noise: bool, resampled: bool = False
) -> _Estimate:
    """Point estimates for one (possibly resampled) history; see the module docstring."""
    expected, shrink = _expected(counts, groups, resampled)
    totals, means = counts.sum(axis=1), expected.sum(axis=1)
    excess = shrink * (totals - means) ** 2 - means
    day_cv = math.sqrt(max(float(excess.sum() / (means**2).sum()), 0.0))
    if not noise:
        return _Estimate(day_cv)
    measured = _interval_noise(counts, expected, shrink)
    generator = generator_parameters(*measured, counts.mean(axis=0))
    return _Estimate(day_cv, *measured, *generator)


def _expected(
    counts: np.ndarray, groups: np.ndarray, resampled: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Each day's profile (days x intervals) and its ``n/(n-1)`` correction.

    Days drawn with replacement from ``n`` days spread like those days with ``1/n`` in place of
    ``1/(n-1)``: a resample takes the correction twice, or its estimates would sit below the
    point estimate (by 5 % of the variance with 20 days) and the intervals would miss it.
    """
    expected = np.empty_like(counts)
    shrink = np.empty(len(counts))
    pooled = counts.mean(axis=0)
    for g in np.unique(groups):
        members = groups == g
        n = len(counts) if g == DEFAULT else int(members.sum())
        expected[members] = pooled if g == DEFAULT else counts[members].mean(axis=0)
        shrink[members] = (n / (n - 1)) ** (2 if resampled else 1) if n > 1 else 1.0
    return expected, shrink


def _interval_noise(
    counts: np.ndarray, expected: np.ndarray, shrink: np.ndarray
) -> tuple[float, float]:
    """CV and lag-1 correlation of the interval multipliers around each day's own level."""
    totals, means = counts.sum(axis=1), expected.sum(axis=1)
    level = np.divide(totals, means, out=np.zeros_like(totals), where=means > 0)
    lam = expected * level[:, None]
    share = np.divide(lam, totals[:, None], out=np.zeros_like(lam), where=totals[:, None] > 0)
    usable = lam > 0
    residual = np.divide(counts, lam, out=np.ones_like(counts), where=usable) - 1
    noise = np.divide(1 - share, lam, out=np.zeros_like(lam), where=usable)
    spread = shrink[:, None] * residual**2 - noise
    variance = float(np.sum((lam * spread)[usable]) / np.sum(lam[usable]))
    if variance <= 0:
        return 0.0, 0.0
    pair = usable[:, 1:] & usable[:, :-1]
    weight = np.sqrt(lam[:, 1:] * lam[:, :-1])
    # Given the day's total, two counts are multinomial: covariance -T p_k p_l, i.e. -1/T.
    inverse_total = np.divide(1, totals, out=np.zeros_like(totals), where=totals > 0)
    product = shrink[:, None] * residual[:, 1:] * residual[:, :-1] + inverse_total[:, None]
    covariance = float(np.sum((weight * product)[pair]) / np.sum(weight[pair]))
    return math.sqrt(variance), float(np.clip(covariance / variance, -1.0, 1.0))
