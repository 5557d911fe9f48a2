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

Dates, 12-hour times and decimal commas are read as the log writes them, stated or detected on
the first rows (:mod:`simulator.calibrate.formats`). An empty cell in a field a call needs (its
arrival, wait, whether it was abandoned, a served call's handle time) is an error naming the
row: reading it as 0 would bias every fit without a word.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from simulator.calibrate import CalibrationError
from simulator.calibrate.formats import PLAIN, BadTime, LogFormats, detect

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
_CLOCK_DURATION = re.compile(r"^\s*(?:(\d+):)?(\d+):(\d{2}(?:[.,]\d*)?)\s*$")
_TRUE = frozenset({"1", "true", "t", "yes", "y"})
_FALSE = frozenset({"0", "false", "f", "no", "n"})
DAY_S = 86400.0
#: Longest line of a log: a line of megabytes is a binary file, or a device such as /dev/zero
#: that would otherwise be read into memory whole while the reader looks for a line's end.
LONGEST_LINE = 1024 * 1024
#: Longest cell value quoted in a message.
SHOWN_CHARACTERS = 60


@dataclass(frozen=True)
class Condition:
    """``column op value``; ``==``/``!=`` compare text (case-insensitive), the others numbers."""

    column: str
    op: str
    values: tuple[str, ...]

    def holds(
        self, row: Sequence[str], index: Mapping[str, int], formats: LogFormats = PLAIN
    ) -> bool:
        text = row[index[self.column]].strip()
        if self.op in ("==", "!="):
            inside = text.casefold() in {v.casefold() for v in self.values}
            return inside if self.op == "==" else not inside
        number = _number(text, formats)
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

    def holds(
        self, row: Sequence[str], index: Mapping[str, int], formats: LogFormats = PLAIN
    ) -> bool:
        return any(c.holds(row, index, formats) for c in self.alternatives)

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
    formats: LogFormats = field(default_factory=LogFormats)

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
            formats=self.formats,
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
    path: Path,
    mapping: Mapping[str, str] | None = None,
    where: Sequence[str] = (),
    *,
    date_format: str | None = None,
    decimal_comma: bool | None = None,
) -> CallLog:
    """Read a CSV call log (delimiter sniffed) into a :class:`CallLog`.

    Fields not in ``mapping`` are read from the column of the same name. ``date`` is needed only
    when arrival times carry no date, and ``type`` is optional (one intent ``general``).
    ``date_format`` (a ``strptime`` pattern of dates) and ``decimal_comma`` state the formats;
    None detects them on the first rows.
    """
    mapping = dict(mapping or {})
    source = str(path)
    stated = {"date_format": date_format, "decimal_comma": decimal_comma}
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
            reader = csv.reader(_lines(handle, source), dialect)
            header = next(reader, None)
            if not header or not any(h.strip() for h in header):
                raise CalibrationError(f"{source}: the file is empty (expected a CSV header row)")
            header = [h.strip() for h in header]
            index = {name: i for i, name in enumerate(header)}
            folded = {name.casefold(): name for name in header}
            expressions = _expressions(source, header, index, folded, mapping)
            tests = [_test(source, text, index, folded, "--where") for text in where]
            formats = _formats(source, reader, index, expressions, tests, **stated)
            handle.seek(0)  # read again, now that the formats are known
            reader = csv.reader(_lines(handle, source), dialect)
            next(reader)
            numbered = ((reader.line_num, row) for row in reader)
            return _read_rows(source, header, numbered, index, expressions, tests, formats)
    except FileNotFoundError:
        raise CalibrationError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise CalibrationError(f"{source}: is a folder, not a CSV file") from None
    except PermissionError:
        raise CalibrationError(f"{source}: permission denied") from None
    except csv.Error as error:  # a NUL byte, a field of megabytes: not a CSV text
        raise CalibrationError(f"{source}: not a readable CSV file ({error})") from None


def _lines(handle: TextIO, source: str) -> Iterator[str]:
    """The lines of ``handle``, each read with a cap (see :data:`LONGEST_LINE`)."""
    number = 0
    while line := handle.readline(LONGEST_LINE + 1):
        number += 1
        if len(line) > LONGEST_LINE:
            raise CalibrationError(
                f"{source}:{number}: a line longer than {LONGEST_LINE // 1024:,} KB: "
                "not a CSV call log"
            )
        yield line


def _formats(
    source: str,
    rows: Iterable[list[str]],
    index: dict[str, int],
    expressions: dict[str, Expression],
    tests: list[Test],
    **stated: Any,
) -> LogFormats:
    """The log's formats, from the options or detected on its ``rows``."""
    time_columns = [*expressions["arrival"].columns]
    if "date" in expressions:
        time_columns += expressions["date"].columns
    number_columns = [c for t in tests for c in t.columns]
    for name in ("wait", "handle"):
        columns = expressions[name].columns
        (time_columns if len(columns) == 2 else number_columns).extend(columns)
    times, numbers = [index[c] for c in time_columns], [index[c] for c in number_columns]
    width = len(index)
    cells = (
        ([row[i] for i in times], [row[i] for i in numbers]) for row in rows if len(row) >= width
    )
    return detect(cells, source=source, **stated)


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
    rows: Iterable[tuple[int, list[str]]],
    index: dict[str, int],
    expressions: dict[str, Expression],
    tests: list[Test],
    formats: LogFormats,
) -> CallLog:
    """Every non-blank row the ``--where`` tests keep, as one call of the log (``rows``: each
    row with the file line it ends on)."""
    calls: list[_Call] = []
    lines: list[int] = []
    rows_read = filtered = 0
    width = len(header)
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        rows_read += 1
        if len(row) < width:
            row = row + [""] * (width - len(row))
        where = f"{source}:{line}: row {rows_read}"
        call = _read_call(row, index, expressions, tests, formats, where)
        if call is None:
            filtered += 1
            continue
        calls.append(call)
        lines.append(line)
    log = _call_log(source, header, calls, lines, rows_read, filtered, expressions)
    log.formats = formats
    return log


