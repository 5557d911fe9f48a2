"""The calibration and the scenario fragment it writes: intents, staffing, handle times."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulator.calibrate.columns import read_log
from simulator.calibrate.fragment import agents_count, calibrate, fragment_text
from simulator.calibrate.profile import Grid, select_days
from tests.calibrate.synthetic import INTERVAL_S, TYPES


def test_intent_shares_follow_the_type_mix(cal) -> None:
    n = len(cal.log)
    share = TYPES["A"][0]
    # Binomial standard error sqrt(p (1 - p) / n) ~ 0.003 with ~7,000 calls: 5 of them.
    assert abs(cal.intents["A"] - share) < 5 * math.sqrt(share * (1 - share) / n)
    assert sum(cal.intents.values()) == pytest.approx(1.0, abs=1e-9)


def test_the_default_staffing_is_calibrated_to_service_level(cal) -> None:
    assert cal.staffing == "fit-sl" and cal.fitted_kpi == "service_level"
    text = fragment_text(cal)
    assert "CALIBRATED, not observed" in text and "not independent" in text


def test_fractional_heads_alternate_within_the_interval() -> None:
    grid = Grid(8 * 3600, 10 * 3600, 1800)
    # 4.4 heads: 5 for the first 40 % of 30 min (12 min), then 4; whole heads stay whole.
    schedule = agents_count(grid, np.array([4.4, 5.0, 5.0, 2.99]))
    assert schedule == {"08:00": 5, "08:12": 4, "08:30": 5, "09:30": 3}
    assert agents_count(grid, np.array([1.0, 1.01, 1.0, 1.0])) == {"08:00": 1}


def test_handle_fits_write_their_own_mean_and_sd(cal, log_path: Path) -> None:
    def written(calibration) -> tuple[float, float]:
        law = yaml.safe_load(fragment_text(calibration))["handle_time"]["A"]["lognormal"]
        return float(law["mean"].rstrip("s")), float(law["sd"].rstrip("s"))

    fit = cal.handle_by_intent["A"]
    assert cal.handle_fit == "moments"
    assert written(cal) == pytest.approx((fit.sample_mean, fit.sample_sd), abs=0.06)
    selected, label = select_days(read_log(log_path), "weekdays")
    mle = calibrate(selected, label, INTERVAL_S, 20.0, staffing="waiting", handle_fit="mle")
    assert written(mle) == pytest.approx((fit.mean, fit.sd), abs=0.06)
    assert "INFERRED, not fitted" in fragment_text(mle)
