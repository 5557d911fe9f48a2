"""Reading a log: column mapping with differences and tests, --where, and errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from simulator.calibrate import CalibrationError
from simulator.calibrate.columns import parse_columns, read_log


def _acd_log(path: Path) -> Path:
    """An ACD-style export: semicolons, clock times on a date column, an outcome column."""
    path.write_text(
        "call_date;q_start;q_exit;outcome;ser_time;service\n"
        "2024-01-01;09:00:00;09:00:30;AGENT;120;PS\n"
        "2024-01-01;09:01:00;09:03:00;HANG;0;PS\n"
        "2024-01-01;23:59:50;00:00:20;AGENT;60;NW\n"
        "2024-01-02;09:05:00;09:05:00;PHANTOM;0;PS\n"
    )
    return path


def test_mapping_with_differences_tests_and_where(tmp_path: Path) -> None:
    mapping = parse_columns(
        [
            "date=call_date,arrival=q_start,wait=q_exit-q_start",
            "abandoned=outcome==HANG|ABANDON,handle=ser_time,type=service",
        ]
    )
    log = read_log(_acd_log(tmp_path / "acd.csv"), mapping, ["outcome!=PHANTOM"])
    assert len(log) == 3 and log.rows_filtered == 1
    assert log.wait.tolist() == [30.0, 120.0, 30.0]  # the last one crossed midnight
    assert log.abandoned.tolist() == [False, True, False]
    assert log.types.tolist() == ["PS", "PS", "NW"]
    assert log.day[0] == dt.date(2024, 1, 1).toordinal()


def test_where_accepts_alternatives_and_numbers(tmp_path: Path) -> None:
    mapping = parse_columns(["date=call_date,arrival=q_start,wait=q_exit-q_start"])
    mapping |= parse_columns(["abandoned=outcome==HANG,handle=ser_time"])
    log = read_log(_acd_log(tmp_path / "acd.csv"), mapping, ["outcome==HANG or ser_time>100"])
    assert len(log) == 2


def test_errors_are_calibration_errors_in_the_library(tmp_path: Path) -> None:
    with pytest.raises(CalibrationError, match="no such file"):
        read_log(tmp_path / "missing.csv")