def _read_call(
    row: list[str],
    index: dict[str, int],
    expressions: dict[str, Expression],
    tests: list[Test],
    formats: LogFormats,
    where: str,
) -> _Call | None:
    """One row as a call, or None when a ``--where`` test drops it; a value that cannot be
    read, or an empty one the call needs, is an error naming ``where`` (file, line and row)
    and the column."""
    try:
        if not all(t.holds(row, index, formats) for t in tests):
            return None
        arrival, date = expressions["arrival"], expressions.get("date")
        stamp_day, seconds = _arrival(row, index, arrival, date, formats)
        wait = _duration_field(row, index, expressions["wait"], formats, "wait")
        gave_up = _flag(row, index, expressions["abandoned"], formats)
        handle = math.nan
        if not gave_up or _cell(row, index, expressions["handle"]).strip():
            handle = _duration_field(row, index, expressions["handle"], formats, "handle")
    except _BadValue as bad:
        raise CalibrationError(f"{where}: column {bad.column!r}: {bad.message}") from None
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
    """A cell that cannot be read: ``message`` says what was found and what was expected."""

    def __init__(self, column: str, value: str, expected: str, field: str | None = None) -> None:
        super().__init__(column)
        self.column = column
        if value.strip():
            shown = repr(value)
            if len(shown) > SHOWN_CHARACTERS:
                shown = f"{shown[: SHOWN_CHARACTERS - 3]}... ({len(value):,} characters)"
            self.message = f"cannot read {shown} as {expected}"
        else:
            needed = f" ({field} is needed for every call)" if field else ""
            self.message = f"empty, expected {expected}{needed}"


def _cell(row: Sequence[str], index: Mapping[str, int], expr: Expression) -> str:
    """The text of the first column of ``expr``."""
    return row[index[expr.columns[0]]]


def _number(text: str, formats: LogFormats) -> float:
    try:
        return formats.number(text)
    except ValueError:
        return math.nan


def _timestamp(text: str, column: str, formats: LogFormats, field: str) -> tuple[int | None, float]:
    """``1999-01-03 07:41:26`` -> (day ordinal, seconds); ``7:41:26 PM`` -> (None, seconds)."""
    try:
        return formats.timestamp(text)
    except BadTime as bad:
        raise _BadValue(column, text, str(bad), field) from None


def _arrival(
    row: Sequence[str],
    index: Mapping[str, int],
    arrival: Expression,
    date: Expression | None,
    formats: LogFormats,
) -> tuple[int, float]:
    column = arrival.columns[0]
    day, seconds = _timestamp(row[index[column]], column, formats, "the arrival")
    if day is None:
        if date is None:
            raise _BadValue(
                column,
                row[index[column]],
                "a date and time (the arrival has no date and the log no 'date' column: "
                "map one with --columns date=COLUMN)",
            )
        date_column = date.columns[0]
        day, _ = _timestamp(row[index[date_column]], date_column, formats, "the date")
        if day is None:
            raise _BadValue(date_column, row[index[date_column]], "a date (YYYY-MM-DD)")
    return day, seconds


def _duration(text: str, column: str, formats: LogFormats, field: str) -> float:
    """Seconds from ``185``, ``185.5`` (``185,5`` with decimal commas) or ``0:03:05``."""
    expected = "a duration (seconds or H:MM:SS)"
    if not text.strip():
        raise _BadValue(column, text, expected, field)
    try:
        return formats.number(text)
    except ValueError:
        pass
    match = _CLOCK_DURATION.match(text)
    if not match:
        raise _BadValue(column, text, expected)
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600.0 + int(minutes) * 60.0 + float(seconds.replace(",", "."))


def _duration_field(
    row: Sequence[str], index: Mapping[str, int], expr: Expression, formats: LogFormats, field: str
) -> float:
    if len(expr.columns) == 1:
        return _duration(row[index[expr.columns[0]]], expr.columns[0], formats, field)
    (a, b) = expr.columns
    day_a, end = _timestamp(row[index[a]], a, formats, field)
    day_b, start = _timestamp(row[index[b]], b, formats, field)
    if day_a is not None and day_b is not None:
        return (day_a - day_b) * DAY_S + end - start
    difference = end - start
    return difference + DAY_S if difference < 0 else difference


def _flag(
    row: Sequence[str], index: Mapping[str, int], expr: Expression, formats: LogFormats
) -> bool:
    if expr.test is not None:
        return expr.test.holds(row, index, formats)
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
        "abandoned",
    )
