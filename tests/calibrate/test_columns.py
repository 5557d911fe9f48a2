"""Reading a log: column mapping with differences and tests, --where, and errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
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


def _european(iso_log: str) -> str:
    """The same calls as an export with day-first dates, 12-hour times, semicolons and decimal
    commas would write them."""
    lines = iso_log.splitlines()
    out = [lines[0].replace(",", ";")]
    for line in lines[1:]:
        stamp, wait, abandoned, handle, kind = line.split(",")
        when = dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S")
        written = when.strftime("%d/%m/%Y %I:%M:%S %p")
        fields = [written, wait.replace(".", ","), abandoned, handle.replace(".", ","), kind]
        out.append(";".join(fields))
    return "\n".join(out) + "\n"


def test_a_european_export_reads_as_the_iso_one(tmp_path: Path, log_path: Path) -> None:
    iso = read_log(log_path)
    european = tmp_path / "european.csv"
    european.write_text(_european(log_path.read_text()))
    log = read_log(european)
    assert log.formats.described == [
        "dates day first (D/M/Y)",
        "12-hour times with AM/PM",
        "decimal commas",
    ]
    for name in ("day", "arrival", "wait", "abandoned", "handle", "types", "line"):
        np.testing.assert_array_equal(getattr(log, name), getattr(iso, name), err_msg=name)


def test_stated_formats_read_an_ambiguous_log(tmp_path: Path) -> None:
    path = tmp_path / "us.csv"
    path.write_text(
        "arrival,wait,abandoned,handle\n"
        "01/02/2024 9:00:00 AM,5,0,100\n"
        "01/02/2024 1:30:00 PM,5,0,100\n"
    )
    with pytest.raises(CalibrationError, match="cannot tell whether dates such as '01/02/2024'"):
        read_log(path)
    log = read_log(path, date_format="%m/%d/%Y")
    assert log.day.tolist() == [dt.date(2024, 1, 2).toordinal()] * 2
    assert log.arrival.tolist() == [32400.0, 48600.0]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "2024-01-01 09:00:00,,0,100",
            "/bad.csv:3: row 2: column 'wait': empty, expected a duration (seconds or H:MM:SS) "
            "(wait is needed for every call)",
        ),
        (
            "2024-01-01 09:00:00,5,,100",
            "/bad.csv:3: row 2: column 'abandoned': empty, expected yes/no",
        ),
        (
            "2024-01-01 09:00:00,5,0,",
            "/bad.csv:3: row 2: column 'handle': empty, expected a duration (seconds or H:MM:SS) "
            "(handle is needed for every call)",
        ),
        (",5,0,100", "/bad.csv:3: row 2: column 'arrival': empty, expected a time"),
    ],
)
def test_an_empty_required_value_is_an_error_naming_the_row(
    tmp_path: Path, row: str, message: str
) -> None:
    """A blank wait used to be read as 0 s, silently: a call answered at once."""
    path = tmp_path / "bad.csv"
    path.write_text(f"arrival,wait,abandoned,handle\n2024-01-01 08:00:00,5,0,100\n{row}\n")
    with pytest.raises(CalibrationError) as info:
        read_log(path)
    assert message in str(info.value)


def test_an_abandoned_call_needs_no_handle_time(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("arrival,wait,abandoned,handle\n2024-01-01 08:00:00,50,1,\n")
    assert read_log(path).handle.tolist() != [0.0]


@pytest.mark.parametrize("size", [100_000, 1_000_000])
def test_a_binary_file_is_refused_with_a_short_message(tmp_path: Path, size: int) -> None:
    """Zeros read as one huge cell (refused by the CSV reader past 128 KB): the message quotes
    its start only."""
    path = tmp_path / "zeros.csv"
    path.write_bytes(b"arrival,wait,abandoned,handle\n" + b"\0" * size)
    with pytest.raises(CalibrationError) as info:
        read_log(path)
    message = str(info.value)
    assert len(message) < 300
    assert message.startswith(f"{path}")
    assert "row 1: column 'arrival': cannot read" in message or "not a readable CSV" in message
