"""Tests for the closed-form queueing models in ``simulator.analytic``.

They pin published numbers (Whitt 2005, Erlang B tables), re-derive small cases with naive
textbook formulas, check internal identities (rate conservation, Little's law, integrals of the
service-level curves) and Monte Carlo the per-k waiting-time law, so a regression in any one
derivation shows up independently of the others.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from simulator.analytic import (
    ErlangA,
    erlang_a,
    erlang_a_agents_for,
    erlang_b,
    erlang_c,
    erlang_c_agents_for_service_level,
    offered_load,
    queued_wait,
)

# --------------------------------------------------------------------------------------------
# Naive references (small c only): the formulas as printed in textbooks.
# --------------------------------------------------------------------------------------------


def naive_erlang_b(c: int, a: float) -> float:
    """B(c, a) = (a^c / c!) / sum_{i<=c} a^i / i!."""
    terms = [a**i / math.factorial(i) for i in range(c + 1)]
    return terms[-1] / sum(terms)


def naive_erlang_c(c: int, a: float) -> float:
    """C(c, a) = (a^c/c! * c/(c-a)) / (sum_{i<c} a^i/i! + a^c/c! * c/(c-a))."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**i / math.factorial(i) for i in range(c)) + top)


# --------------------------------------------------------------------------------------------
# Erlang B
# --------------------------------------------------------------------------------------------


def test_erlang_b_table_value() -> None:
    assert erlang_b(10, 5.0) == pytest.approx(0.018385, abs=5e-7)


@pytest.mark.parametrize(("c", "a"), [(0, 3.0), (1, 0.5), (5, 2.5), (20, 15.0), (40, 45.0)])
def test_erlang_b_matches_naive(c: int, a: float) -> None:
    assert erlang_b(c, a) == pytest.approx(naive_erlang_b(c, a), rel=1e-12)


def test_erlang_b_stable_for_large_c() -> None:
    b = erlang_b(1000, 950.0)
    assert math.isfinite(b) and 0.0 < b < 1.0
    assert erlang_b(5000, 4000.0) < 1e-10  # heavily overstaffed: essentially no blocking


# --------------------------------------------------------------------------------------------
# Erlang C
# --------------------------------------------------------------------------------------------

# Classic example: 100 calls per 30 minutes, AHT 180 s -> 10 Erlangs; answer target 20 s.
LAM_C = 100 / 1800
MU_C = 1 / 180


@pytest.mark.parametrize("c", [11, 14, 20])
def test_erlang_c_classic_example_against_naive(c: int) -> None:
    res = erlang_c(LAM_C, MU_C, c)
    a = offered_load(LAM_C, MU_C)
    assert a == pytest.approx(10.0)
    pw = naive_erlang_c(c, a)
    assert res.p_wait == pytest.approx(pw, rel=1e-12)
    assert res.asa == pytest.approx(pw / (c * MU_C - LAM_C), rel=1e-12)
    assert res.mean_queue == pytest.approx(pw * a / (c - a), rel=1e-12)
    assert res.occupancy == pytest.approx(a / c)
    for t in (0.0, 20.0, 60.0):
        expected = 1.0 - pw * math.exp(-(c * MU_C - LAM_C) * t)
        assert res.service_level(t) == pytest.approx(expected, rel=1e-12)


def test_erlang_c_classic_example_staffing() -> None:
    # 14 agents give ~88.8 % within 20 s; 13 do not reach 80 %.
    assert erlang_c(LAM_C, MU_C, 14).service_level(20.0) == pytest.approx(0.88835, abs=1e-5)
    assert erlang_c(LAM_C, MU_C, 13).service_level(20.0) < 0.8
    assert erlang_c_agents_for_service_level(LAM_C, MU_C, 20.0, 0.8) == 14


def test_erlang_c_unstable_convention() -> None:
    res = erlang_c(10.0, 1.0, 10)
    assert not res.stable
    assert res.p_wait == 1.0 and res.asa == math.inf and res.mean_queue == math.inf
    assert res.service_level(100.0) == 0.0


