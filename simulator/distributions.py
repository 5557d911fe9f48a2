"""Probability distributions as small immutable objects that turn a uniform draw into a value.

Why inverse-CDF draws instead of ``rng.gamma(...)``: common random numbers. Every customer owns
pre-drawn uniforms (see :mod:`simulator.model.rng`); a distribution maps the *same* uniform ``u`` to
a value. A variant that changes one distribution then changes only the values drawn from it, and
never shifts another customer's draws, which rejection samplers would do.

Each distribution also receives ``z``, the standard normal quantile of ``u`` (computed once per
block, vectorised), so that the lognormal, the most common handle-time model, costs one ``exp``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, ClassVar

import numpy as np
from scipy import special

_STANDARD_NORMAL = NormalDist()


def normal_quantile(u: float) -> float:
    """Standard normal quantile of one uniform (used when ``z`` was not precomputed)."""
    return _STANDARD_NORMAL.inv_cdf(min(max(u, 1e-300), 1.0 - 1e-16))


def normal_quantiles(u: np.ndarray) -> np.ndarray:
    """Vectorised standard normal quantiles of uniforms in [0, 1)."""
    return special.ndtri(np.clip(u, 1e-300, 1.0 - 1e-16))


class Distribution:
    """Base of all distributions: a mean, a draw from (u, z), and a spec for the YAML language."""

    kind: ClassVar[str] = ""

    @property
    def mean(self) -> float:
        raise NotImplementedError

    def draw(self, u: float, z: float | None = None) -> float:
        """The value for uniform ``u`` in [0, 1) (``z`` = its normal quantile, if known)."""
        raise NotImplementedError

    def draws(self, u: np.ndarray) -> np.ndarray:
        """Vectorised :meth:`draw` (tests and calibration use it)."""
        return np.array([self.draw(float(x)) for x in u])

    def to_spec(self) -> dict[str, Any]:
        """The scenario-language form, in seconds, e.g. ``{"exponential": {"mean": 360.0}}``."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Constant(Distribution):
    value: float
    kind: ClassVar[str] = "constant"

    @property
    def mean(self) -> float:
        return self.value

    def draw(self, u: float, z: float | None = None) -> float:
        return self.value

    def draws(self, u: np.ndarray) -> np.ndarray:
        return np.full(len(u), self.value)

    def to_spec(self) -> dict[str, Any]:
        return {"constant": self.value}


@dataclass(frozen=True, slots=True)
class Exponential(Distribution):
    mean_value: float
    kind: ClassVar[str] = "exponential"

    @property
    def mean(self) -> float:
        return self.mean_value

    def draw(self, u: float, z: float | None = None) -> float:
        return -self.mean_value * math.log1p(-u)

    def draws(self, u: np.ndarray) -> np.ndarray:
        return -self.mean_value * np.log1p(-u)

    def to_spec(self) -> dict[str, Any]:
        return {"exponential": {"mean": self.mean_value}}


@dataclass(frozen=True, slots=True)
class Lognormal(Distribution):
    """Parameterised by its own mean and standard deviation, as planners quote handle times."""

    mean_value: float
    sd: float
    # Parameters of the underlying normal, computed once (draws happen millions of times).
    mu: float = field(init=False, repr=False, compare=False)
    sigma: float = field(init=False, repr=False, compare=False)
    kind: ClassVar[str] = "lognormal"

    def __post_init__(self) -> None:
        sigma = math.sqrt(math.log1p((self.sd / self.mean_value) ** 2)) if self.mean_value else 0.0
        mu = math.log(self.mean_value) - 0.5 * sigma**2 if self.mean_value else -math.inf
        object.__setattr__(self, "sigma", sigma)
        object.__setattr__(self, "mu", mu)

    @property
    def mean(self) -> float:
        return self.mean_value

    def draw(self, u: float, z: float | None = None) -> float:
        if self.mean_value == 0:
            return 0.0
        if z is None:
            z = normal_quantile(u)
        return math.exp(self.mu + self.sigma * z)

    def draws(self, u: np.ndarray) -> np.ndarray:
        if self.mean_value == 0:
            return np.zeros(len(u))
        return np.exp(self.mu + self.sigma * normal_quantiles(u))

    def to_spec(self) -> dict[str, Any]:
        return {"lognormal": {"mean": self.mean_value, "sd": self.sd}}


@dataclass(frozen=True, slots=True)
class Gamma(Distribution):
    """Gamma by shape and scale (the loader also accepts mean and sd)."""

    shape: float
    scale: float
    kind: ClassVar[str] = "gamma"

    @property
    def mean(self) -> float:
        return self.shape * self.scale

    def draw(self, u: float, z: float | None = None) -> float:
        return float(self.scale * special.gammaincinv(self.shape, u))

    def draws(self, u: np.ndarray) -> np.ndarray:
        return self.scale * special.gammaincinv(self.shape, u)

    def to_spec(self) -> dict[str, Any]:
        return {"gamma": {"shape": self.shape, "scale": self.scale}}


@dataclass(frozen=True, slots=True)
class Uniform(Distribution):
    low: float
    high: float
    kind: ClassVar[str] = "uniform"

    @property
    def mean(self) -> float:
        return 0.5 * (self.low + self.high)

    def draw(self, u: float, z: float | None = None) -> float:
        return self.low + (self.high - self.low) * u

    def draws(self, u: np.ndarray) -> np.ndarray:
        return self.low + (self.high - self.low) * u

    def to_spec(self) -> dict[str, Any]:
        return {"uniform": {"low": self.low, "high": self.high}}


@dataclass(frozen=True, slots=True)
class Empirical(Distribution):
    """Resamples observed values with equal weight (e.g. handle times exported from an ACD)."""

    values: tuple[float, ...]
    kind: ClassVar[str] = "empirical"

    @property
    def mean(self) -> float:
        return sum(self.values) / len(self.values)

    def draw(self, u: float, z: float | None = None) -> float:
        return self.values[min(int(u * len(self.values)), len(self.values) - 1)]

    def draws(self, u: np.ndarray) -> np.ndarray:
        idx = np.minimum((u * len(self.values)).astype(np.int64), len(self.values) - 1)
        return np.asarray(self.values)[idx]

    def to_spec(self) -> dict[str, Any]:
        return {"empirical": list(self.values)}


DISTRIBUTION_KINDS: tuple[str, ...] = (
    "exponential",
    "lognormal",
    "gamma",
    "uniform",
    "constant",
    "empirical",
)
