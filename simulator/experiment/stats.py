"""Confidence intervals across independent replications (Student t on replication means)."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

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
    """JSON has no NaN: undefined values are written as null."""
    return None if math.isnan(x) else x


@functools.cache  # one value per replication count, asked for every KPI of every scope
def t_quantile(confidence: float, dof: int) -> float:
    # scipy.special.stdtrit is the Student t quantile; importing scipy.stats would cost ~45 MB.
    return float(special.stdtrit(dof, 0.5 + confidence / 2.0))


def estimate(values: Sequence[float], confidence: float = 0.95) -> Estimate:
    """Mean and t confidence interval of per-replication values, ignoring undefined (NaN) ones."""
    xs = [v for v in values if v is not None and not math.isnan(v)]
    n = len(xs)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    mean = math.fsum(xs) / n
    if n < 2:
        return Estimate(mean, math.nan, math.nan, n)
    var = math.fsum((x - mean) ** 2 for x in xs) / (n - 1)
    half = t_quantile(confidence, n - 1) * math.sqrt(var / n)
    return Estimate(mean, mean - half, mean + half, n)
