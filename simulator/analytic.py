"""Closed-form queueing results used to validate the simulator and to seed staffing searches.

The simulator is only trustworthy if, stripped down to Markovian assumptions, it reproduces the
textbook models: Erlang B (blocking), Erlang C (M/M/c) and Erlang A (M/M/c+M, optionally with a
finite system capacity K). This module computes those models exactly and stably, so tests can
compare simulated metrics against them and staffing searches can start from a good guess.

Conventions (all rates in one consistent time unit, e.g. per second):

* ``lam`` arrival rate, ``mu`` service rate (1 / mean handle time), ``theta`` abandonment rate
  (1 / mean patience), ``c`` number of agents (an int >= 0).
* "Offered" means every arrival, including those blocked by a full system.

Numerical approach: nothing evaluates factorials or large powers. Erlang B uses its classic
recursion; Erlang A builds the birth-death stationary distribution in log space (truncated
adaptively when the capacity is unbounded). Conditional waiting-time laws use the fact that a
customer with ``k`` others ahead of it has a *virtual* wait ``V`` that is a sum of exponentials
with rates ``c*mu + j*theta`` (j = 0..k). Because those rates form an arithmetic progression,
``V`` has the same law as ``-ln(U) / theta`` with ``U ~ Beta(c*mu/theta, k + 1)`` (compare the
Laplace transforms: both are ``prod_j (c*mu + j*theta) / (c*mu + j*theta + s)``). Its CDF is
therefore a regularized incomplete beta function, which scipy evaluates accurately for thousands
of agents; ``theta == 0`` degenerates to an Erlang (gamma) law. Exponential tilting by the
customer's own patience shifts every rate by ``theta``, which keeps the same structure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy.special import betainc, gammainc, gammaincc, logsumexp

__all__ = [
    "ErlangA",
    "ErlangC",
    "QueuedWait",
    "erlang_a",
    "erlang_a_agents_for",
    "erlang_b",
    "erlang_c",
    "erlang_c_agents_for_service_level",
    "offered_load",
    "queued_wait",
]

#: Tail mass of the stationary distribution we are willing to drop when the capacity is
#: unbounded. Comfortably below the 1e-14 the rest of the module relies on.
_TAIL_TOL = 1e-15

#: Refuse truncations beyond this many states. Only reachable with a vanishing theta (> 0) at or
#: above saturation, where the queue's spread grows like sqrt(c*mu/theta).
_MAX_STATES = 50_000_000

SlDefinition = Literal[
    "answered_of_offered", "answered_of_offered_less_short_abandons", "waited_le"
]


# --------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------


def _check_nonneg(name: str, value: float) -> float:
    """Reject negative, NaN or infinite parameters early, with the offending name in the error."""
    value = float(value)
    if not math.isfinite(value) or value < 0.0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def _check_positive(name: str, value: float) -> float:
    """Like ``_check_nonneg`` but for rates that appear in denominators (e.g. ``mu``)."""
    value = _check_nonneg(name, value)
    if value == 0.0:
        raise ValueError(f"{name} must be > 0")
    return value


def _check_agents(c: int) -> int:
    """Agents are a count; accept numpy ints but not 2.5 agents or booleans."""
    if isinstance(c, bool) or not isinstance(c, (int, np.integer)) or c < 0:
        raise ValueError(f"c must be an int >= 0, got {c!r}")
    return int(c)


def _check_time(t: float) -> float:
    """Service-level thresholds are durations; ``inf`` is allowed and means "eventually"."""
    t = float(t)
    if math.isnan(t) or t < 0.0:
        raise ValueError(f"t must be >= 0, got {t!r}")
    return t


def _check_fraction(name: str, value: float) -> float:
    """Targets must lie strictly inside (0, 1): 0 is always met and 1 is never met."""
    value = float(value)
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name} must be in (0, 1), got {value!r}")
    return value


# --------------------------------------------------------------------------------------------
# Erlang B and C
# --------------------------------------------------------------------------------------------


def offered_load(lam: float, mu: float) -> float:
    """Offered load in Erlangs, ``lam / mu``: the mean number of busy agents with no queueing."""
    return _check_nonneg("lam", lam) / _check_positive("mu", mu)


def erlang_b(c: int, load: float) -> float:
    """Erlang B blocking probability of M/M/c/c with ``load = lam / mu`` Erlangs.

    Uses the recursion ``B(n) = load*B(n-1) / (n + load*B(n-1))``, whose terms all stay in
    [0, 1], so it is exact to rounding for any ``c`` (the factorial form overflows near c=170).
    """
    c = _check_agents(c)
    load = _check_nonneg("load", load)
    b = 1.0
    for n in range(1, c + 1):
        b = load * b / (n + load * b)
    return b


@dataclass(frozen=True)
class ErlangC:
    """Steady state of M/M/c (Erlang C): infinite patience, infinite waiting room.

    Unstable systems (``lam >= c*mu`` with ``lam > 0``) have no steady state; rather than raise,
    they report the limit a staffing search needs: ``p_wait = 1``, ``asa = mean_queue = inf``,
    ``occupancy = 1`` and ``service_level(t) = 0`` for every finite ``t``.
    """

    lam: float
    mu: float
    c: int
    p_wait: float
    """P(W > 0): probability an arrival has to queue (the Erlang C formula)."""
    asa: float
    """Mean wait of all arrivals; equals that of answered calls since nobody abandons."""
    mean_queue: float
    """Time-average number waiting, E[Q] = lam * asa (Little)."""
    occupancy: float
    """Fraction of agent time busy, ``lam / (c*mu)`` when stable."""

    @property
    def stable(self) -> bool:
        """Whether a steady state exists (arrivals below total service capacity)."""
        return self.lam == 0.0 or self.lam < self.c * self.mu

    def service_level(self, t: float) -> float:
        """P(W <= t) = 1 - C * exp(-(c*mu - lam) * t); 0 for unstable systems."""
        t = _check_time(t)
        if not self.stable:
            return 0.0
        if self.p_wait == 0.0:
            return 1.0
        return 1.0 - self.p_wait * math.exp(-(self.c * self.mu - self.lam) * t)


def _erlang_c_from_b(lam: float, mu: float, c: int, b: float) -> ErlangC:
    """Assemble Erlang C from an already computed Erlang B value.

    Separated out so the staffing search can advance B incrementally instead of paying O(c)
    per candidate.
    """
    if lam == 0.0:
        return ErlangC(lam, mu, c, p_wait=0.0, asa=0.0, mean_queue=0.0, occupancy=0.0)
    if lam >= c * mu:
        occ = 1.0 if c > 0 else 0.0
        return ErlangC(lam, mu, c, p_wait=1.0, asa=math.inf, mean_queue=math.inf, occupancy=occ)
    rho = lam / (c * mu)
    p_wait = b / (1.0 - rho * (1.0 - b))
    asa = p_wait / (c * mu - lam)
    return ErlangC(lam, mu, c, p_wait=p_wait, asa=asa, mean_queue=lam * asa, occupancy=rho)


def erlang_c(lam: float, mu: float, c: int) -> ErlangC:
    """Erlang C (M/M/c) steady state; see :class:`ErlangC` for the unstable convention."""
    lam = _check_nonneg("lam", lam)
    mu = _check_positive("mu", mu)
    c = _check_agents(c)
    return _erlang_c_from_b(lam, mu, c, erlang_b(c, lam / mu))


# --------------------------------------------------------------------------------------------
# Conditional waiting-time law of a queued customer
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueuedWait:
    """Outcome probabilities for an arrival that finds all agents busy and ``k`` waiting ahead.

    Every field is an array aligned with the ``k`` passed to :func:`queued_wait`. ``V`` is the
    virtual wait (time to reach an agent if infinitely patient), ``tau ~ Exp(theta)`` the
    customer's patience and ``W = min(V, tau)`` the actual wait.
    """

    p_served: np.ndarray
    """P(V < tau) = c*mu / (c*mu + (k+1)*theta) (the per-stage ratios telescope)."""
    p_virtual_le: np.ndarray
    """P(V <= t)."""
    p_served_le: np.ndarray
    """P(served and W <= t) = E[exp(-theta*V); V <= t]."""
    p_waited_le: np.ndarray
    """P(W <= t) = 1 - exp(-theta*t) * P(V > t)."""
    p_abandon_le: np.ndarray
    """P(abandons and W <= t) = P(W <= t) - P(served and W <= t)."""
    mean_wait: np.ndarray
    """E[W] = (k+1) / (c*mu + (k+1)*theta)."""


def _virtual_wait_cdf(
    k: np.ndarray, alpha: float, theta: float, t: float
) -> tuple[np.ndarray, np.ndarray]:
    """(P(V <= t), P(V > t)) for V = sum of Exp(alpha + j*theta), j = 0..k.

    Both tails are computed directly (not as 1 - other) so neither loses relative accuracy.
    ``alpha == 0`` means no agents: the customer never reaches service.
    """
    if alpha == 0.0:
        return np.zeros(k.shape), np.ones(k.shape)
    if theta == 0.0:
        # Erlang(k+1, alpha): P(V <= t) = P(Poisson(alpha*t) >= k+1).
        x = alpha * t
        return gammainc(k + 1.0, x), gammaincc(k + 1.0, x)
    # V = -ln(U)/theta with U ~ Beta(alpha/theta, k+1), so P(V > t) = P(U > e^{-theta t}).
    shape = alpha / theta
    return (
        betainc(k + 1.0, shape, -math.expm1(-theta * t)),
        betainc(shape, k + 1.0, math.exp(-theta * t)),
    )


def queued_wait(k: int | np.ndarray, c: int, mu: float, theta: float, t: float) -> QueuedWait:
    """Exact waiting outcomes for a customer who finds ``k`` others queued ahead of it.

    Customers ahead can abandon too, so the ahead-count drops at rate ``c*mu + j*theta`` while
    ``j`` remain ahead; the customer enters service after the drop from ``j = 0``. Weighting by
    ``exp(-theta*V)`` (surviving its own patience) turns each Exp(a) stage into Exp(a + theta)
    times ``a / (a + theta)``, i.e. the same structure with ``alpha`` replaced by
    ``alpha + theta``; that is how ``p_served_le`` reuses the incomplete-beta CDF.

    Valid for ``theta == 0`` (Erlang C limit: everybody is served) and ``theta == mu``.
    """
    c = _check_agents(c)
    mu = _check_positive("mu", mu)
    theta = _check_nonneg("theta", theta)
    t = _check_time(t)
    ks = np.asarray(k, dtype=float)
    if np.any(ks < 0) or np.any(ks != np.floor(ks)):
        raise ValueError("k must be integers >= 0")
    if c == 0 and theta == 0.0:
        raise ValueError("with c == 0 and theta == 0 a queued customer waits forever")
    alpha = c * mu
    a_next = alpha + (ks + 1.0) * theta
    p_served = alpha / a_next
    v_le, v_gt = _virtual_wait_cdf(ks, alpha, theta, t)
    if theta == 0.0:
        served_le = v_le
        survive = 1.0
    else:
        served_le = p_served * _virtual_wait_cdf(ks, alpha + theta, theta, t)[0]
        survive = math.exp(-theta * t)
    waited_le = 1.0 - survive * v_gt
    return QueuedWait(
        p_served=p_served,
        p_virtual_le=v_le,
        p_served_le=served_le,
        p_waited_le=waited_le,
        p_abandon_le=np.maximum(waited_le - served_le, 0.0),
        mean_wait=(ks + 1.0) / a_next,
    )


# --------------------------------------------------------------------------------------------
# Erlang A (M/M/c+M, optionally M/M/c/K+M)
# --------------------------------------------------------------------------------------------


def _death_rates(n: np.ndarray, mu: float, theta: float, c: int) -> np.ndarray:
    """Departure rate in state n: busy agents finish at mu, waiting customers abandon at theta."""
    return mu * np.minimum(n, c) + theta * np.maximum(n - c, 0)


def _log_weights(lam: float, mu: float, theta: float, c: int, n_max: int) -> np.ndarray:
    """Unnormalized log stationary probabilities of states 0..n_max.

    Detailed balance gives ``pi_n = pi_{n-1} * lam / d_n``; summing logs avoids both the
    overflow of ``lam**n`` and the underflow of ``1/n!``.
    """
    n = np.arange(1, n_max + 1, dtype=float)
    steps = math.log(lam) - np.log(_death_rates(n, mu, theta, c))
    return np.concatenate(([0.0], np.cumsum(steps)))


def _tail_is_negligible(log_w: np.ndarray, lam: float, mu: float, theta: float, c: int) -> bool:
    """Whether states beyond the last one carry less than ``_TAIL_TOL`` of the mass.

    Past ``c`` the death rates never decrease, so the ratios ``r = lam / d_{n+1}`` do not
    increase and the dropped tail is at most ``pi_n * r / (1 - r)`` (a geometric bound).
    """
    n = len(log_w) - 1
    if n < c:
        return False
    r = lam / float(_death_rates(np.array([n + 1.0]), mu, theta, c)[0])
    if r >= 1.0:
        return False
    log_tail = log_w[-1] + math.log(r) - math.log1p(-r)
    return log_tail - logsumexp(log_w) < math.log(_TAIL_TOL)


def _stationary(lam: float, mu: float, theta: float, c: int, capacity: int | None) -> np.ndarray:
    """Stationary distribution of the number in system, truncated adaptively if unbounded."""
    if lam == 0.0:
        return np.array([1.0])
    if capacity is not None:
        log_w = _log_weights(lam, mu, theta, c, capacity)
    else:
        # theta > 0 here (theta == 0 without capacity is delegated to Erlang C). Start ~10
        # standard deviations past the mode (where lam = d_n): an overloaded queue spreads like
        # sqrt(lam/theta), an underloaded one like the service count, sqrt(lam/mu). Then grow
        # geometrically until the tail bound holds, so the size stays within a constant factor.
        overload = max(lam - c * mu, 0.0)
        mode = c + overload / theta if overload > 0 else lam / mu
        spread = math.sqrt(lam / (min(mu, theta) if overload > 0 else mu))
        n_max = math.ceil(mode + 10.0 * spread) + 64
        log_w = _log_weights(lam, mu, theta, c, n_max)
        while not _tail_is_negligible(log_w, lam, mu, theta, c):
            n_max = 2 * n_max
            if n_max > _MAX_STATES:
                raise ValueError("theta too small for this load to truncate; pass a capacity")
            log_w = _log_weights(lam, mu, theta, c, n_max)
    pi = np.exp(log_w - logsumexp(log_w))
    return pi / pi.sum()  # removes the rounding drift of long log-cumsums


@dataclass(frozen=True)
class ErlangA:
    """Steady state of M/M/c+M (Erlang A), or M/M/c/K+M when a capacity K is given.

    Probabilities prefixed ``p_`` are among *all* (offered) arrivals unless stated otherwise.
    ``p_immediate`` follows Whitt's convention for P(W = 0): only customers answered on arrival
    count, so blocked customers are in the denominator but not the numerator.

    With ``theta == 0`` and no capacity the model *is* M/M/c, so the result is built from
    :class:`ErlangC` (kept in ``mmc``) rather than a truncated chain, which would need
    ~35/(1 - rho) states near saturation. If ``lam >= c*mu`` there is no steady state: the
    result is flagged ``stable=False`` with ``p_wait = 1``, infinite queue and waits, and every
    service level 0 (the :class:`ErlangC` convention).
    """

    lam: float
    mu: float
    theta: float
    c: int
    capacity: int | None
    stable: bool
    p_blocked: float
    """P(an arrival finds K in system and is lost); 0 without a capacity."""
    p_wait: float
    """P(must queue | not blocked): mass of states c..K-1 over admitted arrivals."""
    p_immediate: float
    """P(answered on arrival) among all arrivals: Whitt's P(W = 0)."""
    p_abandon: float
    """P(an arrival abandons) among all arrivals (= theta * E[Q] / lam)."""
    mean_queue: float
    """E[Q], time-average number waiting (excluding those in service)."""
    mean_wait: float
    """E[W] over admitted arrivals; abandoners count their time to abandon (= E[Q]/lam_in)."""
    asa: float
    """Mean wait of answered customers (average speed of answer); NaN if nobody is served."""
    occupancy: float
    """Fraction of agent time busy: served rate / (c*mu); 0 with no agents."""
    ahead_probs: np.ndarray = field(repr=False, compare=False)
    """P(an arrival is admitted and finds all agents busy with k waiting), indexed by k.
    Empty when the result delegates to ``mmc``."""
    mmc: ErlangC | None = field(default=None, repr=False, compare=False)
    """The equivalent M/M/c model when theta == 0 and there is no capacity, else None."""

    def _queued(self, t: float) -> QueuedWait:
        """Per-k outcomes for every queue length an admitted arrival can see."""
        k = np.arange(len(self.ahead_probs))
        return queued_wait(k, self.c, self.mu, self.theta, t)

    def answered_within(self, t: float) -> float:
        """P(answered with wait <= t) among all arrivals."""
        t = _check_time(t)
        if self.mmc is not None:
            return self.mmc.service_level(t)
        return self.p_immediate + float(self.ahead_probs @ self._queued(t).p_served_le)

    def abandoned_within(self, t: float) -> float:
        """P(abandons with wait <= t) among all arrivals."""
        t = _check_time(t)
        if self.mmc is not None:
            return 0.0
        return float(self.ahead_probs @ self._queued(t).p_abandon_le)

    def sl_answered_of_offered(self, t: float) -> float:
        """Answered within t / all offered: what the simulator reports.

        At t=0 it equals ``p_immediate``; as t grows it tends to ``1 - p_abandon - p_blocked``.
        """
        return self.answered_within(t)

    def sl_answered_of_offered_less_short_abandons(self, t: float) -> float:
        """Answered within t / (offered - abandoned within t).

        Forgives callers who hang up before t (they were not failed by the threshold); it is
        therefore never below :meth:`sl_answered_of_offered`.
        """
        answered = self.answered_within(t)
        denom = 1.0 - self.abandoned_within(t)
        return answered / denom if denom > 0.0 and answered > 0.0 else 0.0

    def sl_waited_le(self, t: float) -> float:
        """P(W <= t) over admitted arrivals, W being the actual wait (time to abandon for
        abandoners). Counts both outcomes within t, so it is the most generous definition and
        tends to 1 as t grows.
        """
        t = _check_time(t)
        if self.mmc is not None:
            return self.mmc.service_level(t)
        waited = self.p_immediate + float(self.ahead_probs @ self._queued(t).p_waited_le)
        return waited / (1.0 - self.p_blocked)

    def service_level(self, t: float, definition: SlDefinition = "answered_of_offered") -> float:
        """Dispatch to one of the three service-level definitions by name."""
        methods = {
            "answered_of_offered": self.sl_answered_of_offered,
            "answered_of_offered_less_short_abandons": (
                self.sl_answered_of_offered_less_short_abandons
            ),
            "waited_le": self.sl_waited_le,
        }
        if definition not in methods:
            raise ValueError(f"unknown service-level definition {definition!r}")
        return methods[definition](t)


