"""``cxsim calibrate-outcomes``: a survey in, an outcomes block, a fit report and a chart out;
malformed surveys exit 2 naming the row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import cli
from tests.calibrate.test_outcome_fit import synthetic

COLUMNS = (
    "contacts",
    "switches",
    "transfers",
    "repeats",
    "bot_failures",
    "closed_or_blocked",
    "wait_beyond_promise",
    "resolved",
    "recommend",
    "effort",
    "churned",
)


def _invoke(*args: str):
    return CliRunner().invoke(cli, ["calibrate-outcomes", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def survey_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    survey = synthetic(7, rows=600)
    # Survey answers are whole points from 1 to 7.
    survey.effort[:] = np.clip(np.round(survey.effort), 1, 7)
    path = tmp_path_factory.mktemp("survey") / "survey.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(survey.rows):
            row = [getattr(survey, name)[i] for name in COLUMNS]
            writer.writerow(
                [
                    ("yes" if value else "no")
                    if name in ("resolved", "churned")
                    else (f"{value:.3f}" if name == "wait_beyond_promise" else int(value))
                    for name, value in zip(COLUMNS, row, strict=True)
                ]
            )
    return path


def test_writes_the_block_the_report_and_the_chart(survey_path: Path, tmp_path: Path) -> None:
    result = _invoke(str(survey_path), "--out", str(tmp_path / "fit"), "-q")
    assert result.exit_code == 0, result.output
    block = yaml.safe_load((tmp_path / "fit" / "outcomes.yaml").read_text())["outcomes"]
    assert set(block) == {"effort", "recommend", "churn"}
    assert result.output == (tmp_path / "fit" / "outcomes.yaml").read_text()
    report = (tmp_path / "fit" / "outcomes_fit.md").read_text()
    assert "| recommend.effort |" in report and "![recommend.png](recommend.png)" in report
    assert (tmp_path / "fit" / "recommend.png").read_bytes().startswith(b"\x89PNG")


def _broken(tmp_path: Path, survey_path: Path, line: int, column: str, value: str) -> Path:
    rows = list(csv.DictReader(survey_path.open()))
    rows[line - 2][column] = value
    path = tmp_path / "broken.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("recommend", "11", "column recommend: expected a whole number from 0 to 10, found '11'"),
        ("effort", "9", "column effort: expected a number from 1 to 7, found '9'"),
        ("resolved", "maybe", "resolved: expected 1/0, yes/no or true/false, found 'maybe'"),
        ("contacts", "0", "column contacts: expected a whole number from 1, found '0'"),
    ],
)
def test_a_bad_cell_exits_2_naming_row_and_column(
    survey_path: Path, tmp_path: Path, column: str, value: str, expected: str
) -> None:
    path = _broken(tmp_path, survey_path, 5, column, value)
    result = _invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"cxsim calibrate-outcomes: {path}:5: {expected}" in result.output
    assert "Traceback" not in result.output


def test_missing_columns_and_too_few_rows_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("contacts,recommend\n1,9\n")
    result = _invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "missing column(s) resolved" in result.output
    path.write_text("contacts,resolved,recommend\n" + "1,yes,9\n" * 10)
    result = _invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "only 10 answers in column recommend" in result.output
    path.write_text("contacts,resolved\n1,yes\n")
    result = _invoke(str(path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "no response column" in result.output
