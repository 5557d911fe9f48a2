"""The ``horizon`` block: simulated time, as a clock day (start + end) or a plain duration,
and how many such days the run has.

Its intervals are the planning grid of the rest of the file: per-interval arrival lists and
staffing schedules are checked against one day's intervals (:func:`interval_lengths`,
:func:`horizon_text`). A run of several days (``days``, or a ``date`` range) repeats the clock
window every 24 hours, so it needs a clock horizon whose interval divides 24 hours; its days
are named from ``date`` or ``first_day`` (weekday-dependent blocks use those names).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from simulator.scenario.read.block import Block
from simulator.scenario.read.context import Fields, ReadContext, read_fields
from simulator.scenario.read.days import read_weekday
from simulator.scenario.read.jsonparts import closed_object, described, ref
from simulator.scenario.read.values import read_clock, read_date, read_duration, read_int
from simulator.scenario.schema import DAY_S, WEEKDAYS, Horizon
from simulator.scenario.yamlsrc import Located
from simulator.units import format_clock, format_duration

DEFAULT_CLOCK_INTERVAL_S = 30 * 60.0
DEFAULT_DRAIN_S = 4 * 3600.0
#: How a date range is written: ``2026-11-23..2026-11-27`` (both days included).
DATE_RANGE = ".."
DATE_RANGE_PATTERN = r"^\s*\d{4}-\d{2}-\d{2}\s*\.\.\s*\d{4}-\d{2}-\d{2}\s*$"

HORIZON_KEYS = (
    "start",
    "end",
    "interval",
    "duration",
    "warmup",
    "drain",
    "date",
    "days",
    "first_day",
)


def read_horizon(reading: ReadContext, node: Located, path: str) -> Horizon:
    """``start`` + ``end`` (clock times) or ``duration``, with the optional interval, warmup,
    drain, date (or date range), days and first day."""
    given = read_fields(reading, node, path, HORIZON_KEYS)
    example = "give start and end (clock times, e.g. start: '08:00', end: '20:00') or duration: 8h"
    if "duration" in given and ("start" in given or "end" in given):
        message = "give either start + end (a clock horizon) or duration, not both"
        reading.fail(given["duration"], given.path("duration"), message, example)
    if "duration" in given:
        duration = given.read("duration", read_duration, positive=True)
        start, clock, interval = 0.0, False, duration
    elif "start" in given or "end" in given:
        for k in ("start", "end"):
            if k not in given:
                hint = "a clock horizon needs start and end, e.g. start: '08:00', end: '20:00'"
                reading.fail(node, given.path(k), f"missing required key '{k}'", hint)
        start, end = given.read("start", read_clock), given.read("end", read_clock)
        if end <= start:
            message = f"end {format_clock(end)} must be after start {format_clock(start)}"
            hint = "for a horizon past midnight write the end as e.g. 30:00 (06:00 next day)"
            reading.fail(given["end"], given.path("end"), message, hint)
        duration, clock, interval = end - start, True, DEFAULT_CLOCK_INTERVAL_S
    else:
        reading.fail(node, path, "the horizon needs start and end, or duration", example)
    interval = given.read("interval", read_duration, interval, positive=True)
    warmup = given.read("warmup", read_duration, 0.0)
    if warmup >= duration:
        message = (
            f"warmup ({format_duration(warmup)}) must be shorter than the horizon "
            f"({format_duration(duration)})"
        )
        reading.fail(given["warmup"], given.path("warmup"), message)
    date, days, first_weekday = read_days(reading, given)
    if days > 1:
        check_multi_day(reading, given, clock=clock, duration=duration, interval=interval)
    return Horizon(
        duration=duration,
        interval=interval,
        start=start,
        warmup=warmup,
        drain=given.read("drain", read_duration, DEFAULT_DRAIN_S),
        clock=clock,
        date=date,
        days=days,
        first_weekday=first_weekday,
    )


def read_days(reading: ReadContext, given: Fields) -> tuple[str | None, int, int]:
    """``(first date, days, weekday of day 0)`` from ``date`` (a day or a range ``first..last``),
    ``days`` and ``first_day``, which must agree with each other."""
    date, last = None, None
    if "date" in given:
        date, last = read_date_or_range(reading, given["date"], given.path("date"))
    in_range = None if last is None else (last - _dt.date.fromisoformat(date)).days + 1
    days = given.read("days", read_int, in_range or 1, low=1)
    if in_range is not None and "days" in given and days != in_range:
        message = f"days: {days} disagrees with the date range, which has {in_range} days"
        reading.fail(given["days"], given.path("days"), message, "give one of them")
    first_weekday = given.read("first_day", read_weekday, 0)
    if date is not None:
        weekday = _dt.date.fromisoformat(date).weekday()
        if "first_day" in given and first_weekday != weekday:
            message = (
                f"first_day {WEEKDAYS[first_weekday]} disagrees with the date {date}, "
                f"a {WEEKDAYS[weekday]}"
            )
            hint = "the date names the first day; remove first_day"
            reading.fail(given["first_day"], given.path("first_day"), message, hint)
        first_weekday = weekday
    return date, days, first_weekday


def read_date_or_range(
    reading: ReadContext, node: Located, path: str
) -> tuple[str, _dt.date | None]:
    """``2026-11-23`` -> (that date, None); ``2026-11-23..2026-11-27`` -> (first date, last)."""
    text = node.value if node.is_scalar and isinstance(node.value, str) else None
    if text is None or DATE_RANGE not in text:
        return read_date(reading, node, path), None
    first_text, _, last_text = text.partition(DATE_RANGE)
    hint = "a date range names its first and last day, e.g. 2026-11-23..2026-11-27"
    try:
        first = _dt.date.fromisoformat(first_text.strip())
        last = _dt.date.fromisoformat(last_text.strip())
    except ValueError:
        reading.fail(node, path, f"expected a date or a date range, found {text!r}", hint)
    if last < first:
        reading.fail(node, path, f"the date range ends ({last}) before it starts ({first})", hint)
    return first.isoformat(), last


def check_multi_day(
    reading: ReadContext, given: Fields, *, clock: bool, duration: float, interval: float
) -> None:
    """A run of several days repeats a clock window every 24 hours on a grid that fits a day."""
    where = "days" if "days" in given else "date"
    if not clock:
        hint = "give the day's window, e.g. start: '08:00', end: '20:00', days: 5"
        reading.fail(given[where], given.path(where), "several days need a clock horizon", hint)
    if duration > DAY_S:
        message = f"a day's window ({format_duration(duration)}) is longer than 24 hours"
        hint = "each day of a multi-day run opens at start and closes at end within 24 hours"
        reading.fail(given["end"], given.path("end"), message, hint)
    per_day = DAY_S / interval
    if abs(per_day - round(per_day)) > 1e-9:
        node = given.get("interval") or given[where]
        message = f"the interval ({format_duration(interval)}) does not divide 24 hours"
        hint = (
            "several days need an interval such as 15m, 30m or 1h, so every day has the same grid"
        )
        reading.fail(node, given.path("interval"), message, hint)


def horizon_text(horizon: Horizon) -> str:
    """ "the horizon runs from 08:00 to 20:00", for hints about times and intervals."""
    if horizon.clock:
        end = horizon.start + horizon.duration
        each = " every day" if horizon.days > 1 else ""
        return f"the horizon runs from {format_clock(horizon.start)} to {format_clock(end)}{each}"
    return f"the horizon runs from 0s to {format_duration(horizon.duration)}"


def interval_lengths(horizon: Horizon) -> list[float]:
    """The length in seconds of each interval of one day (the last may be shorter)."""
    n, step, total = horizon.intervals_per_day, horizon.interval, horizon.duration
    return [max(min(step, total - i * step), 1e-9) for i in range(n)]


_SCHEMA: dict[str, Any] = described(
    closed_object(
        {
            "start": described(ref("clock"), "Clock time the horizon starts (clock form)."),
            "end": described(
                ref("clock"),
                "Clock time the horizon ends, after start; past midnight write e.g. 30:00.",
            ),
            "duration": described(
                ref("duration"), "Length of the horizon (duration form, starting at 0)."
            ),
            "interval": described(
                ref("duration"),
                "Length of a planning interval (rates, reports). Default 30m for the clock form, "
                "the whole duration for the duration form.",
            ),
            "warmup": described(
                ref("duration"),
                "Statistics ignore customers arriving in the "
                "first warmup; must be shorter than the horizon.",
                "0s",
            ),
            "drain": described(
                ref("duration"),
                "After the end, time to finish the work in hand.",
                format_duration(DEFAULT_DRAIN_S),
            ),
            "date": described(
                {
                    "anyOf": [
                        {"type": "string", "format": "date"},
                        {"type": "string", "pattern": DATE_RANGE_PATTERN},
                    ]
                },
                "ISO date of the first day, e.g. 2026-11-23 (its weekday names the days), or a "
                "range of days, first and last included: 2026-11-23..2026-11-27.",
            ),
            "days": described(
                {"type": "integer", "minimum": 1},
                "Days in the run: the clock window repeats every 24 hours, nights in between. "
                "More than one needs start + end and an interval that divides 24h.",
                1,
            ),
            "first_day": described(
                {"enum": list(WEEKDAYS)},
                "Weekday of the first day when no date is given.",
                WEEKDAYS[0],
            ),
        },
        keys=HORIZON_KEYS,
        oneOf=[
            {"required": ["start", "end"], "not": {"required": ["duration"]}},
            {
                "required": ["duration"],
                "not": {"anyOf": [{"required": ["start"]}, {"required": ["end"]}]},
            },
        ],
    ),
    "Simulated time: start + end (clock times) or duration.",
)

BLOCK = Block(
    "horizon",
    read_horizon,
    _SCHEMA,
    required=True,
    example="e.g. `horizon: {start: '08:00', end: '20:00'}` or `horizon: {duration: 8h}`",
)
