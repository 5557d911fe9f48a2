"""Estimators: lognormal handle times, exponential patience under censoring, Kaplan-Meier.

Why these: handle times of call centers are close to lognormal (Brown et al. 2005). Its
maximum-likelihood fit is the mean and standard deviation of the log values; but when the data
are not exactly lognormal the MLE moves the distribution's *mean* (by +13 % on the development
log), and a planner's workload is arrivals x mean handle time. So the scenario uses, by default,
the lognormal with the observed mean and standard deviation (method of moments): it keeps the
workload and the second moment that queueing delays grow with (on that log it is also the closer
fit: KS 0.046 against 0.067), and the MLE stays available.

Patience is never seen for a served caller, only a lower bound (they were still willing to wait
when answered): a *censored* observation. Ignoring that (averaging the waits of abandoners)
badly underestimates patience; the censored exponential MLE and the Kaplan-Meier estimator both
use it. The formulas are in docs/background.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

#: KS distance below which a fit is called good, and below which fair (see :func:`verdict`).
GOOD_KS = 0.05
FAIR_KS = 0.10


#: How the scenario's lognormal handle times are set (``--handle-fit``), and what each means.
HANDLE_FITS = {
    "moments": "the observed mean and standard deviation (method of moments)",
    "mle": "maximum likelihood on the log values (its mean is not the observed mean)",
    "mle-shape": "the maximum-likelihood sigma at the observed mean",
}


@dataclass(frozen=True)
class LognormalFit:
    """A lognormal fitted by maximum likelihood, with its Kolmogorov-Smirnov distance.

    ``mu`` and ``sigma`` are the mean and (MLE, ddof 0) standard deviation of ``ln x``;
    ``mean`` and ``sd`` the distribution's own, as the scenario language writes it.
    ``sample_mean`` and ``sample_sd`` are the data's; ``ks_moments`` is the KS distance of the
    lognormal with those two (the method-of-moments fit, :meth:`params`).
    """

    n: int
    mu: float
    sigma: float
    ks: float
    p_value: float
    sample_mean: float
    sample_sd: float = math.nan
    ks_moments: float = math.nan

    @property
    def mean(self) -> float:
        return math.exp(self.mu + self.sigma**2 / 2)

    @property
    def sd(self) -> float:
        return self.mean * math.sqrt(math.expm1(self.sigma**2))

    @property
    def verdict(self) -> str:
        return verdict(self.ks)

    def params(self, method: str) -> tuple[float, float]:
        """The (mean, sd) the scenario writes for a ``--handle-fit`` method (:data:`HANDLE_FITS`).

        ``moments`` keeps the observed mean and sd, so the simulated workload (arrivals x mean)
        and the handle-time variance, which queueing delays grow with, are the log's.
        """
        if method == "moments":
            return self.sample_mean, self.sample_sd
        if method == "mle":
            return self.mean, self.sd
        if method == "mle-shape":
            return self.sample_mean, self.sample_mean * math.sqrt(math.expm1(self.sigma**2))
        raise ValueError(f"unknown handle-time fit {method!r}")

    def ks_of(self, method: str) -> float:
        """The KS distance of the lognormal used for ``method`` (``mle-shape`` has none stored)."""
        return {"moments": self.ks_moments, "mle": self.ks}.get(method, math.nan)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        return stats.lognorm.cdf(x, s=max(self.sigma, 1e-12), scale=math.exp(self.mu))

    def pdf(self, x: np.ndarray) -> np.ndarray:
        return stats.lognorm.pdf(x, s=max(self.sigma, 1e-12), scale=math.exp(self.mu))


def fit_lognormal(values: np.ndarray) -> LognormalFit | None:
    """The lognormal MLE of the positive values (None with fewer than 2)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x) & (x > 0)]
    if len(x) < 2:
        return None
    logs = np.log(x)
    mu, sigma = float(logs.mean()), float(logs.std())
    if sigma > 0:
        result = stats.kstest(x, "lognorm", args=(sigma, 0, math.exp(mu)))
        ks, p = float(result.statistic), float(result.pvalue)
    else:
        ks, p = 0.0, 1.0
    mean, sd = float(x.mean()), float(x.std())
    sigma_m = math.sqrt(math.log1p((sd / mean) ** 2))
    if sigma_m > 0:
        scale = mean * math.exp(-(sigma_m**2) / 2)
        ks_m = float(stats.kstest(x, "lognorm", args=(sigma_m, 0, scale)).statistic)
    else:
        ks_m = 0.0
    return LognormalFit(len(x), mu, sigma, ks, p, mean, sd, ks_m)


