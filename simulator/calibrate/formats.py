"""How a call log writes dates, times and numbers: as the user states it, or detected.

ACD exports follow their locale. ``2025-01-31 19:41:26``, ``31/01/2025 7:41:26 PM`` and
``01/31/2025 19:41`` are the same instant, and a European export writes ``185,5`` seconds. What
can be told from the text is detected:

* ISO dates (``2025-01-31``, ``20250131``, ``2025/01/31``) need nothing;
* ``D/M/Y`` or ``M/D/Y`` (separators ``/``, ``.`` or ``-``): a first number above 12 on any
  row means day first, a second number above 12 means month first. When every date of the log
  could be read both ways, the log is refused with the two ``--date-format`` choices;
  guessing would silently swap days and months for twelve days of every month;
* 12-hour times carry their own ``AM``/``PM`` (``7:41 pm``, ``07:41:26PM``, ``7:41 p.m.``);
* decimal commas: numbers such as ``185,5`` where no number of the log uses a decimal point.

``--date-format`` (a ``strptime`` pattern of the date part, e.g. ``%d/%m/%Y``) and
``--decimal-comma``/``--decimal-point`` state them instead, and a row that then does not follow
the stated format is an error naming it. :func:`detect` reads the log's rows (until it has
learnt all it can) and returns a :class:`LogFormats`, whose ``described`` says what was found,
for the terminal summary.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from simulator.calibrate import CalibrationError

#: Date orders: year-month-day (ISO), day-month-year, month-day-year.
YMD, DMY, MDY = "ymd", "dmy", "mdy"

_STAMP = re.compile(
    r"^\s*(?:(?P<date>[^\s:]+?)(?:(?<=\d)T(?=\d)|\s+|$))?"
    r"(?:(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}(?:[.,]\d*)?))?"
    r"\s*(?P<half>[AaPp]\.?\s?[Mm]\.?)?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$"
)
_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$|^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*$")
_DECIMAL_POINT = re.compile(r"^\s*[-+]?\d*\.\d+\s*$")


class BadTime(ValueError):
    """A cell that is not a date or time in the log's format; the message says what was
    expected."""


@dataclass(frozen=True)
class LogFormats:
    """The formats of one log. ``date_format`` is the user's ``strptime`` pattern (or None);
    ``order`` the order of numeric dates that are not ISO (None when no such date was seen)."""

    date_format: str | None = None
    order: str | None = None
    decimal_comma: bool = False
    twelve_hour: bool = False

    @property
    def described(self) -> list[str]:
        """What differs from ISO dates, 24-hour times and decimal points, in words."""
        said = []
        if self.date_format:
            said.append(f"dates as {self.date_format}")
        elif self.order == DMY:
            said.append("dates day first (D/M/Y)")
        elif self.order == MDY:
            said.append("dates month first (M/D/Y)")
        if self.twelve_hour:
            said.append("12-hour times with AM/PM")
        if self.decimal_comma:
            said.append("decimal commas")
        return said

    def number(self, text: str) -> float:
        """A number as the log writes it; ValueError if it is not one (or is empty)."""
        text = text.strip()
        if self.decimal_comma:
            if "." in text:
                raise ValueError(text)
            text = text.replace(",", ".")
        return float(text)

    def timestamp(self, text: str) -> tuple[int | None, float]:
        """``(day ordinal or None, seconds after midnight)`` of a date, a time or both."""
        match = _STAMP.match(text)
        if not text.strip() or not match or (match["date"] is None and match["h"] is None):
            raise BadTime(self.expected)
        day = None if match["date"] is None else self._day(match["date"])
        if match["h"] is None:
            return day, 0.0
        return day, _seconds(match["h"], match["m"], match["s"], match["half"])

    @property
    def expected(self) -> str:
        date = self.date_format or {DMY: "DD/MM/YYYY", MDY: "MM/DD/YYYY"}.get(
            self.order or "", "YYYY-MM-DD"
        )
        return f"a time ({date} HH:MM:SS, or HH:MM:SS)"

    def _day(self, token: str) -> int:
        if self.date_format:
            try:
                return dt.datetime.strptime(token, self.date_format).date().toordinal()
            except ValueError:
                raise BadTime(f"a date as --date-format {self.date_format}") from None
        iso = _ISO.match(token)
        if iso:
            year, month, day = (int(g) for g in iso.groups() if g is not None)
            return _ordinal(year, month, day)
        numeric = _DAY_MONTH.match(token)
        if numeric is None:
            raise BadTime("a date (YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY)")
        first, _, second, year = numeric.groups()
        if self.order is None:
            raise BadTime("a date whose order is known: give --date-format %d/%m/%Y or %m/%d/%Y")
        day, month = (first, second) if self.order == DMY else (second, first)
        return _ordinal(_full_year(year), int(month), int(day))


#: ISO dates, 24-hour times and decimal points: what a log needs no option for.
PLAIN = LogFormats()


def _full_year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _ordinal(year: int, month: int, day: int) -> int:
    try:
        return dt.date(year, month, day).toordinal()
    except ValueError:
        raise BadTime("a date (no such day)") from None


def _seconds(hours: str, minutes: str, seconds: str | None, half: str | None) -> float:
    h, m = int(hours), int(minutes)
    s = float((seconds or "0").replace(",", "."))
    if half is not None:
        if not 1 <= h <= 12:
            raise BadTime("a 12-hour time (hours 1 to 12 before AM or PM)")
        h = h % 12 + (12 if half.strip().lower().startswith("p") else 0)
    if m >= 60 or s >= 60 or h >= 48:
        raise BadTime("a time (hours below 48, minutes and seconds below 60)")
    return h * 3600.0 + m * 60.0 + s


def detect(
    rows: Iterable[tuple[list[str], list[str]]],
    *,
    date_format: str | None = None,
    decimal_comma: bool | None = None,
    source: str = "",
) -> LogFormats:
    """The formats of a log, unless stated, from its rows: for each, its time cells (arrivals,
    dates, the columns of a difference) and its number cells (waits, handle times). Reading
    stops as soon as nothing more can be learnt (a day above 12 found, a decimal point seen)."""
    if date_format is not None:
        check_date_format(date_format)
    evidence = _Evidence(need_order=date_format is None, need_decimal=decimal_comma is None)
    for time_cells, number_cells in rows:
        evidence.add(time_cells, number_cells)
        if evidence.complete:
            break
    order = evidence.order(source) if date_format is None else None
    if decimal_comma is None:
        decimal_comma = evidence.commas and not evidence.points
    return LogFormats(date_format, order, decimal_comma, evidence.twelve_hour)


class _Evidence:
    """What the cells read so far say about the formats."""

    def __init__(self, *, need_order: bool, need_decimal: bool) -> None:
        self.need_order, self.need_decimal = need_order, need_decimal
        self.day_first = self.month_first = self.iso = False
        self.example: str | None = None
        self.twelve_hour = self.commas = self.points = False

    def add(self, time_cells: list[str], number_cells: list[str]) -> None:
        for text in time_cells:
            match = _STAMP.match(text)
            if match is None:
                continue
            self.twelve_hour = self.twelve_hour or match["half"] is not None
            self.iso = self.iso or bool(match["date"] and _ISO.match(match["date"]))
            numeric = _DAY_MONTH.match(match["date"]) if match["date"] else None
            if numeric is not None:
                self.example = self.example or match["date"]
                self.day_first = self.day_first or int(numeric.group(1)) > 12
                self.month_first = self.month_first or int(numeric.group(3)) > 12
        if self.need_decimal and not self.points:
            for cell in number_cells:
                self.commas = self.commas or bool(_DECIMAL_COMMA.match(cell))
                self.points = self.points or bool(_DECIMAL_POINT.match(cell))

    @property
    def complete(self) -> bool:
        decided = self.day_first or self.month_first or (self.example is None and self.twelve_hour)
        return (not self.need_order or decided) and (not self.need_decimal or self.points)

    def order(self, source: str) -> str | None:
        """DMY or MDY from numeric dates that are not ISO, None when there are none; a log
        where every such date reads both ways is refused."""
        if self.example is None:
            return None
        if self.day_first and self.month_first:
            raise CalibrationError(
                f"{source}: dates such as {self.example!r} have days above 12 in both places; "
                "give --date-format (e.g. %d/%m/%Y)"
            )
        if self.day_first or self.month_first:
            return DMY if self.day_first else MDY
        raise CalibrationError(
            f"{source}: cannot tell whether dates such as {self.example!r} are day first or month "
            "first (no day above 12 in the log); give --date-format %d/%m/%Y or %m/%d/%Y"
        )


def check_date_format(date_format: str) -> None:
    """Refuse a ``--date-format`` that holds no date directive (a typo such as ``dd/mm/yyyy``)."""
    if not any(f"%{d}" in date_format for d in "dmyYbBj"):
        raise CalibrationError(
            f"--date-format {date_format!r}: expected a strptime pattern of the date, "
            "such as %d/%m/%Y, %m/%d/%Y or %d.%m.%y"
        )