def test_erlang_c_large_c_is_finite() -> None:
    res = erlang_c(990.0, 1.0, 1000)
    assert 0.0 < res.p_wait < 1.0 and math.isfinite(res.asa)


# --------------------------------------------------------------------------------------------
# Erlang A: published values and identities
# --------------------------------------------------------------------------------------------


def test_whitt_2005_table_1() -> None:
    """Whitt (2005), Management Science 51(2), Table 1: M/M/100/200+M, lam=102, mu=theta=1.

    P(W=0)=0.4083 is reproduced by ``p_immediate`` (answered on arrival, among all arrivals).
    Blocking at K=200 is ~3e-18 here, so "among admitted arrivals" (1 - p_wait) agrees too.
    """
    res = erlang_a(102.0, 1.0, 1.0, 100, capacity=200)
    assert res.p_immediate == pytest.approx(0.4083, abs=5e-4)
    assert res.p_abandon == pytest.approx(0.0499, abs=5e-4)
    assert res.mean_queue == pytest.approx(5.092, abs=5e-3)
    assert res.sl_answered_of_offered(0.0) == pytest.approx(res.p_immediate)


CASES = [
    # lam, mu, theta, c, capacity
    (102.0, 1.0, 1.0, 100, 200),
    (9.0, 1.0, 0.5, 10, None),
    (12.0, 1.0, 0.2, 10, None),  # overloaded; abandonment keeps it stable
    (5.0, 1.0, 2.0, 3, 6),  # theta > mu, tight capacity
    (4.0, 1.0, 1.0, 4, None),  # theta == mu
    (3.0, 1.0, 0.5, 0, 5),  # no agents: everybody admitted abandons
    (0.0, 1.0, 1.0, 3, None),  # no arrivals
]


@pytest.mark.parametrize(("lam", "mu", "theta", "c", "cap"), CASES)
def test_erlang_a_rate_conservation(
    lam: float, mu: float, theta: float, c: int, cap: int | None
) -> None:
    """p_abandon from the per-k formula equals theta*E[Q]/lam, and served+abandoned+blocked=1."""
    res = erlang_a(lam, mu, theta, c, cap)
    answered_eventually = res.sl_answered_of_offered(math.inf)
    assert answered_eventually + res.p_abandon + res.p_blocked == pytest.approx(1.0, abs=1e-12)
    if lam > 0:
        assert res.p_abandon == pytest.approx(theta * res.mean_queue / lam, rel=1e-10, abs=1e-15)
        lam_in = lam * (1.0 - res.p_blocked)
        assert res.mean_wait == pytest.approx(res.mean_queue / lam_in, rel=1e-10, abs=1e-15)
    if c > 0:
        assert res.occupancy == pytest.approx(lam * answered_eventually / (c * mu), rel=1e-12)


@pytest.mark.parametrize(("lam", "mu", "theta", "c", "cap"), CASES[:5])
def test_erlang_a_means_match_integrated_sl_curves(
    lam: float, mu: float, theta: float, c: int, cap: int | None
) -> None:
    """E[W] = integral of P(W > t) and ASA*P(served) = integral of P(served, W > t).

    The means come from closed-form sums and the curves from incomplete-beta CDFs, so this
    ties the two derivations together.
    """
    res = erlang_a(lam, mu, theta, c, cap)
    served = res.sl_answered_of_offered(math.inf)
    tail_w, _ = quad(lambda t: 1.0 - res.sl_waited_le(t), 0, np.inf, epsabs=1e-11)
    tail_s, _ = quad(lambda t: served - res.sl_answered_of_offered(t), 0, np.inf, epsabs=1e-11)
    assert tail_w == pytest.approx(res.mean_wait, rel=1e-6, abs=1e-10)
    assert tail_s == pytest.approx(res.asa * served, rel=1e-6, abs=1e-10)


def test_erlang_a_capacity_without_abandonment_is_erlang_b() -> None:
    res = erlang_a(8.0, 1.0, 0.0, 10, capacity=10)
    assert res.p_blocked == pytest.approx(erlang_b(10, 8.0), rel=1e-12)
    assert res.p_wait == 0.0 and res.mean_queue == 0.0


