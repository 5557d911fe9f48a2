"""Opening hours of a channel (``channels.<name>.hours``) and their business-hours promise.

Hours are one window for every day (``"08:00-20:00"``), ``closed``, a list of windows
(``["08:00-12:00", "13:00-18:00"]``) or a per-day mapping of those (``{default: ..., sat: ...,
sun: closed}``, see :mod:`~simulator.scenario.read.days`). They resolve to one tuple of
``(open, close)`` clock seconds per weekday, Monday first
(:attr:`~simulator.scenario.schema.Channel.hours`).

A synchronous channel cannot be open when nobody could be scheduled, so its windows lie inside
the horizon's daily window. An asynchronous channel takes contacts at any time; its hours are
the business hours its promise may be counted in, anywhere in the 24 hours of its day.
"""

from __future__ import annotations

import itertools
from typing import Any

from simulator.scenario.read.context import ReadContext, describe, item_path, read_each
from simulator.scenario.read.days import (
    DAY_KEYS_TEXT,
    DAY_KEYS_WITH_DEFAULT,
    for_weekday,
    read_by_day,
)
from simulator.scenario.schema import DAY_S, WEEKDAYS, DayHours, Horizon, WeekHours
from simulator.scenario.yamlsrc import Located
from simulator.units import UnitError, format_clock, parse_clock

CLOSED = "closed"
WINDOW_EXAMPLE = "e.g. '08:00-20:00', closed, or a list such as ['08:00-12:00', '13:00-18:00']"
WINDOW_PATTERN = r"^\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*$"


def read_hours(
    reading: ReadContext, node: Located, path: str, *, horizon: Horizon, synchronous: bool
) -> WeekHours:
    """Opening hours -> one tuple of windows per weekday; days a mapping leaves out (and that
    its ``default`` does not cover) are open for the horizon's window."""
    if not horizon.clock:
        hint = "opening hours are clock times; give the horizon as start and end"
        reading.fail(node, path, "hours need a clock horizon (start and end)", hint)
    bounds = _bounds(horizon, synchronous)

    def read_day(reading: ReadContext, node: Located, path: str) -> DayHours:
        return read_day_hours(reading, node, path, bounds=bounds, synchronous=synchronous)

    if not node.is_map:
        every_day = read_day(reading, node, path)
        return (every_day,) * len(WEEKDAYS)
    by_day = read_by_day(reading, node, path, read_day, DAY_KEYS_WITH_DEFAULT)
    window: DayHours = ((horizon.start, horizon.start + horizon.duration),)
    return tuple(
        resolved if (resolved := for_weekday(by_day, weekday)) is not None else window
        for weekday in range(len(WEEKDAYS))
    )


def _bounds(horizon: Horizon, synchronous: bool) -> tuple[float, float, str]:
    """Where a day's windows may lie, and how to say so."""
    start, end = horizon.start, horizon.start + horizon.duration
    if synchronous:
        why = (
            f"a synchronous channel is open only inside the horizon's day, {format_clock(start)}"
            f"-{format_clock(end)} (nobody could be scheduled outside it)"
        )
        return start, end, why
    low = 0.0 if end <= DAY_S else start
    why = f"a day's hours lie within its 24 hours, {format_clock(low)}-{format_clock(low + DAY_S)}"
    return low, low + DAY_S, why


def read_day_hours(
    reading: ReadContext,
    node: Located,
    path: str,
    *,
    bounds: tuple[float, float, str],
    synchronous: bool,
) -> DayHours:
    """One day's hours: a window, ``closed`` or a list of windows, sorted, not overlapping."""
    if node.is_scalar and node.value == CLOSED:
        return ()
    if node.is_list:
        if not node.value:
            message = "expected at least one window, found an empty list"
            reading.fail(node, path, message, "write closed for a day without hours")
        items = [(item, item_path(path, i)) for i, item in enumerate(node.value)]
    else:
        items = [(node, path)]
    windows = read_each(items, lambda item: read_window(reading, *item, bounds=bounds))
    ordered = sorted(zip(windows, items, strict=True), key=lambda pair: pair[0])
    for (before, _), (window, (item, item_at)) in itertools.pairwise(ordered):
        if window[0] < before[1]:
            message = f"{_text(window)} overlaps {_text(before)}"
            hint = "merge them into one window, or make one end before the other opens"
            reading.add(item, item_at, message, hint)
    return tuple(window for window, _ in ordered)


def read_window(
    reading: ReadContext, node: Located, path: str, *, bounds: tuple[float, float, str]
) -> tuple[float, float]:
    """``"08:00-20:00"`` -> (opening, closing) clock seconds, inside ``bounds``."""
    text = node.value if node.is_scalar and isinstance(node.value, str) else None
    opening_text, dash, closing_text = (text or "").partition("-")
    if text is None or not dash:
        reading.fail(node, path, f"expected opening hours, found {describe(node)}", WINDOW_EXAMPLE)
    try:
        opening, closing = parse_clock(opening_text.strip()), parse_clock(closing_text.strip())
    except UnitError as error:
        reading.fail(node, path, f"{error}, in {text!r}", WINDOW_EXAMPLE)
    if closing <= opening:
        message = f"{text!r} closes before it opens"
        hint = "a window that runs past midnight ends after 24:00, e.g. '22:00-26:00'"
        reading.fail(node, path, message, hint)
    low, high, why = bounds
    if opening < low or closing > high:
        reading.fail(node, path, f"{text!r} is outside the hours it may have", why)
    return opening, closing


def _text(window: tuple[float, float]) -> str:
    return f"'{format_clock(window[0])}-{format_clock(window[1])}'"


def day_hours_form(hours: DayHours) -> Any:
    """One day's hours in the language: ``closed``, a window, or a list of windows."""
    windows = [f"{format_clock(a)}-{format_clock(b)}" for a, b in hours]
    if not windows:
        return CLOSED
    return windows[0] if len(windows) == 1 else windows


_WINDOW = {"type": "string", "pattern": WINDOW_PATTERN}
_DAY_HOURS: dict[str, Any] = {
    "anyOf": [
        {"const": CLOSED},
        _WINDOW,
        {"type": "array", "items": _WINDOW, "minItems": 1},
    ]
}
#: JSON Schema of ``hours`` (a day's hours, or a mapping of day keys to them).
HOURS_SCHEMA: dict[str, Any] = {
    "description": "Opening hours: 'HH:MM-HH:MM', closed, a list of windows, or per day "
    f"({DAY_KEYS_TEXT}; default for the others). Default: the horizon's window every day. "
    "Synchronous channels accept contacts only inside them; for asynchronous ones they are the "
    "business hours of a business_hours promise.",
    "anyOf": [
        *_DAY_HOURS["anyOf"],
        {
            "type": "object",
            "properties": {key: _DAY_HOURS for key in DAY_KEYS_WITH_DEFAULT},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ],
}
