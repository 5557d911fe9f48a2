"""The check: the fitted scenario loads, runs, and agrees with the log it was fitted on."""

from __future__ import annotations

import yaml

from simulator.calibrate.check import run_check
from simulator.calibrate.fragment import fragment_text
from simulator.scenario import load_scenario_text
from tests.calibrate.synthetic import PROFILE


def test_the_fragment_is_a_complete_scenario_that_runs(cal) -> None:
    text = fragment_text(cal)
    assert "FITTED" in text and "CALIBRATED" in text
    scenario = load_scenario_text(text, "fragment.yaml")
    data = yaml.safe_load(text)
    assert data["horizon"] == {"start": "08:00", "end": "12:00", "interval": "30m"}
    assert len(data["arrivals"]["per_interval"]) == len(PROFILE)
    assert set(data["customers"]["intents"]) == {"A", "B"}
    check = run_check(cal, scenario, replications=3)
    assert check.fitted == "service_level" and check.label("service_level").endswith("(fitted)")
    observed, simulated = check.day["abandon_rate"]
    # The model is the true one up to sampling and rounding: whole-day abandonment within
    # a few points (its replications' CI is about +-2 points).
    assert abs(simulated.mean - observed) < 0.05
    assert len(check.simulated["service_level"]) == len(PROFILE)