@pytest.mark.parametrize("c", [11, 14, 20])
def test_erlang_a_theta_zero_is_erlang_c(c: int) -> None:
    ec = erlang_c(LAM_C, MU_C, c)
    for theta in (0.0, 1e-9):
        ea = erlang_a(LAM_C, MU_C, theta, c)
        tol = 1e-10 if theta == 0.0 else 1e-5
        assert ea.p_wait == pytest.approx(ec.p_wait, rel=tol)
        assert ea.mean_queue == pytest.approx(ec.mean_queue, rel=tol)
        assert ea.mean_wait == pytest.approx(ec.asa, rel=tol)
        assert ea.asa == pytest.approx(ec.asa, rel=tol)
        assert ea.p_abandon == pytest.approx(0.0, abs=1e-6)
        for t in (0.0, 20.0, 60.0, 300.0):
            expected = ec.service_level(t)
            assert ea.sl_answered_of_offered(t) == pytest.approx(expected, rel=tol)
            assert ea.sl_waited_le(t) == pytest.approx(expected, rel=tol)


@pytest.mark.parametrize("c", [11, 14])
def test_erlang_a_theta_zero_chain_path_is_erlang_c(c: int) -> None:
    """With a capacity far beyond the queue, the birth-death chain and the Erlang (gamma) wait
    law must reproduce M/M/c; without a capacity theta == 0 delegates to ``erlang_c``."""
    ec = erlang_c(LAM_C, MU_C, c)
    ea = erlang_a(LAM_C, MU_C, 0.0, c, capacity=c + 1000)
    assert ea.p_blocked < 1e-30
    assert ea.p_wait == pytest.approx(ec.p_wait, rel=1e-10)
    assert ea.mean_queue == pytest.approx(ec.mean_queue, rel=1e-10)
    assert ea.asa == pytest.approx(ec.asa, rel=1e-10)
    for t in (0.0, 20.0, 60.0, 300.0):
        assert ea.sl_answered_of_offered(t) == pytest.approx(ec.service_level(t), rel=1e-10)
        assert ea.sl_waited_le(t) == pytest.approx(ec.service_level(t), rel=1e-10)


def test_erlang_a_theta_zero_unstable_convention() -> None:
    res = erlang_a(10.0, 1.0, 0.0, 10)
    assert not res.stable and res.p_wait == 1.0 and res.mean_wait == math.inf
    assert res.sl_answered_of_offered(10.0) == 0.0


def test_erlang_a_many_agents_means_no_waiting() -> None:
    res = erlang_a(50.0, 1.0, 1.0, 500)
    assert res.p_wait < 1e-12 and res.p_abandon < 1e-12
    assert res.p_immediate == pytest.approx(1.0, abs=1e-12)
    assert res.sl_answered_of_offered(0.0) == pytest.approx(1.0, abs=1e-12)


def test_erlang_a_abandonment_increases_with_arrivals() -> None:
    values = [erlang_a(lam, 1.0, 0.5, 20).p_abandon for lam in np.linspace(5, 40, 15)]
    assert all(b > a for a, b in itertools.pairwise(values))


@pytest.mark.parametrize(("lam", "mu", "theta", "c", "cap"), CASES[:5])
def test_service_level_definitions_order_and_limits(
    lam: float, mu: float, theta: float, c: int, cap: int | None
) -> None:
    res = erlang_a(lam, mu, theta, c, cap)
    # t = 0: only immediate answers count; nobody has abandoned yet.
    assert res.sl_answered_of_offered(0.0) == pytest.approx(res.p_immediate)
    assert res.sl_answered_of_offered_less_short_abandons(0.0) == pytest.approx(res.p_immediate)
    assert res.sl_waited_le(0.0) == pytest.approx(res.p_immediate / (1 - res.p_blocked))
    # t -> inf: answered fraction, answered / (1 - abandoned), and everybody's wait has ended.
    served = 1.0 - res.p_abandon - res.p_blocked
    assert res.sl_answered_of_offered(math.inf) == pytest.approx(served, rel=1e-12)
    assert res.sl_answered_of_offered_less_short_abandons(math.inf) == pytest.approx(
        served / (1.0 - res.p_abandon), rel=1e-12
    )
    assert res.sl_waited_le(math.inf) == pytest.approx(1.0, rel=1e-12)
    previous = [0.0, 0.0, 0.0]
    for t in (0.0, 0.01, 0.1, 0.5, 1.0, 5.0, 50.0):
        sls = [
            res.sl_answered_of_offered(t),
            res.sl_answered_of_offered_less_short_abandons(t),
            res.sl_waited_le(t),
        ]
        assert sls[0] <= sls[1] + 1e-15 <= sls[2] + 2e-15
        assert all(p <= n + 1e-15 for p, n in zip(previous, sls, strict=True))
        previous = sls


