"""What ``cxsim calibrate-outcomes`` writes (simulator/calibrate/outcome_report.py): a block
that pastes into a scenario, a report of every coefficient, a chart of the recommend answers
only when the survey asked that question, and the same bytes for the same survey. The command
itself is tested in tests/test_cli_outcomes.py."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulator.calibrate.outcome_fit import fit_outcomes, outcomes_block
from simulator.calibrate.outcome_report import (
    BLOCK_FILE,
    PLOT_FILE,
    REPORT_FILE,
    block_text,
    write_outputs,
)
from tests.calibrate.test_outcome_fit import synthetic


@pytest.fixture(scope="module")
def fit():
    return fit_outcomes(synthetic(5, rows=600))


def test_the_block_is_the_fitted_outcomes_headed_by_its_survey(fit) -> None:
    text = block_text(fit, "survey.csv")
    assert text.startswith("# Fitted by cxsim calibrate-outcomes from survey.csv (600 customers)")
    assert yaml.safe_load(text) == {"outcomes": outcomes_block(fit)}


def test_outputs_are_the_same_bytes_twice_and_the_report_names_every_coefficient(
    fit, tmp_path: Path
) -> None:
    first = {p.name: p.read_bytes() for p in write_outputs(tmp_path / "a", fit, "survey.csv")}
    second = {p.name: p.read_bytes() for p in write_outputs(tmp_path / "b", fit, "survey.csv")}
    assert first == second
    assert set(first) == {BLOCK_FILE, REPORT_FILE, PLOT_FILE}
    assert first[PLOT_FILE].startswith(b"\x89PNG")
    report = first[REPORT_FILE].decode()
    for part in ("effort", "recommend", "churn"):
        for coefficient in getattr(fit, part):
            assert f"| {part}.{coefficient.name} |" in report
    assert f"![{PLOT_FILE}]({PLOT_FILE})" in report


def test_a_survey_without_recommend_answers_gets_no_chart(tmp_path: Path) -> None:
    survey = synthetic(6, rows=600)
    survey = dataclasses.replace(survey, recommend=np.full(survey.rows, np.nan))
    written = write_outputs(tmp_path, fit_outcomes(survey), "survey.csv")
    assert [p.name for p in written] == [BLOCK_FILE, REPORT_FILE]
    assert PLOT_FILE not in (tmp_path / REPORT_FILE).read_text()