def _erlang_a_from_c(ec: ErlangC) -> ErlangA:
    """Erlang A without abandonment or capacity, expressed through the M/M/c closed forms."""
    return ErlangA(
        lam=ec.lam,
        mu=ec.mu,
        theta=0.0,
        c=ec.c,
        capacity=None,
        stable=ec.stable,
        p_blocked=0.0,
        p_wait=ec.p_wait,
        p_immediate=1.0 - ec.p_wait,
        p_abandon=0.0,
        mean_queue=ec.mean_queue,
        mean_wait=ec.asa,
        asa=ec.asa,
        occupancy=ec.occupancy,
        ahead_probs=np.zeros(0),
        mmc=ec,
    )


def erlang_a(lam: float, mu: float, theta: float, c: int, capacity: int | None = None) -> ErlangA:
    """Erlang A (M/M/c+M) steady state, with an optional system capacity K >= max(c, 1).

    ``capacity`` counts customers in service plus waiting; arrivals finding K present are
    blocked. Without it the state space is truncated where the remaining mass is < 1e-15.
    Abandonment and waiting figures come from the per-k formulas of :func:`queued_wait`
    weighted by what arrivals see (PASTA), which by rate conservation agree with
    ``theta * E[Q] / lam`` and Little's law.
    """
    lam = _check_nonneg("lam", lam)
    mu = _check_positive("mu", mu)
    theta = _check_nonneg("theta", theta)
    c = _check_agents(c)
    if capacity is not None:
        capacity = _check_agents(capacity)
        if capacity < max(c, 1):
            raise ValueError(f"capacity must be >= max(c, 1), got {capacity} with c={c}")
        if c == 0 and theta == 0.0 and lam > 0.0:
            raise ValueError("with c == 0 and theta == 0 nobody ever leaves the system")
    elif theta == 0.0:
        return _erlang_a_from_c(erlang_c(lam, mu, c))

    pi = _stationary(lam, mu, theta, c, capacity)
    n = np.arange(len(pi))
    p_blocked = float(pi[-1]) if capacity is not None else 0.0
    admitted = pi[:-1] if capacity is not None else pi
    ahead = admitted[c:]
    k1 = np.arange(1, len(ahead) + 1, dtype=float)  # k + 1
    a_next = c * mu + k1 * theta  # total exit rate from "k ahead" incl. own patience
    p_served_q = ahead * (c * mu / a_next) if c > 0 else np.zeros_like(ahead)
    p_immediate = float(admitted[:c].sum())
    p_served = p_immediate + float(p_served_q.sum())
    p_in = 1.0 - p_blocked
    # Mean wait of a served customer with k ahead is E[V'] = sum_{j=1}^{k+1} 1/a_j under the
    # tilted law, so its contribution is p_served_k * cumulative harmonic-like sum.
    served_wait = float(p_served_q @ np.cumsum(1.0 / a_next))
    return ErlangA(
        lam=lam,
        mu=mu,
        theta=theta,
        c=c,
        capacity=capacity,
        stable=True,
        p_blocked=p_blocked,
        p_wait=min(float(ahead.sum()) / p_in, 1.0),
        p_immediate=p_immediate,
        p_abandon=min(float(ahead @ (k1 * theta / a_next)), 1.0),
        mean_queue=float(np.maximum(n - c, 0) @ pi),
        mean_wait=float(ahead @ (k1 / a_next)) / p_in,
        asa=served_wait / p_served if p_served > 0.0 else math.nan,
        occupancy=min(lam * p_served / (c * mu), 1.0) if c > 0 else 0.0,
        ahead_probs=ahead,
    )