def verdict(ks: float) -> str:
    """A plain-language reading of a KS distance (the largest gap between two CDFs).

    With thousands of calls the KS *test* rejects every model for gaps too small to matter in a
    simulation, so the verdict reads the distance itself: below 0.05 the fitted and observed
    shares of calls below any duration differ by less than 5 points.
    """
    if not math.isfinite(ks):
        return "n/a"
    if ks < GOOD_KS:
        return "good"
    if ks < FAIR_KS:
        return "fair"
    return "poor"


@dataclass(frozen=True)
class PatienceFit:
    """Exponential patience by censored maximum likelihood.

    ``exposure`` is the total time all calls spent waiting (abandoned calls until they hung up,
    served calls until answered); ``mean = exposure / abandoned``. ``ci`` is the 95 % interval
    from ``2 * exposure / mean ~ chi2(2 * abandoned)``.
    """

    calls: int
    abandoned: int
    exposure: float

    @property
    def mean(self) -> float:
        return self.exposure / self.abandoned if self.abandoned else math.inf

    @property
    def ci(self) -> tuple[float, float]:
        if not self.abandoned:
            return math.nan, math.nan
        k = 2 * self.abandoned
        return (
            2 * self.exposure / stats.chi2.ppf(0.975, k),
            2 * self.exposure / stats.chi2.ppf(0.025, k),
        )


def fit_patience(wait: np.ndarray, abandoned: np.ndarray) -> PatienceFit:
    """The censored exponential MLE: total waiting time over the number of abandonments."""
    return PatienceFit(len(wait), int(np.count_nonzero(abandoned)), float(np.sum(wait)))


@dataclass(frozen=True)
class KaplanMeier:
    """The survival function of patience, right-censored by service: a step function.

    ``times`` are the distinct abandonment times and ``survival[i]`` = P(patience > times[i]).
    """

    times: np.ndarray
    survival: np.ndarray
    at_risk: np.ndarray

    def at(self, t: np.ndarray) -> np.ndarray:
        """S(t), right-continuous: 1 before the first abandonment."""
        idx = np.searchsorted(self.times, np.asarray(t, dtype=float), side="right") - 1
        return np.where(idx >= 0, self.survival[np.clip(idx, 0, None)], 1.0)

    def median(self) -> float:
        below = np.nonzero(self.survival <= 0.5)[0]
        return float(self.times[below[0]]) if len(below) else math.nan


def kaplan_meier(wait: np.ndarray, abandoned: np.ndarray) -> KaplanMeier:
    """Kaplan-Meier: S(t) = prod over abandonment times t_i <= t of (1 - d_i / n_i).

    ``n_i`` counts the calls still waiting just before ``t_i`` (abandoned or served at or after
    it). A call served at the same second as an abandonment is counted at risk, the usual
    convention (censoring after events).
    """
    wait = np.asarray(wait, dtype=float)
    abandoned = np.asarray(abandoned, dtype=bool)
    times, deaths = np.unique(wait[abandoned], return_counts=True)
    ordered = np.sort(wait)
    at_risk = len(ordered) - np.searchsorted(ordered, times, side="left")
    survival = np.cumprod(1.0 - deaths / np.maximum(at_risk, 1))
    return KaplanMeier(times, survival, at_risk)


def patience_gap(km: KaplanMeier, fit: PatienceFit, min_at_risk: int = 30) -> float:
    """Largest |S_KM(t) - exp(-t / mean)| where at least ``min_at_risk`` calls still waited.

    Far in the tail the Kaplan-Meier steps rest on a handful of calls; beyond that the gap says
    nothing about the fit.
    """
    ok = km.at_risk >= min_at_risk
    if not ok.any() or not math.isfinite(fit.mean):
        return math.nan
    times = km.times[ok]
    after = km.survival[ok]
    before = np.concatenate([[1.0], km.survival[:-1]])[ok]
    model = np.exp(-times / fit.mean)
    return float(max(np.max(np.abs(after - model)), np.max(np.abs(before - model))))
