"""The fit recovers what made a synthetic history: weekday profiles, the day multiplier's CV
and the interval noise, inside its reported confidence intervals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.calibrate.history import ArrivalHistory, HistoryError, aggregate, parse_history
from simulator.calibrate.history_fit import fit_history, profile_groups

#: Expected arrivals per half hour, 07:00-21:00, on a weekday of level 1: a morning peak.
HOURS = 7.25 + np.arange(28) / 2
SHAPE = 300 + 1200 * np.exp(-(((HOURS - 10.5) / 2) ** 2)) + 500 * np.exp(-(((HOURS - 15) / 3) ** 2))
LEVELS = {0: 1.15, 1: 1.0, 2: 0.95, 3: 0.95, 4: 1.0, 5: 0.5}


@dataclass(frozen=True)
class Synthetic:
    """A generated export and the truth behind it."""

    lines: list[str]
    profiles: dict[int, np.ndarray]
    interval_cv: float  # realized, as the fit measures it (volume-weighted, around each day)
    interval_correlation: float


def synthetic_history(
    seed: int,
    weeks: int = 20,
    day_cv: float = 0.09,
    interval_cv: float = 0.05,
    correlation: float = 0.4,
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
) -> Synthetic:
    """Five-minute Poisson counts for ``weeks`` weeks: weekday profiles x a gamma day multiplier
    (mean 1, CV ``day_cv``) x log-normal AR(1) interval multipliers, rescaled so that they keep
    the day's total (the fit's definition)."""
    rng = np.random.default_rng(seed)
    s2 = np.log1p(interval_cv**2)
    lines, weighted, sq, cross, pair_weight = ["timestamp,count\n"], 0.0, 0.0, 0.0, 0.0
    first = dt.date(2003, 3, 3)  # a Monday
    for day in (first + dt.timedelta(days=i) for i in range(7 * weeks)):
        if day.weekday() not in weekdays:
            continue
        profile = SHAPE * LEVELS[day.weekday()]
        level = rng.gamma(1 / day_cv**2, day_cv**2) if day_cv > 0 else 1.0
        z = np.empty(28)
        z[0] = rng.standard_normal()
        for k in range(1, 28):
            z[k] = correlation * z[k - 1] + np.sqrt(1 - correlation**2) * rng.standard_normal()
        noise = np.exp(np.sqrt(s2) * z - s2 / 2)
        noise *= profile.sum() / (profile * noise).sum()
        weights = profile * level
        weighted += weights.sum()
        sq += np.sum(weights * (noise - 1) ** 2)
        cross += np.sum(np.sqrt(weights[1:] * weights[:-1]) * (noise[1:] - 1) * (noise[:-1] - 1))
        pair_weight += np.sum(np.sqrt(weights[1:] * weights[:-1]))
        rates = np.repeat(profile * level * noise / 6, 6)
        start = dt.datetime.combine(day, dt.time(7))
        for i, count in enumerate(rng.poisson(rates)):
            lines.append(f"{start + dt.timedelta(minutes=5 * i):%Y-%m-%d %H:%M:%S},{count}\n")
    variance = sq / weighted
    return Synthetic(
        lines=lines,
        profiles={w: SHAPE * LEVELS[w] for w in weekdays},
        interval_cv=float(np.sqrt(variance)),
        interval_correlation=float(cross / pair_weight / variance) if variance else 0.0,
    )


def history_of(synthetic: Synthetic) -> ArrivalHistory:
    return aggregate(parse_history(synthetic.lines, "synthetic.csv"), 1800, "synthetic.csv")


@pytest.fixture(scope="module")
def bank_like() -> tuple[Synthetic, ArrivalHistory]:
    synthetic = synthetic_history(seed=2003)
    return synthetic, history_of(synthetic)


def test_weekday_profiles_are_recovered_within_their_sampling_error(bank_like):
    synthetic, history = bank_like
    fit = fit_history(history)
    assert list(fit.profiles) == ["mon", "tue", "wed", "thu", "fri"]
    assert fit.days_per_weekday == {"mon": 20, "tue": 20, "wed": 20, "thu": 20, "fri": 20}
    for w, name in enumerate(fit.profiles):
        truth, fitted = synthetic.profiles[w], np.array(fit.profiles[name])
        # A weekday's mean over 20 days: the day CV alone gives about 9 % / sqrt(20) = 2 %.
        assert abs(fitted.sum() / truth.sum() - 1) < 0.06
        assert np.all(np.abs(fitted / truth - 1) < 0.12)
        assert np.corrcoef(fitted, truth)[0, 1] > 0.995
    monday, wednesday = sum(fit.profiles["mon"]), sum(fit.profiles["wed"])
    assert monday / wednesday == pytest.approx(1.15 / 0.95, rel=0.06)


def test_the_day_multipliers_cv_is_recovered_inside_its_confidence_interval(bank_like):
    _synthetic, history = bank_like
    fit = fit_history(history)
    assert fit.day_cv.covers(0.09), fit.day_cv
    assert fit.day_cv.value == pytest.approx(0.09, abs=0.02)
    assert fit.day_cv.low < fit.day_cv.value < fit.day_cv.high
    # Without the weekday profiles, the weekday levels (a CV of 7.7 %) show up as day-to-day
    # variation: about sqrt(0.09^2 + 0.077^2) = 0.12.
    pooled = fit_history(history, by_weekday=False)
    assert pooled.day_cv.value == pytest.approx(np.hypot(fit.day_cv.value, 0.077), abs=0.015)
    assert pooled.day_cv.value > fit.day_cv.value + 0.01
    assert fit.daily_total_cv == pytest.approx(pooled.daily_total_cv)


def test_interval_noise_is_recovered_inside_its_confidence_intervals(bank_like):
    synthetic, history = bank_like
    fit = fit_history(history)
    generator, correlation = fit.interval_cv, fit.interval_correlation
    assert generator is not None and correlation is not None
    # The generator's parameters: log-AR(1) multipliers with CV 5 % and correlation 0.4.
    assert generator.covers(0.05) and generator.value == pytest.approx(0.05, abs=0.005)
    assert correlation.covers(0.4) and correlation.value == pytest.approx(0.4, abs=0.1)
    # What the history shows around each day's level, smaller since rescaling each day to its
    # total removes the part the whole day shares.
    measured, measured_correlation = fit.measured_interval_cv, fit.measured_interval_correlation
    assert measured is not None and measured_correlation is not None
    assert measured.covers(synthetic.interval_cv)
    assert measured_correlation.covers(synthetic.interval_correlation)
    assert measured.value < generator.value and measured_correlation.value < correlation.value


def test_a_pure_poisson_history_shows_no_day_or_interval_variation():
    history = history_of(synthetic_history(seed=7, weeks=12, day_cv=0.0, interval_cv=0.0))
    fit = fit_history(history)
    # Poisson alone makes a 28,000-call day vary by 0.6 %: none of it is the day multiplier.
    assert fit.poisson_cv == pytest.approx(1 / np.sqrt(history.counts.sum(axis=1).mean()))
    assert fit.day_cv.low == 0.0 and fit.day_cv.value < 0.01
    assert fit.interval_cv is not None and fit.interval_cv.value < 0.01


def test_a_weekday_with_few_days_uses_the_pooled_default():
    synthetic = synthetic_history(seed=11, weeks=3, weekdays=(0, 1, 5))
    history = history_of(synthetic)
    fit = fit_history(history, min_days=4)
    assert list(fit.profiles) == [] and fit.days_per_weekday == {"mon": 3, "tue": 3, "sat": 3}
    fit = fit_history(history, min_days=3)
    assert list(fit.profiles) == ["mon", "tue", "sat"]
    counts = history.counts
    assert np.allclose(fit.default, counts.mean(axis=0), atol=1e-3)


def test_profile_groups_fall_back_to_the_default_below_min_days():
    weekdays = np.array([0, 0, 0, 1, 1, 5])
    assert profile_groups(weekdays, True, 3).tolist() == [0, 0, 0, -1, -1, -1]
    assert profile_groups(weekdays, False, 3).tolist() == [-1] * 6


def test_the_fit_is_reproducible_and_its_intervals_follow_the_seed(bank_like):
    _synthetic, history = bank_like
    first, again = fit_history(history, seed=5), fit_history(history, seed=5)
    assert first.day_cv == again.day_cv and first.interval_cv == again.interval_cv
    other = fit_history(history, seed=6)
    assert other.day_cv.value == first.day_cv.value and other.day_cv.low != first.day_cv.low


def test_interval_noise_can_be_left_out():
    history = history_of(synthetic_history(seed=3, weeks=4))
    fit = fit_history(history, interval_noise=False)
    assert fit.interval_cv is None and fit.interval_correlation is None
    assert fit.measured_interval_cv is None


def test_a_single_day_cannot_be_fitted():
    history = history_of(synthetic_history(seed=3, weeks=1, weekdays=(0,)))
    with pytest.raises(HistoryError, match="at least 2 days, found 1"):
        fit_history(history)


@settings(max_examples=10, deadline=None)
@given(order=st.integers(0, 2**32 - 1))
def test_the_order_of_the_rows_does_not_change_the_fit(order):
    synthetic = synthetic_history(seed=5, weeks=2)
    header, rows = synthetic.lines[0], synthetic.lines[1:]
    shuffled = list(np.random.default_rng(order).permutation(rows))
    base = fit_history(history_of(synthetic), resamples=20)
    mixed = aggregate(parse_history([header, *shuffled], "s.csv"), 1800, "s.csv")
    assert fit_history(mixed, resamples=20).day_cv == base.day_cv
