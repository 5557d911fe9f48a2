"""The rates a replication lives: day multipliers with the CV asked for, interval noise that
keeps each day's total, common random numbers across variants, and nothing drawn without
uncertainty."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.model.arrival_rates import (
    day_multipliers,
    interval_multipliers,
    replication_rates,
)
from simulator.model.customers import CustomerSource
from simulator.scenario import load_scenario_text
from simulator.scenario.schema import DemandUncertainty
from tests.scenario_texts import WEEK

UNCERTAIN_WEEK = WEEK.replace(
    "  first_channel: {voice: 0.5, chat: 0.3, email: 0.2}\n",
    "  first_channel: {voice: 0.5, chat: 0.3, email: 0.2}\n"
    "  uncertainty: {day_cv: 0.09, interval_cv: 0.1, interval_correlation: 0.6}\n",
)


@pytest.fixture(scope="module")
def week():
    return load_scenario_text(UNCERTAIN_WEEK, "week.yaml")


def test_without_uncertainty_the_forecast_is_used_as_it_is():
    exact = load_scenario_text(WEEK)
    assert replication_rates(exact, 3, 7) is exact.arrivals.rates
    flat = dataclasses.replace(
        exact, arrivals=dataclasses.replace(exact.arrivals, uncertainty=DemandUncertainty())
    )
    assert replication_rates(flat, 3, 7) is flat.arrivals.rates


def test_day_multipliers_have_mean_one_and_the_cv_asked_for():
    draws = np.concatenate(
        [day_multipliers(DemandUncertainty(day_cv=0.09), 7, 5, r) for r in range(600)]
    )
    assert draws.mean() == pytest.approx(1.0, abs=0.006)  # 4,200 days: se 0.0014
    assert draws.std(ddof=1) == pytest.approx(0.09, rel=0.06)
    assert (draws > 0).all()


def test_a_variant_with_another_cv_sees_the_same_days_at_the_same_quantiles():
    low = day_multipliers(DemandUncertainty(day_cv=0.05), 50, 1, 0)
    high = day_multipliers(DemandUncertainty(day_cv=0.15), 50, 1, 0)
    assert (np.argsort(low) == np.argsort(high)).all()
    assert ((low > 1) == (high > 1)).sum() >= 48  # gamma medians sit just below 1


@settings(max_examples=40, deadline=None)
@given(
    cv=st.floats(0.01, 0.8),
    rho=st.floats(-0.9, 0.95),
    weights=st.lists(st.floats(0.0, 100.0), min_size=2, max_size=30),
    replication=st.integers(0, 1000),
)
def test_interval_noise_keeps_every_days_total(cv, rho, weights, replication):
    expected = np.array([weights, weights[::-1]])
    noise = interval_multipliers(DemandUncertainty(0.0, cv, rho), expected, 9, replication)
    assert (expected * noise).sum(axis=1) == pytest.approx(expected.sum(axis=1), rel=1e-9)
    assert (noise > 0).all()


def test_interval_noise_has_the_cv_and_correlation_of_its_logs():
    expected = np.ones((3000, 24))
    noise = interval_multipliers(DemandUncertainty(0.0, 0.2, 0.7), expected, 3, 0)
    logs = np.log(noise) - np.log(noise).mean(axis=1, keepdims=True)
    lag_one = (logs[:, 1:] * logs[:, :-1]).mean() / (logs**2).mean()
    # Rescaling removes each day's mean, which lowers both a little (history_noise.py).
    assert 0.55 < lag_one < 0.7
    assert 0.1 < noise.std() < 0.2


def test_a_replication_lives_the_forecast_times_its_days(week):
    rates = np.array(replication_rates(week, 2, 12)).reshape(week.horizon.days, -1)
    forecast = np.array(week.arrivals.rates).reshape(week.horizon.days, -1)
    days = day_multipliers(week.arrivals.uncertainty, week.horizon.days, 12, 2)
    totals = rates.sum(axis=1)
    assert totals == pytest.approx(forecast.sum(axis=1) * days, rel=1e-9)
    assert not np.allclose(rates / forecast.clip(1e-12), days[:, None])  # interval noise too
    assert replication_rates(week, 2, 12) == replication_rates(week, 2, 12)
    assert replication_rates(week, 3, 12) != replication_rates(week, 2, 12)


def test_variants_with_other_forecasts_see_the_same_multipliers(week):
    busier = dataclasses.replace(
        week,
        arrivals=dataclasses.replace(
            week.arrivals, rates=tuple(2 * r for r in week.arrivals.rates)
        ),
    )
    assert np.allclose(
        np.array(replication_rates(busier, 4, 12)), 2 * np.array(replication_rates(week, 4, 12))
    )


def test_simulated_days_vary_as_much_as_the_uncertainty_says():
    one_day = load_scenario_text(
        UNCERTAIN_WEEK.replace("days: 7", "days: 1")
        .replace("interval_cv: 0.1, ", "")
        .replace(", interval_correlation: 0.6", "")
    )
    totals = [
        sum(len(block) for block in CustomerSource(one_day, r, 4).blocks()) for r in range(300)
    ]
    mean = np.mean(totals)
    assert mean == pytest.approx(1500, rel=0.02)  # Monday's forecast
    cv = np.std(totals, ddof=1) / mean
    expected = np.sqrt(0.09**2 + 1 / 1500)  # day multiplier and Poisson: 9.4 %
    assert cv == pytest.approx(expected, rel=0.15)
