"""The spread across simulated days: every replication of every day is a day, percentiles are
those of the days' own KPIs, and an uncertain forecast widens them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.experiment.days import (
    PERCENTILES,
    across_days,
    distribution,
    share_of_days_meeting,
    simulated_days,
)
from simulator.experiment.replicate import run_replications
from simulator.report.document import results_document
from simulator.report.text import summary_text
from simulator.scenario import load_scenario_text
from tests.scenario_texts import WEEK

DAY = """\
scenario: day
seed: 4
horizon: {start: "08:00", end: "12:00", interval: 30m}
arrivals: {rate: 300/h}
channels: {voice: {patience: {exponential: {mean: 5m}}}}
agents: {team: {skills: [voice], count: 22}}
handle_time: {default: {exponential: {mean: 4m}}}
"""
UNCERTAIN = DAY.replace(
    "arrivals: {rate: 300/h}", "arrivals: {rate: 300/h, uncertainty: {day_cv: 0.12}}"
)


def test_a_distribution_is_the_days_mean_sd_and_percentiles():
    values = [float(v) for v in range(1, 101)]
    found = distribution([*values, None, math.nan])
    assert found["days"] == 100 and found["mean"] == 50.5
    assert found["sd"] == pytest.approx(np.std(values, ddof=1))
    assert [found[f"p{p}"] for p in PERCENTILES] == pytest.approx(
        np.percentile(values, PERCENTILES)
    )
    assert distribution([])["p50"] is None and distribution([3.0])["sd"] is None


def test_the_share_of_days_meeting_a_target():
    assert share_of_days_meeting([0.9, 0.7, 0.85, None], lambda v: v >= 0.8) == 0.75
    assert math.isnan(share_of_days_meeting([], lambda v: True))


@pytest.fixture(scope="module")
def uncertain_run():
    return run_replications(load_scenario_text(UNCERTAIN), 30, seed=2)


def test_each_replication_of_a_single_day_is_one_day(uncertain_run):
    days = simulated_days(uncertain_run)
    assert len(days) == 30
    assert [day["service_level"] for _, day in days] == [
        rep["overall"]["service_level"] for rep in uncertain_run.per_replication
    ]
    spread = across_days(uncertain_run)
    assert spread["days"] == 30 and "by_weekday" not in spread
    offered = spread["overall"]["offered"]
    assert offered["sd"] / offered["mean"] == pytest.approx(np.hypot(0.12, 1 / 35), rel=0.35)
    voice = spread["by_channel"]["voice"]["service_level"]
    assert voice == spread["overall"]["service_level"]  # one channel: the same days


def test_an_uncertain_forecast_spreads_the_days_more_than_an_exact_one(uncertain_run):
    exact = run_replications(load_scenario_text(DAY), 30, seed=2)
    low = across_days(exact)["overall"]["service_level"]
    high = across_days(uncertain_run)["overall"]["service_level"]
    assert high["p90"] - high["p10"] > 1.5 * (low["p90"] - low["p10"])


def test_a_week_reports_every_day_and_each_weekday():
    result = run_replications(load_scenario_text(WEEK), 2, seed=1)
    spread = across_days(result)
    assert spread["days"] == 14
    assert list(spread["by_weekday"]) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert spread["by_weekday"]["mon"]["offered"]["days"] == 2
    monday = [rep["by_day"][0]["overall"]["offered"] for rep in result.per_replication]
    assert spread["by_weekday"]["mon"]["offered"]["mean"] == pytest.approx(np.mean(monday))
    # All channels together have no absolute wait; each channel has its own.
    assert "asa_s" not in spread["overall"] and "asa_s" not in spread["by_weekday"]["mon"]
    assert all("asa_s" in kpis for kpis in spread["by_channel"].values())
    # Nobody calls on Sunday (the week has no Sunday arrivals): the days say so.
    assert spread["by_weekday"]["sun"]["offered"]["p95"] == 0


def test_the_results_document_and_the_summary_carry_the_spread(uncertain_run):
    document = results_document(uncertain_run)
    assert document["across_days"]["days"] == 30
    assert "across_days" in document["definitions"]
    text = summary_text(uncertain_run)
    assert "Across 30 simulated days" in text and "p10" in text
    exact = run_replications(load_scenario_text(DAY), 2, seed=2)
    assert "simulated days" not in summary_text(exact)  # shown for uncertain forecasts only
