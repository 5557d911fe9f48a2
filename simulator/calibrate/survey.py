"""Read a post-contact survey joined to journey facts: the input of ``cxsim calibrate-outcomes``.

One row per customer. Journey facts (columns of these names; all required but ``switches``,
``transfers``, ``repeats``, ``bot_failures``, ``wait_beyond_promise`` and ``closed_or_blocked``,
which default to 0 when the column is absent):

* ``contacts`` (>= 1), ``switches``, ``transfers``, ``repeats`` (times the customer explained
  everything again), ``bot_failures``, ``closed_or_blocked`` (whole numbers >= 0);
* ``wait_beyond_promise``: waiting beyond each contact's promise divided by that promise, summed
  over contacts (>= 0), as the simulator counts it;
* ``resolved``: 1/0, yes/no or true/false.

Responses, any subset but at least one, empty cells allowed (a customer who skipped a question):
``recommend`` (whole number 0-10), ``effort`` (1-7) and ``churned`` (1/0, yes/no, true/false).

Everything wrong with the file raises :class:`~simulator.calibrate.CalibrationError` naming the
line and column, and what was expected.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulator.calibrate import CalibrationError

#: Journey facts that count (whole numbers >= 0; contacts >= 1), and whether a file needs them.
COUNT_FACTS: dict[str, bool] = {
    "contacts": True,
    "switches": False,
    "transfers": False,
    "repeats": False,
    "bot_failures": False,
    "closed_or_blocked": False,
}
RESPONSES = ("recommend", "effort", "churned")
#: Fewest answers of a question worth fitting a model on.
MIN_ANSWERS = 30
_YES = {"1", "yes", "y", "true", "t"}
_NO = {"0", "no", "n", "false", "f"}


@dataclass(frozen=True)
class Survey:
    """Journey facts and responses, one entry per customer (NaN: question not answered)."""

    path: str
    contacts: np.ndarray
    switches: np.ndarray
    transfers: np.ndarray
    repeats: np.ndarray
    bot_failures: np.ndarray
    closed_or_blocked: np.ndarray
    wait_beyond_promise: np.ndarray
    resolved: np.ndarray
    recommend: np.ndarray
    effort: np.ndarray
    churned: np.ndarray

    @property
    def rows(self) -> int:
        return len(self.contacts)

    def answered(self, question: str) -> np.ndarray:
        """Which customers answered ``question`` (a boolean mask)."""
        return ~np.isnan(getattr(self, question))


def _flag(text: str, where: str) -> float:
    value = text.strip().lower()
    if value in _YES:
        return 1.0
    if value in _NO:
        return 0.0
    raise CalibrationError(f"{where}: expected 1/0, yes/no or true/false, found {text!r}")


def _number(text: str, where: str, low: float, high: float, whole: bool) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CalibrationError(f"{where}: expected a number, found {text!r}") from None
    if not (low <= value <= high) or (whole and value != int(value)):
        kind = "a whole number" if whole else "a number"
        top = "" if math.isinf(high) else f" to {high:g}"
        raise CalibrationError(f"{where}: expected {kind} from {low:g}{top}, found {text!r}")
    return value


def _response(text: str, name: str, where: str) -> float:
    if not text.strip():
        return math.nan
    if name == "churned":
        return _flag(text, where)
    if name == "recommend":
        return _number(text, where, 0, 10, whole=True)
    return _number(text, where, 1, 7, whole=False)


def read_survey(path: Path) -> Survey:
    """The survey at ``path``, checked cell by cell (see the module docstring)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            reader.fieldnames = header
            rows = list(reader)
    except OSError as error:
        raise CalibrationError(f"{path}: cannot read the survey: {error.strerror}") from None
    required = [name for name, needed in COUNT_FACTS.items() if needed] + ["resolved"]
    missing = [name for name in required if name not in header]
    if missing:
        raise CalibrationError(
            f"{path}:1: missing column(s) {', '.join(missing)}; found {', '.join(header) or '-'}"
            " (one row per customer: contacts, resolved, the other journey facts, and responses)"
        )
    asked = [name for name in RESPONSES if name in header]
    if not asked:
        raise CalibrationError(
            f"{path}:1: no response column: need at least one of {', '.join(RESPONSES)}"
        )
    columns: dict[str, list[float]] = {name: [] for name in (*COUNT_FACTS, "resolved")}
    columns.update({"wait_beyond_promise": [], **{name: [] for name in RESPONSES}})
    for line, row in enumerate(rows, start=2):
        for name in COUNT_FACTS:
            text = (row.get(name) or "0").strip() or "0"
            low = 1 if name == "contacts" else 0
            where = f"{path}:{line}: column {name}"
            columns[name].append(_number(text, where, low, math.inf, whole=True))
        text = (row.get("wait_beyond_promise") or "0").strip() or "0"
        where = f"{path}:{line}: column wait_beyond_promise"
        columns["wait_beyond_promise"].append(_number(text, where, 0, math.inf, whole=False))
        columns["resolved"].append(_flag(row.get("resolved") or "", f"{path}:{line}: resolved"))
        for name in RESPONSES:
            where = f"{path}:{line}: column {name}"
            columns[name].append(_response(row.get(name) or "", name, where))
    survey = Survey(str(path), **{name: np.array(values) for name, values in columns.items()})
    for name in asked:
        answers = int(survey.answered(name).sum())
        if answers < MIN_ANSWERS:
            raise CalibrationError(
                f"{path}: only {answers} answers in column {name}; at least {MIN_ANSWERS} are "
                "needed to fit anything (leave the column out to skip that part)"
            )
    return survey
