"""Confidence intervals across independent replications (Student t on replication means)."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special


@dataclass(frozen=True, slots=True)
class Estimate:
    """A mean over replications with its two-sided confidence interval.

    ``n`` counts the replications where the KPI was defined (e.g. ASA is undefined in a replication
    where nobody was answered). With fewer than two, the interval is unknown (NaN).
    """

    mean: float
    ci_low: float
    ci_high: float
    n: int

    @property
    def half_width(self) -> float:
        return 0.5 * (self.ci_high - self.ci_low)

    def contains(self, value: float) -> bool:
        return self.ci_low <= value <= self.ci_high

    def as_dict(self) -> dict[str, float | None]:
        return {
            "mean": _clean(self.mean),
            "ci_low": _clean(self.ci_low),
            "ci_high": _clean(self.ci_high),
        }


def _clean(x: float) -> float | None:
    """JSON has no NaN or infinity: undefined values are written as null."""
    return x if math.isfinite(x) else None


@functools.cache  # one value per replication count, asked for every KPI of every scope
def t_quantile(confidence: float, dof: int) -> float:
    # scipy.special.stdtrit is the Student t quantile; importing scipy.stats would cost ~45 MB.
    return float(special.stdtrit(dof, 0.5 + confidence / 2.0))


def estimate(values: Sequence[float], confidence: float = 0.95) -> Estimate:
    """Mean and t confidence interval of per-replication values, ignoring undefined (NaN) ones."""
    xs = [v for v in values if v is not None and v == v]  # v == v: not NaN
    n = len(xs)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    mean = math.fsum(xs) / n
    if n < 2:
        return Estimate(mean, math.nan, math.nan, n)
    # (x - mean) ** 2 raises OverflowError past 1e154; a product is infinite, then null.
    var = math.fsum([(x - mean) * (x - mean) for x in xs]) / (n - 1)
    half = t_quantile(confidence, n - 1) * math.sqrt(var / n)
    return Estimate(mean, mean - half, mean + half, n)


def estimate_rows(values: np.ndarray, confidence: float = 0.95) -> list[Estimate]:
    """:func:`estimate` of every row of ``values`` (``(kpis, replications)``) at once.

    The same definitions (NaN values ignored, no interval below two values), computed with
    numpy for the thousands of KPIs of a run. The mean is the first defined value plus the
    mean of the differences from it, so a KPI equal in every replication has exactly that mean
    and a zero-width interval (as with :func:`math.fsum`); otherwise it may differ from
    :func:`estimate` in the last bit.
    """
    if values.size == 0:
        return [Estimate(math.nan, math.nan, math.nan, 0) for _ in range(values.shape[0])]
    defined = ~np.isnan(values)
    n = defined.sum(axis=1)
    rows = np.arange(values.shape[0])
    first = values[rows, np.argmax(defined, axis=1)]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        shifted = np.where(defined, values - first[:, None], 0.0)
        mean = np.where(n > 0, first + shifted.sum(axis=1) / n, np.nan)
        deviations = np.where(defined, values - mean[:, None], 0.0)
        variance = (deviations**2).sum(axis=1) / (n - 1)
        t = np.full(len(n), np.nan)
        for count in np.unique(n[n >= 2]).tolist():  # one quantile per replication count
            t[n == count] = t_quantile(confidence, count - 1)
        half = np.where(n >= 2, t * np.sqrt(variance / n), np.nan)
    low, high = (mean - half).tolist(), (mean + half).tolist()
    return [
        Estimate(m, lo, hi, k)
        for m, lo, hi, k in zip(mean.tolist(), low, high, n.tolist(), strict=True)
    ]
