"""Units parse the way planners write them; distributions have the moments they claim."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.distributions import Constant, Empirical, Exponential, Gamma, Lognormal, Uniform
from simulator.units import UnitError, format_duration, parse_clock, parse_duration, parse_rate


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45s", 45),
        ("4m", 240),
        ("1h30m", 5400),
        ("2.5h", 9000),
        ("1d", 86400),
        (30, 30),
        ("90", 90),
        ("500ms", 0.5),
        ("1h 30m", 5400),
    ],
)
def test_durations(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("bad", ["-5s", "five minutes", "4x", "", True, None, "1h-30m"])
def test_bad_durations_say_what_is_expected(bad):
    with pytest.raises(UnitError, match="duration"):
        parse_duration(bad)


@pytest.mark.parametrize(
    ("text", "per_second"),
    [
        ("600/h", 600 / 3600),
        ("10/min", 10 / 60),
        ("2/s", 2.0),
        ("4800/d", 4800 / 86400),
        (3600, 1.0),
    ],
)
def test_rates(text, per_second):
    assert parse_rate(text) == pytest.approx(per_second)


def test_negative_rate_is_refused():
    with pytest.raises(UnitError, match="negative"):
        parse_rate("-3/h")


def test_clock_times_including_yaml_sexagesimal_ints():
    assert parse_clock("08:30") == 8.5 * 3600
    assert parse_clock(480) == 8 * 3600  # YAML 1.1 reads unquoted 08:00 as 480
    with pytest.raises(UnitError):
        parse_clock("8h")


@given(st.integers(min_value=0, max_value=10**6))
def test_format_duration_round_trips(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


LAWS = [
    Exponential(120.0),
    Lognormal(185.0, 230.0),
    Gamma(2.0, 60.0),
    Uniform(10.0, 50.0),
    Constant(30.0),
    Empirical((10.0, 20.0, 60.0)),
]


@pytest.mark.parametrize("law", LAWS, ids=lambda d: d.kind)
def test_sample_mean_matches_declared_mean(law):
    u = np.random.default_rng(3).random(200_000)
    values = law.draws(u)
    assert np.all(values >= 0)
    se = max(values.std(), 1e-9) / math.sqrt(len(values))
    assert abs(values.mean() - law.mean) < 4 * se + 1e-9


@pytest.mark.parametrize("law", LAWS, ids=lambda d: d.kind)
def test_scalar_and_vector_draws_agree(law):
    u = np.random.default_rng(4).random(50)
    assert np.allclose([law.draw(float(x)) for x in u], law.draws(u))


@pytest.mark.parametrize("law", LAWS, ids=lambda d: d.kind)
def test_draws_are_monotone_in_the_uniform(law):
    """Inverse-CDF draws: a larger uniform never gives a smaller value (what CRN relies on)."""
    u = np.linspace(0.0, 0.999999, 1001)
    assert np.all(np.diff(law.draws(u)) >= -1e-9)


def test_lognormal_has_the_requested_spread():
    law = Lognormal(185.0, 230.0)
    values = law.draws(np.random.default_rng(5).random(400_000))
    assert values.std() == pytest.approx(230.0, rel=0.05)
