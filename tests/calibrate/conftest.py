"""The synthetic log and its calibration, made once per session for every calibration test."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.calibrate.columns import read_log
from simulator.calibrate.fragment import calibrate
from simulator.calibrate.profile import select_days
from tests.calibrate.synthetic import INTERVAL_S, write_log


@pytest.fixture(scope="session")
def log_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_log(tmp_path_factory.mktemp("calls") / "calls.csv")


@pytest.fixture(scope="session")
def cal(log_path: Path):
    selected, label = select_days(read_log(log_path), "weekdays")
    return calibrate(selected, label, INTERVAL_S, 20.0)