def test_erlang_a_large_system_is_finite() -> None:
    res = erlang_a(950.0, 1.0, 0.5, 1000)
    sl = res.sl_answered_of_offered(0.05)
    for value in (res.p_wait, res.p_abandon, res.p_immediate, sl, res.occupancy):
        assert 0.0 <= value <= 1.0
    assert math.isfinite(res.mean_queue) and math.isfinite(res.asa)
    # Overloaded large system: abandonment absorbs the excess, occupancy near 1.
    over = erlang_a(1100.0, 1.0, 0.5, 1000)
    assert over.p_abandon == pytest.approx(1 - 1000 / 1100, abs=0.01)
    assert over.occupancy > 0.99


def test_validation() -> None:
    with pytest.raises(ValueError):
        erlang_a(1.0, 0.0, 1.0, 1)
    with pytest.raises(ValueError):
        erlang_a(1.0, 1.0, -1.0, 1)
    with pytest.raises(ValueError):
        erlang_a(1.0, 1.0, 1.0, 5, capacity=4)
    with pytest.raises(ValueError):
        erlang_c(1.0, 1.0, 2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        erlang_a(1.0, 1.0, 1.0, 2).sl_waited_le(-1.0)


# --------------------------------------------------------------------------------------------
# Per-k waiting law against Monte Carlo
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("theta", [0.5, 1.0, 0.0])  # generic, theta == mu, Erlang C limit
def test_queued_wait_matches_monte_carlo(theta: float) -> None:
    c, mu, k, t, n = 3, 1.0, 4, 1.5, 200_000
    rng = np.random.default_rng(20240601)
    rates = c * mu + theta * np.arange(k + 1)
    v = rng.exponential(1.0 / rates, size=(n, k + 1)).sum(axis=1)
    tau = rng.exponential(1.0 / theta, size=n) if theta > 0 else np.full(n, np.inf)
    served = v < tau
    w = np.minimum(v, tau)
    exact = queued_wait(k, c, mu, theta, t)
    samples = {
        "p_served": served,
        "p_virtual_le": v <= t,
        "p_served_le": served & (w <= t),
        "p_waited_le": w <= t,
        "p_abandon_le": ~served & (w <= t),
        "mean_wait": w,
    }
    for name, x in samples.items():
        x = x.astype(float)
        se = max(x.std(ddof=1) / math.sqrt(n), 1e-12)
        assert abs(x.mean() - float(getattr(exact, name))) < 3 * se, name


def test_queued_wait_vectorised_and_limits() -> None:
    k = np.arange(50)
    at_zero = queued_wait(k, 10, 1.0, 0.3, 0.0)
    assert np.all(at_zero.p_served_le == 0.0) and np.all(at_zero.p_waited_le == 0.0)
    at_inf = queued_wait(k, 10, 1.0, 0.3, math.inf)
    np.testing.assert_allclose(at_inf.p_served_le, at_inf.p_served, rtol=1e-14)
    np.testing.assert_allclose(at_inf.p_waited_le, 1.0)
    np.testing.assert_allclose(at_inf.p_served, 10 / (10 + 0.3 * (k + 1)))


# --------------------------------------------------------------------------------------------
# Staffing helpers
# --------------------------------------------------------------------------------------------


def test_erlang_a_agents_for_is_minimal() -> None:
    lam, mu, theta, t = 2.0, 1 / 3, 1 / 2, 0.333
    c = erlang_a_agents_for(lam, mu, theta, t, 0.8)
    assert erlang_a(lam, mu, theta, c).sl_answered_of_offered(t) >= 0.8
    assert erlang_a(lam, mu, theta, c - 1).sl_answered_of_offered(t) < 0.8
    c2 = erlang_a_agents_for(lam, mu, theta, t, 0.8, abandon_target=0.005)
    assert c2 >= c
    assert erlang_a(lam, mu, theta, c2).p_abandon <= 0.005
    assert erlang_a(lam, mu, theta, c2 - 1).p_abandon > 0.005 or c2 == c


def test_erlang_a_agents_for_theta_zero_matches_erlang_c() -> None:
    for target in (0.5, 0.8, 0.95):
        assert erlang_a_agents_for(LAM_C, MU_C, 0.0, 20.0, target) == (
            erlang_c_agents_for_service_level(LAM_C, MU_C, 20.0, target)
        )


def test_abandonment_lets_you_staff_below_erlang_c() -> None:
    c_a = erlang_a_agents_for(LAM_C, MU_C, 1 / 60, 20.0, 0.8)
    c_c = erlang_c_agents_for_service_level(LAM_C, MU_C, 20.0, 0.8)
    assert c_a <= c_c


# --------------------------------------------------------------------------------------------
# Property tests
# --------------------------------------------------------------------------------------------

rates = st.floats(min_value=0.05, max_value=5.0)
params = st.tuples(
    st.floats(min_value=0.1, max_value=150.0),  # lam
    rates,  # mu
    st.floats(min_value=0.01, max_value=5.0),  # theta
    st.integers(min_value=0, max_value=150),  # c
)


def _probabilities(res: ErlangA, t: float) -> list[float]:
    return [
        res.p_blocked,
        res.p_wait,
        res.p_immediate,
        res.p_abandon,
        res.occupancy,
        res.sl_answered_of_offered(t),
        res.sl_answered_of_offered_less_short_abandons(t),
        res.sl_waited_le(t),
    ]


@settings(max_examples=60, deadline=None)
@given(params, st.one_of(st.none(), st.integers(0, 40)), st.floats(0.0, 30.0))
def test_property_probabilities_in_unit_interval(
    p: tuple[float, float, float, int], extra_capacity: int | None, t: float
) -> None:
    lam, mu, theta, c = p
    cap = None if extra_capacity is None else max(c, 1) + extra_capacity
    res = erlang_a(lam, mu, theta, c, cap)
    for value in _probabilities(res, t):
        assert -1e-12 <= value <= 1.0 + 1e-12
    assert res.mean_queue >= 0.0 and res.mean_wait >= 0.0
    assert res.p_abandon == pytest.approx(theta * res.mean_queue / lam, rel=1e-9, abs=1e-14)


@settings(max_examples=60, deadline=None)
@given(params, st.floats(0.0, 30.0))
def test_property_more_agents_never_hurt(p: tuple[float, float, float, int], t: float) -> None:
    lam, mu, theta, c = p
    fewer, more = erlang_a(lam, mu, theta, c), erlang_a(lam, mu, theta, c + 1)
    assert more.p_wait <= fewer.p_wait + 1e-12
    assert more.mean_wait <= fewer.mean_wait * (1 + 1e-12) + 1e-15
    assert more.p_abandon <= fewer.p_abandon + 1e-12
    assert more.sl_answered_of_offered(t) >= fewer.sl_answered_of_offered(t) - 1e-12


@settings(max_examples=40, deadline=None)
@given(params, st.floats(1.01, 3.0))
def test_property_more_arrivals_more_abandonment(
    p: tuple[float, float, float, int], factor: float
) -> None:
    lam, mu, theta, c = p
    low, high = erlang_a(lam, mu, theta, c), erlang_a(lam * factor, mu, theta, c)
    assert high.p_abandon >= low.p_abandon - 1e-12
    assert high.mean_queue >= low.mean_queue - 1e-12
