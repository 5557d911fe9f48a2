"""``cxsim calibrate``: the files it writes, the fragment on stdout, and bad logs or options
exiting with status 2 and a message that says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.scenario import load_scenario_text
from tests.calibrate.synthetic import write_log


@pytest.fixture(scope="module")
def log_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_log(tmp_path_factory.mktemp("calls") / "calls.csv")


def _run(*args: str):
    return CliRunner().invoke(cli, ["calibrate", *args], catch_exceptions=False)


def test_cli_end_to_end_with_out(log_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "cal"
    result = _run(str(log_path), "--out", str(out), "-n", "2", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # with --out the fragment goes to the folder
    assert "Check:" in result.stderr and "abandonment" in result.stderr
    for name in ("fragment.yaml", "calibration.md", "arrivals.png", "handle_time.png"):
        assert (out / name).is_file(), name
    for name in ("patience.png", "kpis.png", "check.png"):
        assert (out / name).read_bytes().startswith(b"\x89PNG"), name
    load_scenario_text((out / "fragment.yaml").read_text(), "fragment.yaml")
    report = (out / "calibration.md").read_text()
    assert "## Check: simulated vs observed" in report and "| 08:00 |" in report
    assert "service level (fitted)" in result.stderr and "not independent" in report
    assert "The scenario uses the observed mean and standard deviation" in report


def test_cli_prints_the_fragment_without_out(
    log_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run(str(log_path), "--no-check", "-q")
    assert result.exit_code == 0, result.output
    load_scenario_text(result.stdout, "stdout")
    assert (tmp_path / "reports" / "calls-calibration" / "calibration.md").is_file()


def test_missing_column_names_it_and_lists_the_columns(log_path: Path, tmp_path: Path) -> None:
    result = _run(str(log_path), "--columns", "wait=queue_time", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "no column 'queue_time' (needed for wait)" in result.stderr
    assert "columns found: arrival, wait, abandoned, handle, type" in result.stderr
    assert "--columns" in result.stderr and "Traceback" not in result.output


def test_unparsable_timestamp_names_the_row_and_value(tmp_path: Path) -> None:
    log = tmp_path / "bad.csv"
    log.write_text(
        "arrival,wait,abandoned,handle\n2024-01-01 09:00:00,5,0,100\n2024-01-01 9h05,5,0,100\n"
    )
    result = _run(str(log), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "bad.csv:3: row 2: column 'arrival': cannot read '2024-01-01 9h05'" in result.stderr


def test_a_log_without_abandonments_says_patience_cannot_be_fitted(tmp_path: Path) -> None:
    log = tmp_path / "patient.csv"
    rows = [f"2024-01-01 09:{m:02d}:00,{m % 7},0,{100 + m}" for m in range(40)]
    log.write_text("arrival,wait,abandoned,handle\n" + "\n".join(rows) + "\n")
    result = _run(str(log), "--out", str(tmp_path / "o"), "--no-check")
    assert result.exit_code == 2
    assert "patience cannot be fitted" in result.stderr
    assert "--patience" in result.stderr
    given = _run(str(log), "--out", str(tmp_path / "o"), "--no-check", "--patience", "none")
    assert given.exit_code == 0, given.output
    assert "patience: none" in (tmp_path / "o" / "fragment.yaml").read_text()


def test_an_empty_selection_of_days_is_an_error(log_path: Path, tmp_path: Path) -> None:
    result = _run(str(log_path), "--days", "weekends", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "no calls on the selected days (--days weekends)" in result.stderr
    assert "Mon, Tue, Wed, Thu, Fri" in result.stderr or "mon, tue" in result.stderr


def test_a_bad_days_value_is_an_error(log_path: Path, tmp_path: Path) -> None:
    result = _run(str(log_path), "--days", "funday", "--out", str(tmp_path))
    assert result.exit_code == 2 and "--days: cannot read 'funday'" in result.stderr


def test_a_day_first_log_with_am_pm_and_decimal_commas_calibrates(
    log_path: Path, tmp_path: Path
) -> None:
    from tests.calibrate.test_columns import _european

    log = tmp_path / "calls.csv"  # named like the ISO log: the fragments name the log
    log.write_text(_european(log_path.read_text()))
    result = _run(str(log), "--out", str(tmp_path / "o"), "--no-check")
    assert result.exit_code == 0, result.output
    assert "read with dates day first (D/M/Y), 12-hour times with AM/PM, decimal commas" in (
        result.stderr
    )
    iso = _run(str(log_path), "--out", str(tmp_path / "iso"), "--no-check")
    assert iso.exit_code == 0

    def fitted(folder: str) -> list[str]:  # the fragment but the line naming the log
        text = (tmp_path / folder / "fragment.yaml").read_text()
        return [line for line in text.splitlines() if ".csv" not in line]

    assert fitted("o") == fitted("iso")


def test_an_ambiguous_date_asks_for_the_format_which_then_reads_it(tmp_path: Path) -> None:
    log = tmp_path / "us.csv"
    rows = [
        f"01/02/2024 {h}:{m:02d}:00 AM,{m % 7},{int(m % 5 == 0)},{100 + m}"
        for h in (9, 10)
        for m in range(60)
    ]
    log.write_text("arrival,wait,abandoned,handle\n" + "\n".join(rows) + "\n")
    result = _run(str(log), "--out", str(tmp_path / "o"), "--no-check")
    assert result.exit_code == 2
    assert "give --date-format %d/%m/%Y or %m/%d/%Y" in result.stderr
    stated = _run(str(log), "--out", str(tmp_path / "o"), "--no-check", "--date-format", "%m/%d/%Y")
    assert stated.exit_code == 0, stated.output
    assert "on 1 day(s)" in stated.stderr and "read with dates as %m/%d/%Y" in stated.stderr


def test_a_device_is_refused_cleanly(tmp_path: Path) -> None:
    result = _run("/dev/zero", "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert result.stderr.startswith("cxsim calibrate: /dev/zero")
    assert len(result.stderr) < 400
