"""Reading a history of arrival counts: ``timestamp,count`` at a regular period.

This is the form most ACDs and workforce tools export (a count of offered contacts per 5 or 15
minutes, one row per period, for weeks). :func:`read_history` reads such a CSV, checking every
row; :func:`aggregate` sums the periods into the scenario's intervals and lays the history out
as a days x intervals table. Then :mod:`~simulator.calibrate.history_fit` fits weekday profiles
and the uncertainty (with :mod:`~simulator.calibrate.history_noise` for the interval noise's
generator), and :mod:`~simulator.calibrate.history_output` writes the ``arrivals:`` block and a
Markdown report::

    rows = read_history("calls.csv")            # or load_history(path, 1800)
    fit = fit_history(aggregate(rows, 1800, "calls.csv"))
    print(arrivals_yaml(fit), fit_report(fit))

Conventions, each one the usual meaning in such exports:

- a timestamp is the *start* of its period, in local clock time (an offset such as ``+01:00``
  is ignored: the wall clock is what staffing follows);
- a period missing from a day that has others is a period with no arrivals (exports often skip
  empty rows), and is counted in :attr:`ArrivalHistory.filled`; a day with fewer than half the
  periods of the others is left out, with a note;
- an interval at the edge of the day that the periods only partly cover (the bank data's last
  row starts 21:00, so 21:00-21:30 holds 5 of its 30 minutes) is left out, with a note: its
  count would read as a quiet half hour.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulator.calibrate import CalibrationError
from simulator.units import format_clock, format_duration

DAY_S = 86400


class HistoryError(CalibrationError):
    """An arrival history that cannot be read or fitted; the message says where and why."""


@dataclass(frozen=True, slots=True)
class CountRow:
    """One period of the history, with the line it came from (for messages)."""

    start: dt.datetime
    count: int
    line: int


@dataclass(frozen=True)
class ArrivalHistory:
    """Arrivals per day (rows) and interval of the day (columns).

    Interval ``k`` starts at clock time ``first_clock_s + k * interval_s``. ``notes`` says what
    was left out and why, for the fit report.
    """

    source: str
    dates: tuple[dt.date, ...]
    counts: np.ndarray
    interval_s: int
    first_clock_s: int
    period_s: int
    filled: int
    notes: tuple[str, ...]

    @property
    def weekdays(self) -> np.ndarray:
        """Day of the week of each row, Monday = 0."""
        return np.array([d.weekday() for d in self.dates], dtype=int)

    @property
    def n_intervals(self) -> int:
        return self.counts.shape[1]

    @property
    def end_clock_s(self) -> int:
        return self.first_clock_s + self.n_intervals * self.interval_s

    def hours(self) -> str:
        """``07:00-21:00``: the span of the intervals, for a scenario's horizon."""
        return f"{format_clock(self.first_clock_s)}-{format_clock(self.end_clock_s)}"


def read_history(
    path: str | Path,
    *,
    time_column: str | None = None,
    count_column: str | None = None,
) -> list[CountRow]:
    """The rows of a ``timestamp,count`` CSV with a header line.

    The columns are the first two unless named. Every row is checked: a bad one raises a
    :class:`HistoryError` with its line number, the column and what was expected.
    """
    source = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            return parse_history(handle, source, time_column=time_column, count_column=count_column)
    except OSError as error:
        raise HistoryError(f"{source}: cannot read the history ({error.strerror})") from None


