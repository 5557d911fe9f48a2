"""How a call log writes dates, times and numbers: as the user states it, or detected.

ACD exports follow their locale. ``2025-01-31 19:41:26``, ``31/01/2025 7:41:26 PM`` and
``01/31/2025 19:41`` are the same instant, and a European export writes ``185,5`` seconds. What
can be told from the text is detected:

* ISO dates (``2025-01-31``, ``20250131``, ``2025/01/31``) need nothing;
* ``D/M/Y`` or ``M/D/Y`` (separators ``/``, ``.`` or ``-``): a first number above 12 on any
  sampled row means day first, a second number above 12 means month first. When every sampled
  date could be read both ways, the log is refused with the two ``--date-format`` choices;
  guessing would silently swap days and months for twelve days of every month;
* 12-hour times carry their own ``AM``/``PM`` (``7:41 pm``, ``07:41:26PM``, ``7:41 p.m.``);
* decimal commas: numbers such as ``185,5`` where no number of the sample uses a decimal point.

``--date-format`` (a ``strptime`` pattern of the date part, e.g. ``%d/%m/%Y``) and
``--decimal-comma``/``--decimal-point`` state them instead, and a row that then does not follow
the stated format is an error naming it. :func:`detect` returns a :class:`LogFormats`, whose
``described`` says what was found for the terminal summary.
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
            raise BadTime(f"a date (YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY), not {token!r}")
        first, _, second, year = numeric.groups()
        if self.order is None:
            raise BadTime("a date whose order is known: give --date-format %d/%m/%Y or %m/%d/%Y")
        day, month = (first, second) if self.order == DMY else (second, first)
        return _ordinal(_full_year(year), int(month), int(day))


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
    time_cells: Iterable[str],
    number_cells: Iterable[str],
    *,
    date_format: str | None = None,
    decimal_comma: bool | None = None,
    source: str = "",
) -> LogFormats:
    """The formats of a log from a sample of its time cells (arrivals, dates, the columns of a
    difference) and number cells (waits, handle times), unless stated."""
    if date_format is not None:
        check_date_format(date_format)
    times = list(time_cells)
    order = None if date_format else _date_order(times, source)
    twelve_hour = any((m := _STAMP.match(t)) and m["half"] for t in times)
    if decimal_comma is None:
        numbers = list(number_cells)
        commas = any(_DECIMAL_COMMA.match(cell) for cell in numbers)
        points = any(_DECIMAL_POINT.match(cell) for cell in numbers)
        decimal_comma = commas and not points
    return LogFormats(date_format, order, decimal_comma, bool(twelve_hour))


def check_date_format(date_format: str) -> None:
    """Refuse a ``--date-format`` that holds no date directive (a typo such as ``dd/mm/yyyy``)."""
    if not any(f"%{d}" in date_format for d in "dmyYbBj"):
        raise CalibrationError(
            f"--date-format {date_format!r}: expected a strptime pattern of the date, "
            "such as %d/%m/%Y, %m/%d/%Y or %d.%m.%y"
        )


def _date_order(times: list[str], source: str) -> str | None:
    """DMY or MDY from numeric dates that are not ISO, None when there are none; a sample where
    every such date reads both ways is refused."""
    firsts, seconds, example = [], [], None
    for text in times:
        match = _STAMP.match(text)
        token = match["date"] if match else None
        numeric = _DAY_MONTH.match(token) if token else None
        if numeric is None:
            continue
        example = example or token
        firsts.append(int(numeric.group(1)))
        seconds.append(int(numeric.group(3)))
    if not firsts:
        return None
    day_first, month_first = max(firsts) > 12, max(seconds) > 12
    if day_first and month_first:
        raise CalibrationError(
            f"{source}: dates such as {example!r} have days above 12 in both places; "
            "give --date-format (e.g. %d/%m/%Y)"
        )
    if day_first or month_first:
        return DMY if day_first else MDY
    raise CalibrationError(
        f"{source}: cannot tell whether dates such as {example!r} are day first or month first "
        "(no day above 12 in the rows sampled); give --date-format %d/%m/%Y or %m/%d/%Y"
    )
