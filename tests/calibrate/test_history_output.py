"""The fitted history as an ``arrivals:`` block a scenario can hold, and as a short report."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import yaml

from simulator.calibrate.history_fit import HistoryFit, fit_history
from simulator.calibrate.history_output import arrivals_yaml, fit_report
from simulator.scenario import load_scenario_text
from tests.calibrate.test_history_fit import history_of, synthetic_history


@pytest.fixture(scope="module")
def fit() -> HistoryFit:
    return fit_history(history_of(synthetic_history(seed=42, weeks=6)), resamples=50)


def test_the_block_has_a_default_a_profile_per_weekday_and_the_uncertainty(fit):
    text = arrivals_yaml(fit)
    arrivals = yaml.safe_load(text)["arrivals"]
    assert list(arrivals) == ["per_interval", "by_day", "uncertainty"]
    assert arrivals["per_interval"] == pytest.approx(fit.default, abs=0.05)
    assert list(arrivals["by_day"]) == ["mon", "tue", "wed", "thu", "fri"]
    for day, values in arrivals["by_day"].items():
        assert list(values) == ["per_interval"] and len(values["per_interval"]) == 28
        assert values["per_interval"] == pytest.approx(fit.profiles[day], abs=0.05)
    assert fit.interval_cv is not None and fit.interval_correlation is not None
    assert arrivals["uncertainty"] == {
        "day_cv": round(fit.day_cv.value, 3),
        "interval_cv": round(fit.interval_cv.value, 3),
        "interval_correlation": round(fit.interval_correlation.value, 2),
    }


def test_the_block_loads_as_a_scenarios_arrivals_on_the_horizon_it_names(fit):
    text = (
        "scenario: fitted\n"
        'horizon: {start: "07:00", end: "21:00", interval: 30m, days: 7}\n'
        + arrivals_yaml(fit)
        + "channels: {voice: {}}\nagents: {team: {skills: [voice], count: 5}}\n"
        "handle_time: {default: 4m}\n"
    )
    scenario = load_scenario_text(text, "fitted.yaml")
    per_day = np.array(scenario.arrivals.rates).reshape(7, 28) * 1800
    assert per_day[0] == pytest.approx(fit.profiles["mon"], abs=0.05)
    assert per_day[5] == pytest.approx(fit.default, abs=0.05)  # no Saturday in the history
    assert scenario.arrivals.uncertainty.day_cv == round(fit.day_cv.value, 3)


def test_comments_name_the_source_the_horizon_and_the_intervals(fit):
    text = arrivals_yaml(fit)
    assert text.startswith("# Fitted from synthetic.csv: 30 days from 2003-03-03 to 2003-04-11")
    assert (
        '# Expected arrivals per 30m interval, for horizon: {start: "07:00", end: "21:00"' in text
    )
    assert "day_cv " in text and "95% bootstrap intervals" in text
    assert all(len(line) <= 98 for line in text.splitlines())


def test_a_pooled_fit_without_interval_noise_writes_per_interval_and_day_cv_only():
    history = history_of(synthetic_history(seed=8, weeks=3))
    pooled = fit_history(history, by_weekday=False, interval_noise=False, resamples=20)
    arrivals = yaml.safe_load(arrivals_yaml(pooled))["arrivals"]
    assert list(arrivals) == ["per_interval", "uncertainty"]
    assert arrivals["per_interval"] == pytest.approx(pooled.default, abs=0.05)
    assert arrivals["uncertainty"] == {"day_cv": round(pooled.day_cv.value, 3)}


def test_the_report_says_what_was_read_the_volume_per_weekday_and_the_estimates(fit):
    report = fit_report(fit)
    assert report.startswith("# Arrival history fit\n")
    assert "5m periods summed into 30m intervals, 07:00-21:00" in report
    assert "| mon | 6 |" in report and "| all | 30 |" in report
    assert "| `day_cv` |" in report and "| `interval_correlation` |" in report
    assert "a Poisson process with a known rate would give" in report
    assert fit_report(fit) == report, "the same fit gives the same text"


def test_what_was_left_out_is_listed_in_the_report():
    synthetic = synthetic_history(seed=9, weeks=2)
    lines = [*synthetic.lines, "2003-03-14 21:00:00,40\n"]  # one period of 21:00-21:30
    fit = fit_history(history_of(dataclasses.replace(synthetic, lines=lines)), resamples=10)
    assert "- 21:00-21:30 left out: the history has 1 of its 6 5m periods" in fit_report(fit)