def parse_history(
    lines: Iterable[str],
    source: str,
    *,
    time_column: str | None = None,
    count_column: str | None = None,
) -> list[CountRow]:
    """:func:`read_history` on lines of CSV text (``source`` names them in messages)."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        raise HistoryError(f"{source}: the file is empty; expected a header: timestamp,count")
    time_at = _column(header, time_column, 0, "time", source)
    count_at = _column(header, count_column, 1, "count", source)
    rows: list[CountRow] = []
    first_seen: dict[dt.datetime, int] = {}
    for line, record in enumerate(reader, start=2):
        if not record or all(not cell.strip() for cell in record):
            continue
        if len(record) <= max(time_at, count_at):
            raise HistoryError(
                f"{source}:{line}: expected {len(header)} columns ({', '.join(header)}), "
                f"found {len(record)}"
            )
        start = _timestamp(record[time_at], header[time_at], source, line)
        if start in first_seen:
            raise HistoryError(
                f"{source}:{line}: {start:%Y-%m-%d %H:%M:%S} appears again "
                f"(first on line {first_seen[start]}); expected one row per period"
            )
        first_seen[start] = line
        rows.append(CountRow(start, _count(record[count_at], header[count_at], source, line), line))
    if not rows:
        raise HistoryError(f"{source}: no rows after the header; expected timestamp,count rows")
    return rows


def _column(header: Sequence[str], name: str | None, default: int, what: str, source: str) -> int:
    names = [h.strip() for h in header]
    if name is None:
        if len(names) <= default:
            raise HistoryError(
                f"{source}:1: expected at least 2 columns (a timestamp and a count), "
                f"found {len(names)}: {', '.join(names)}"
            )
        return default
    if name not in names:
        raise HistoryError(
            f"{source}:1: no {what} column {name!r}; the columns are {', '.join(names)}"
        )
    return names.index(name)


def _timestamp(text: str, column: str, source: str, line: int) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.strip()).replace(tzinfo=None)
    except ValueError:
        raise HistoryError(
            f"{source}:{line}: expected a timestamp such as 2003-03-03 07:05:00 in column "
            f"{column!r}, found {text!r}"
        ) from None


def _count(text: str, column: str, source: str, line: int) -> int:
    try:
        value = float(text.strip())
    except ValueError:
        value = -1.0
    if not (value >= 0 and value.is_integer()):
        raise HistoryError(
            f"{source}:{line}: expected a count (a whole number >= 0) in column {column!r}, "
            f"found {text!r}"
        )
    return int(value)


def aggregate(rows: Sequence[CountRow], interval_s: int, source: str) -> ArrivalHistory:
    """Sum the periods into intervals of ``interval_s`` (counted from midnight) per day."""
    period = detect_period(rows, source)
    if interval_s % period:
        raise HistoryError(
            f"{source}: the history's period of {format_duration(period)} does not divide the "
            f"interval of {format_duration(interval_s)}; choose a multiple of it"
        )
    _check_grid(rows, period, source)
    by_day: dict[dt.date, dict[int, int]] = {}
    for row in rows:
        by_day.setdefault(row.start.date(), {})[_clock(row.start)] = row.count
    periods_of_day = sorted({clock for day in by_day.values() for clock in day})
    notes: list[str] = []
    days = _full_days(by_day, len(periods_of_day), notes)
    first, last = _whole_intervals(periods_of_day, period, interval_s, notes, source)
    counts = np.zeros((len(days), last - first))
    filled = 0
    for d, date in enumerate(days):
        for clock in periods_of_day:
            k = clock // interval_s - first
            if 0 <= k < counts.shape[1]:
                if clock in by_day[date]:
                    counts[d, k] += by_day[date][clock]
                else:
                    filled += 1
    if filled:
        notes.append(f"{filled} missing period(s) inside the days were counted as 0 arrivals")
    return ArrivalHistory(
        source=source,
        dates=tuple(days),
        counts=counts,
        interval_s=interval_s,
        first_clock_s=first * interval_s,
        period_s=period,
        filled=filled,
        notes=tuple(notes),
    )


def load_history(
    path: str | Path,
    interval_s: int = 1800,
    *,
    time_column: str | None = None,
    count_column: str | None = None,
) -> ArrivalHistory:
    """:func:`read_history` then :func:`aggregate`."""
    rows = read_history(path, time_column=time_column, count_column=count_column)
    return aggregate(rows, interval_s, str(path))


def detect_period(rows: Sequence[CountRow], source: str) -> int:
    """The export's period: the most common gap between consecutive rows of one day."""
    ordered = sorted(rows, key=lambda r: r.start)
    gaps = Counter(
        int((b.start - a.start).total_seconds())
        for a, b in itertools.pairwise(ordered)
        if a.start.date() == b.start.date()
    )
    if not gaps:
        raise HistoryError(
            f"{source}: cannot tell the period: no day has two rows; "
            "expected one row per period (for example every 5 minutes)"
        )
    return gaps.most_common(1)[0][0]


def _clock(moment: dt.datetime) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def _check_grid(rows: Sequence[CountRow], period: int, source: str) -> None:
    """Every row starts on the same grid of periods (a row at 07:03 among 5-minute rows from
    07:00 is a typo or a second export mixed in)."""
    phase = Counter(_clock(r.start) % period for r in rows).most_common(1)[0][0]
    for row in rows:
        if _clock(row.start) % period != phase:
            expected = format_clock(_clock(row.start) - (_clock(row.start) - phase) % period)
            raise HistoryError(
                f"{source}:{row.line}: {row.start:%H:%M:%S} is off the history's grid of "
                f"{format_duration(period)} periods (expected a start such as {expected})"
            )


def _full_days(by_day: dict[dt.date, dict[int, int]], n_periods: int, notes: list[str]):
    """The days with at least half of the periods of day, in date order."""
    days, short = [], []
    for date in sorted(by_day):
        (days if 2 * len(by_day[date]) >= n_periods else short).append(date)
    if short:
        listed = ", ".join(str(d) for d in short[:5]) + (" ..." if len(short) > 5 else "")
        notes.append(f"{len(short)} day(s) with less than half of the periods left out: {listed}")
    return days


def _whole_intervals(
    periods_of_day: list[int], period: int, interval_s: int, notes: list[str], source: str
) -> tuple[int, int]:
    """First and past-the-last interval (indices from midnight), leaving out intervals at
    either end that the periods only partly cover."""
    per_interval = interval_s // period
    seen = Counter(clock // interval_s for clock in periods_of_day)
    first, last = min(seen), max(seen) + 1
    while first < last and seen[first] < per_interval:
        notes.append(_partial(first, seen[first], per_interval, interval_s, period))
        first += 1
    while last > first and seen[last - 1] < per_interval:
        notes.append(_partial(last - 1, seen[last - 1], per_interval, interval_s, period))
        last -= 1
    if first >= last:
        raise HistoryError(
            f"{source}: the periods cover no whole interval of {format_duration(interval_s)}; "
            "choose a shorter interval"
        )
    return first, last


def _partial(k: int, seen: int, per_interval: int, interval_s: int, period: int) -> str:
    span = f"{format_clock(k * interval_s)}-{format_clock((k + 1) * interval_s)}"
    return (
        f"{span} left out: the history has {seen} of its {per_interval} "
        f"{format_duration(period)} periods"
    )