# --------------------------------------------------------------------------------------------
# Staffing helpers
# --------------------------------------------------------------------------------------------


def erlang_c_agents_for_service_level(lam: float, mu: float, t: float, target: float) -> int:
    """Smallest c with Erlang C P(W <= t) >= target.

    Starts at the smallest stable c and advances Erlang B by one recursion step per candidate,
    so the whole search is O(answer) rather than O(answer^2).
    """
    lam = _check_nonneg("lam", lam)
    mu = _check_positive("mu", mu)
    t = _check_time(t)
    target = _check_fraction("target", target)
    if lam == 0.0:
        return 0
    load = lam / mu
    c = math.floor(load) + 1
    b = erlang_b(c, load)
    while _erlang_c_from_b(lam, mu, c, b).service_level(t) < target:
        c += 1
        b = load * b / (c + load * b)
    return c


def erlang_a_agents_for(
    lam: float,
    mu: float,
    theta: float,
    t: float,
    sl_target: float,
    abandon_target: float | None = None,
    *,
    sl_definition: SlDefinition = "answered_of_offered",
) -> int:
    """Smallest c whose Erlang A service level (default: answered within t / offered) reaches
    ``sl_target`` and, if given, whose abandonment probability is at most ``abandon_target``.

    Both criteria improve with more agents, so the search doubles an upper bound and then
    bisects: O(log c) model evaluations instead of a linear scan.
    """
    lam = _check_nonneg("lam", lam)
    mu = _check_positive("mu", mu)
    theta = _check_nonneg("theta", theta)
    t = _check_time(t)
    sl_target = _check_fraction("sl_target", sl_target)
    if abandon_target is not None:
        abandon_target = _check_fraction("abandon_target", abandon_target)

    def meets(c: int) -> bool:
        model = erlang_a(lam, mu, theta, c)
        if abandon_target is not None and model.p_abandon > abandon_target:
            return False
        return model.service_level(t, sl_definition) >= sl_target

    if meets(0):
        return 0
    lo, hi = 0, max(1, math.ceil(lam / mu))
    while not meets(hi):
        lo, hi = hi, 2 * hi
        if hi > _MAX_STATES:
            raise ValueError("no staffing level up to the search limit meets the targets")
    while hi - lo > 1:  # invariant: meets(hi) and not meets(lo)
        mid = (lo + hi) // 2
        if meets(mid):
            hi = mid
        else:
            lo = mid
    return hi
