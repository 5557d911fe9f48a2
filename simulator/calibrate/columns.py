"""Reading a call log: which columns mean what (``--columns``), which rows count (``--where``).

ACD exports differ in names and in what they store, so every field we need is an *expression*
over the log's columns, kept deliberately small:

- ``COLUMN``: the value of a column (``handle=ser_time``);
- ``A-B``: the difference of two time columns in seconds (``wait=q_exit-q_start``); clock times
  without a date that go backwards crossed midnight and get a day added;
- ``COLUMN==V`` / ``COLUMN!=V`` (several values as ``V1|V2``) and ``COLUMN>N`` (also ``>=``,
  ``<``, ``<=``): a yes/no test (``abandoned=outcome==HANG``).

``--where`` keeps only the rows that pass every given test; one test may join alternatives with
`` or `` (``outcome==AGENT or q_time>0``). A column whose name itself contains ``-`` or ``=`` is
taken as a plain column: the header is checked before an expression is split.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from simulator.calibrate import CalibrationError

#: Our field names, in the order the help lists them. ``date`` and ``type`` are optional.
FIELDS = ("date", "arrival", "wait", "abandoned", "handle", "type")
OPTIONAL = frozenset({"date", "type"})
EXAMPLES = {
    "date": "date=call_date",
    "arrival": "arrival=q_start",
    "wait": "wait=q_time or wait=q_exit-q_start",
    "abandoned": "abandoned=outcome==HANG",
    "handle": "handle=ser_time",
    "type": "type=service",
}

_TEST = re.compile(r"^\s*(.+?)\s*(==|!=|>=|<=|>|<)\s*(.*?)\s*$")
_DATETIME = re.compile(
    r"^\s*(?:(\d{4})-?(\d{2})-?(\d{2})(?:[T ]+|$))?"
    r"(?:(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d*)?))?)?\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$"
)
_CLOCK_DURATION = re.compile(r"^\s*(?:(\d+):)?(\d+):(\d{2}(?:\.\d*)?)\s*$")
_TRUE = frozenset({"1", "true", "t", "yes", "y"})
_FALSE = frozenset({"0", "false", "f", "no", "n", ""})
DAY_S = 86400.0


@dataclass(frozen=True)
class Condition:
    """``column op value``; ``==``/``!=`` compare text (case-insensitive), the others numbers."""

    column: str
    op: str
    values: tuple[str, ...]

    def holds(self, row: Sequence[str], index: Mapping[str, int]) -> bool:
        text = row[index[self.column]].strip()
        if self.op in ("==", "!="):
            inside = text.casefold() in {v.casefold() for v in self.values}
            return inside if self.op == "==" else not inside
        number = _number(text)
        limit = float(self.values[0])
        return {
            ">": number > limit,
            ">=": number >= limit,
            "<": number < limit,
            "<=": number <= limit,
        }[self.op]


@dataclass(frozen=True)
class Test:
    """Alternatives joined by ``or``: the row passes if any holds."""

    text: str
    alternatives: tuple[Condition, ...]

    def holds(self, row: Sequence[str], index: Mapping[str, int]) -> bool:
        return any(c.holds(row, index) for c in self.alternatives)

    @property
    def columns(self) -> list[str]:
        return [c.column for c in self.alternatives]


@dataclass(frozen=True)
class Expression:
    """How one of our fields is computed from a row: a column, a difference or a test."""

    text: str
    columns: tuple[str, ...]
    test: Test | None = None


@dataclass
class CallLog:
    """One row per call that passed ``--where``, as arrays (times in seconds).

    ``day`` is the proleptic ordinal of the call's date and ``arrival`` the seconds after that
    day's midnight when the call asked for an agent. ``handle`` is NaN where the log has none
    (abandoned calls). ``line`` is the file line of each call, for messages.
    """

    source: str
    header: list[str]
    day: np.ndarray
    arrival: np.ndarray
    wait: np.ndarray
    abandoned: np.ndarray
    handle: np.ndarray
    types: np.ndarray
    line: np.ndarray
    rows_read: int
    rows_filtered: int
    mapping: dict[str, str] = field(default_factory=dict)
    typed: bool = False

    def __len__(self) -> int:
        return len(self.arrival)

    def subset(self, keep: np.ndarray) -> CallLog:
        """The calls where ``keep`` is true (counts of the file stay as they were)."""
        return CallLog(
            source=self.source,
            header=self.header,
            day=self.day[keep],
            arrival=self.arrival[keep],
            wait=self.wait[keep],
            abandoned=self.abandoned[keep],
            handle=self.handle[keep],
            types=self.types[keep],
            line=self.line[keep],
            rows_read=self.rows_read,
            rows_filtered=self.rows_filtered,
            mapping=self.mapping,
            typed=self.typed,
        )


def parse_columns(texts: Iterable[str]) -> dict[str, str]:
    """``["arrival=q_start,wait=q_time"]`` -> ``{"arrival": "q_start", "wait": "q_time"}``.

    Pairs are separated by commas and split at the first ``=``, so ``abandoned=outcome==HANG``
    keeps its test. Several ``--columns`` options add up.
    """
    mapping: dict[str, str] = {}
    for text in texts:
        for part in text.split(","):
            if not part.strip():
                continue
            name, sep, expression = part.partition("=")
            name = name.strip().lower()
            if not sep or not expression.strip():
                raise CalibrationError(
                    f"--columns: {part.strip()!r} is not NAME=COLUMN "
                    f"(e.g. {EXAMPLES['wait']}; names: {', '.join(FIELDS)})"
                )
            if name not in FIELDS:
                raise CalibrationError(
                    f"--columns: unknown name {name!r} (names: {', '.join(FIELDS)})"
                )
            mapping[name] = expression.strip()
    return mapping


def read_log(
    path: Path, mapping: Mapping[str, str] | None = None, where: Sequence[str] = ()
) -> CallLog:
    """Read a CSV call log (delimiter sniffed) into a :class:`CallLog`.

    Fields not in ``mapping`` are read from the column of the same name. ``date`` is needed only
    when arrival times carry no date, and ``type`` is optional (one intent ``general``).
    """
    mapping = dict(mapping or {})
    source = str(path)
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            sample = handle.read(64 * 1024)
            handle.seek(0)
            try:
                dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
                    sample, delimiters=",;\t|"
                )
            except csv.Error:
                dialect = csv.excel
            reader = csv.reader(handle, dialect)
            header = next(reader, None)
            if not header or not any(h.strip() for h in header):
                raise CalibrationError(f"{source}: the file is empty (expected a CSV header row)")
            header = [h.strip() for h in header]
            index = {name: i for i, name in enumerate(header)}
            folded = {name.casefold(): name for name in header}
            expressions = _expressions(source, header, index, folded, mapping)
            tests = [_test(source, text, index, folded, "--where") for text in where]
            return _read_rows(source, header, reader, index, expressions, tests)
    except FileNotFoundError:
        raise CalibrationError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise CalibrationError(f"{source}: is a folder, not a CSV file") from None
    except PermissionError:
        raise CalibrationError(f"{source}: permission denied") from None


def _expressions(
    source: str,
    header: list[str],
    index: dict[str, int],
    folded: dict[str, str],
    mapping: Mapping[str, str],
) -> dict[str, Expression]:
    """Resolve every field to columns of the header, or fail naming what is missing."""
    expressions: dict[str, Expression] = {}
    for name in FIELDS:
        text = mapping.get(name, name)
        if name in OPTIONAL and name not in mapping and _column(text, index, folded) is None:
            continue
        column = _column(text, index, folded)
        if column is not None:
            expressions[name] = Expression(text, (column,))
            continue
        if _TEST.match(text) and name == "abandoned":
            test = _test(source, text, index, folded, f"--columns {name}")
            expressions[name] = Expression(text, tuple(test.columns), test)
            continue
        if "-" in text and name != "abandoned":
            left, _, right = text.partition("-")
            columns = (_column(left, index, folded), _column(right, index, folded))
            if None not in columns:
                expressions[name] = Expression(text, columns)  # type: ignore[arg-type]
                continue
            missing = left.strip() if columns[0] is None else right.strip()
        else:
            missing = text
        raise _missing(source, header, name, missing)
    return expressions


def _column(text: str, index: Mapping[str, int], folded: Mapping[str, str]) -> str | None:
    text = text.strip()
    if text in index:
        return text
    return folded.get(text.casefold())


def _missing(source: str, header: Sequence[str], name: str, column: str) -> CalibrationError:
    found = ", ".join(header)
    return CalibrationError(
        f"{source}: no column {column!r} (needed for {name}); columns found: {found} "
        f"(map yours with --columns, e.g. --columns {EXAMPLES[name]})"
    )


def _test(
    source: str, text: str, index: dict[str, int], folded: dict[str, str], where: str
) -> Test:
    """Parse ``a==X|Y or b>3`` and check that its columns exist."""
    alternatives = []
    for part in re.split(r"\s+or\s+", text.strip()):
        match = _TEST.match(part)
        if not match:
            raise CalibrationError(
                f"{where}: cannot read {part!r} as a test "
                "(expected COLUMN==VALUE, COLUMN!=V1|V2 or COLUMN>NUMBER)"
            )
        name, op, value = match.groups()
        column = _column(name, index, folded)
        if column is None:
            raise CalibrationError(
                f"{source}: no column {name!r} (in {where} {text!r}); "
                f"columns found: {', '.join(index)}"
            )
        if op not in ("==", "!="):
            try:
                float(value)
            except ValueError:
                raise CalibrationError(
                    f"{where}: {part!r} compares with {value!r}, which is not a number"
                ) from None
        alternatives.append(Condition(column, op, tuple(v.strip() for v in value.split("|"))))
    return Test(text, tuple(alternatives))


#: One call as a row gives it: day ordinal, arrival and wait (s), abandoned, handle (s), type.
_Call = tuple[int, float, float, bool, float, str]


def _read_rows(
    source: str,
    header: list[str],
    reader: Iterable[list[str]],
    index: dict[str, int],
    expressions: dict[str, Expression],
    tests: list[Test],
) -> CallLog:
    """Every non-blank row the ``--where`` tests keep, as one call of the log."""
    calls: list[_Call] = []
    lines: list[int] = []
    rows_read = filtered = 0
    width = len(header)
    for row in reader:
        line = reader.line_num  # type: ignore[attr-defined]
        if not any(cell.strip() for cell in row):
            continue
        rows_read += 1
        if len(row) < width:
            row = row + [""] * (width - len(row))
        call = _read_call(row, index, expressions, tests, f"{source}:{line}: row {rows_read}")
        if call is None:
            filtered += 1
            continue
        calls.append(call)
        lines.append(line)
    return _call_log(source, header, calls, lines, rows_read, filtered, expressions)


def _read_call(
    row: list[str],
    index: dict[str, int],
    expressions: dict[str, Expression],
    tests: list[Test],
    where: str,
) -> _Call | None:
    """One row as a call, or None when a ``--where`` test drops it; a value that cannot be
    read is an error naming ``where`` (file, line and row) and the column."""
    try:
        if not all(t.holds(row, index) for t in tests):
            return None
        stamp_day, seconds = _arrival(row, index, expressions["arrival"], expressions.get("date"))
        wait = _duration_field(row, index, expressions["wait"])
        gave_up = _flag(row, index, expressions["abandoned"])
        handle = _duration_field(row, index, expressions["handle"])
    except _BadValue as bad:
        raise CalibrationError(
            f"{where}: column {bad.column!r}: cannot read {bad.value!r} as {bad.expected}"
        ) from None
    if math.isnan(wait):
        wait = 0.0  # an empty wait is a call answered at once
    if wait < 0:
        raise CalibrationError(f"{where}: negative wait {wait:g} s ({expressions['wait'].text})")
    type_expr = expressions.get("type")
    kind = row[index[type_expr.columns[0]]].strip() if type_expr else ""
    return stamp_day, seconds, wait, gave_up, handle, kind


def _call_log(
    source: str,
    header: list[str],
    calls: list[_Call],
    lines: list[int],
    rows_read: int,
    filtered: int,
    expressions: dict[str, Expression],
) -> CallLog:
    """The calls read, one array per field."""
    # One list per field of _Call (the calls transposed; empty lists when no call was kept).
    days, arrivals, waits, abandoned, handles, types = (
        [call[k] for call in calls] for k in range(6)
    )
    return CallLog(
        source=source,
        header=header,
        day=np.array(days, dtype=np.int64),
        arrival=np.array(arrivals, dtype=float),
        wait=np.array(waits, dtype=float),
        abandoned=np.array(abandoned, dtype=bool),
        handle=np.array(handles, dtype=float),
        types=np.array(types, dtype=object),
        line=np.array(lines, dtype=np.int64),
        rows_read=rows_read,
        rows_filtered=filtered,
        mapping={name: e.text for name, e in expressions.items()},
        typed="type" in expressions,
    )


class _BadValue(Exception):
    def __init__(self, column: str, value: str, expected: str) -> None:
        super().__init__(column)
        self.column, self.value, self.expected = column, value, expected


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def _timestamp(text: str, column: str) -> tuple[int | None, float]:
    """``1999-01-03 07:41:26`` -> (day ordinal, seconds); ``7:41:26`` -> (None, seconds)."""
    match = _DATETIME.match(text)
    if not match or not text.strip() or (match.group(4) is None and match.group(1) is None):
        raise _BadValue(column, text, "a time (YYYY-MM-DD HH:MM:SS or HH:MM:SS)")
    year, month, day, hours, minutes, seconds = match.groups()
    ordinal = None
    if year is not None:
        try:
            ordinal = dt.date(int(year), int(month), int(day)).toordinal()
        except ValueError:
            raise _BadValue(column, text, "a date (no such day)") from None
    if hours is None:
        return ordinal, 0.0
    if int(minutes) >= 60 or float(seconds or 0) >= 60 or int(hours) >= 48:
        raise _BadValue(column, text, "a time (hours below 48, minutes and seconds below 60)")
    return ordinal, int(hours) * 3600.0 + int(minutes) * 60.0 + float(seconds or 0)


def _arrival(
    row: Sequence[str],
    index: Mapping[str, int],
    arrival: Expression,
    date: Expression | None,
) -> tuple[int, float]:
    column = arrival.columns[0]
    day, seconds = _timestamp(row[index[column]], column)
    if day is None:
        if date is None:
            raise _BadValue(
                column,
                row[index[column]],
                "a date and time (the arrival has no date and the log no 'date' column: "
                "map one with --columns date=COLUMN)",
            )
        date_column = date.columns[0]
        day, _ = _timestamp(row[index[date_column]], date_column)
        if day is None:
            raise _BadValue(date_column, row[index[date_column]], "a date (YYYY-MM-DD)")
    return day, seconds


def _duration(text: str, column: str) -> float:
    """Seconds from ``185``, ``185.5`` or ``0:03:05``; NaN for an empty cell."""
    text = text.strip()
    if not text:
        return math.nan
    try:
        return float(text)
    except ValueError:
        pass
    match = _CLOCK_DURATION.match(text)
    if not match:
        raise _BadValue(column, text, "a duration (seconds or H:MM:SS)")
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600.0 + int(minutes) * 60.0 + float(seconds)


def _duration_field(row: Sequence[str], index: Mapping[str, int], expr: Expression) -> float:
    if len(expr.columns) == 1:
        return _duration(row[index[expr.columns[0]]], expr.columns[0])
    (a, b) = expr.columns
    day_a, end = _timestamp(row[index[a]], a)
    day_b, start = _timestamp(row[index[b]], b)
    if day_a is not None and day_b is not None:
        return (day_a - day_b) * DAY_S + end - start
    difference = end - start
    return difference + DAY_S if difference < 0 else difference


def _flag(row: Sequence[str], index: Mapping[str, int], expr: Expression) -> bool:
    if expr.test is not None:
        return expr.test.holds(row, index)
    column = expr.columns[0]
    text = row[index[column]].strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _BadValue(
        column,
        row[index[column]],
        "yes/no (1/0, true/false; or map a test such as --columns abandoned=outcome==HANG)",
    )
