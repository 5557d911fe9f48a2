"""Reading a post-contact survey (simulator/calibrate/survey.py): journey facts the file leaves
out count as 0, a skipped question is not an answer, and a bad cell names its line and column.
The command that reads it is tested in tests/test_cli_outcomes.py."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from simulator.calibrate import CalibrationError
from simulator.calibrate.survey import MIN_ANSWERS, read_survey


def write(tmp_path: Path, header: str, rows: list[str]) -> Path:
    path = tmp_path / "survey.csv"
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def test_absent_facts_are_zero_and_a_skipped_question_is_not_an_answer(tmp_path: Path) -> None:
    rows = ["2,yes,9,"] + ["1,no,7,3.5"] * MIN_ANSWERS
    survey = read_survey(write(tmp_path, "contacts, resolved ,recommend,effort", rows))
    assert survey.rows == MIN_ANSWERS + 1
    assert survey.contacts[0] == 2 and survey.resolved[0] == 1 and survey.resolved[1] == 0
    assert not survey.transfers.any() and not survey.wait_beyond_promise.any()
    assert math.isnan(survey.effort[0]) and survey.effort[1] == 3.5
    assert survey.answered("effort").sum() == MIN_ANSWERS
    assert survey.answered("recommend").all() and not survey.answered("churned").any()


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("recommend", "11", "column recommend: expected a whole number from 0 to 10, found '11'"),
        ("effort", "x", "column effort: expected a number, found 'x'"),
        ("resolved", "maybe", "resolved: expected 1/0, yes/no or true/false, found 'maybe'"),
    ],
)
def test_a_bad_cell_names_its_line_and_column(tmp_path: Path, column, value, expected) -> None:
    good = {"contacts": "1", "resolved": "yes", "recommend": "9", "effort": "2"}
    header = ",".join(good)
    rows = [",".join(good.values())] * MIN_ANSWERS
    rows[3] = ",".join(value if name == column else cell for name, cell in good.items())
    path = write(tmp_path, header, rows)
    with pytest.raises(CalibrationError) as caught:
        read_survey(path)
    assert str(caught.value) == f"{path}:5: {expected}"


def test_too_few_answers_to_fit_are_refused_naming_the_column(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts,resolved,churned", ["1,yes,no"] * (MIN_ANSWERS - 1))
    with pytest.raises(
        CalibrationError, match=rf"only {MIN_ANSWERS - 1} answers in column churned"
    ):
        read_survey(path)
