"""Value readers: one scalar (or a list of names) each, in the units of the language.

Each has the form ``read_<value>(reading, node, path, ...) -> value`` (see
:mod:`~simulator.scenario.read.context`): it returns the value in the engine's units (seconds,
per-second rates, fractions) or records a problem at the node and raises
:class:`~simulator.scenario.read.context.Invalid`. Messages say what was expected and what was
found, as the author wrote it (``expected a value >= 0, found -8``).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Sequence
from typing import Any, Literal, cast, overload

from simulator.limits import MAX_DURATION, MIN_DURATION
from simulator.scenario.errors import did_you_mean
from simulator.scenario.read.context import (
    ReadContext,
    describe,
    item_path,
    key_name,
    read_each,
)
from simulator.scenario.yamlsrc import Located
from simulator.units import UnitError, parse_clock, parse_duration, parse_rate

#: How far shares may sum from 1 (rounding in hand-written fractions such as 1/3).
SHARE_TOLERANCE = 1e-6

#: The largest number (and whole number) the language takes. Every count, amount and parameter
#: of a contact center is far below it, and it keeps sums and products of them finite (an amount
#: of 1e308 times a few customers is infinity, which no result file can hold).
LARGEST_NUMBER = 1e15


def read_name(reading: ReadContext, node: Located, path: str) -> str:
    """A non-empty name, as written (see :func:`~simulator.scenario.read.context.key_name`)."""
    if not node.is_scalar or node.value is None or isinstance(node.value, _dt.date):
        reading.fail(node, path, f"expected a name, found {describe(node)}")
    name = key_name(node)
    if not name.strip():
        reading.fail(node, path, f"expected a name, found {describe(node)}")
    return name


def read_names(
    reading: ReadContext,
    node: Located,
    path: str,
    known: Sequence[str] | None = None,
    what: str = "name",
) -> list[str]:
    """A name or a list of names (duplicates dropped); each must be in ``known``, if given."""
    if not node.is_list:
        items = [(node, path)]
    elif node.value:
        items = [(n, item_path(path, i)) for i, n in enumerate(node.value)]
    else:
        reading.fail(node, path, f"expected a {what} or a list of them, found an empty list")

    def read_listed_name(item: tuple[Located, str]) -> str:
        name = read_name(reading, *item)
        if known is not None and name not in known:
            hint = did_you_mean(name, known, what=f"{what}s")
            reading.fail(item[0], item[1], f"unknown {what} '{name}'", hint)
        return name

    return list(dict.fromkeys(read_each(items, read_listed_name)))


def read_text(reading: ReadContext, node: Located, path: str) -> str:
    """Free text; nothing reads as the empty text."""
    if node.is_null:
        return ""
    if not node.is_scalar:
        reading.fail(node, path, f"expected text, found {describe(node)}")
    return key_name(node)


def read_number(
    reading: ReadContext,
    node: Located,
    path: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    what: str = "a number",
) -> float:
    """A finite number within the bounds (``low_open``/``high_open``: the bound is excluded);
    ``what`` names the expected value when the value is not a number at all."""
    value = node.value if node.is_scalar else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        reading.fail(node, path, f"expected {what}, found {describe(node)}")
    if isinstance(value, float) and not math.isfinite(value):
        reading.fail(node, path, f"expected a finite number, found {describe(node)}")
    check_magnitude(reading, node, path, value)
    x = float(value)
    check_range(reading, node, path, x, low, high, low_open=low_open, high_open=high_open)
    return x


def check_magnitude(reading: ReadContext, node: Located, path: str, value: float) -> None:
    """A problem at ``node`` if ``value`` is beyond :data:`LARGEST_NUMBER` either way (a whole
    number of 400 digits is a valid YAML integer that no float can hold)."""
    if abs(value) > LARGEST_NUMBER:
        message = f"expected a number between -1e15 and 1e15, found {describe(node)}"
        reading.fail(node, path, message, "a number this large is a slip")


def check_range(
    reading: ReadContext,
    node: Located,
    path: str,
    x: float,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> None:
    """A problem at ``node`` unless ``x`` is within the bounds (see :func:`read_number`)."""
    too_low = low is not None and (x <= low if low_open else x < low)
    too_high = high is not None and (x >= high if high_open else x > high)
    if too_low or too_high:
        parts = []
        if low is not None:
            parts.append(f"{'>' if low_open else '>='} {low:g}")
        if high is not None:
            parts.append(f"{'<' if high_open else '<='} {high:g}")
        reading.fail(node, path, f"expected a value {' and '.join(parts)}, found {describe(node)}")


def read_int(reading: ReadContext, node: Located, path: str, *, low: int | None = None) -> int:
    """A whole number (``3`` or ``3.0``), at least ``low`` if given."""
    value = node.value if node.is_scalar else None
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole:
        reading.fail(node, path, f"expected a whole number, found {describe(node)}")
    check_magnitude(reading, node, path, cast(int | float, value))
    n = int(cast(int | float, value))  # an int or a whole float: reading.fail raised otherwise
    check_range(reading, node, path, n, low)
    return n


def read_share(reading: ReadContext, node: Located, path: str) -> float:
    """A fraction of a whole, in [0, 1]."""
    return read_number(reading, node, path, low=0.0, high=1.0, what="a share between 0 and 1")


def read_probability(reading: ReadContext, node: Located, path: str) -> float:
    """A probability, in [0, 1]."""
    return read_number(reading, node, path, low=0.0, high=1.0, what="a probability between 0 and 1")


@overload
def read_bool(
    reading: ReadContext, node: Located, path: str, *, allow_none: Literal[False] = False
) -> bool: ...
@overload
def read_bool(
    reading: ReadContext, node: Located, path: str, *, allow_none: bool
) -> bool | None: ...
def read_bool(
    reading: ReadContext, node: Located, path: str, *, allow_none: bool = False
) -> bool | None:
    """``true`` or ``false``; also nothing (None) if ``allow_none``."""
    if allow_none and node.is_null:
        return None
    value = node.value if node.is_scalar else None
    if not isinstance(value, bool):
        also = " (or nothing)" if allow_none else ""
        reading.fail(node, path, f"expected true or false{also}, found {describe(node)}")
    return value


def read_known_name(
    reading: ReadContext, node: Located, path: str, *, known: Sequence[str], what: str = "name"
) -> str:
    """A single name that must be in ``known``."""
    name = read_name(reading, node, path)
    if name not in known:
        hint = did_you_mean(name, known, what=f"{what}s")
        reading.fail(node, path, f"unknown {what} '{name}'", hint)
    return name


def read_unit(
    reading: ReadContext,
    node: Located,
    path: str,
    parse: Callable[[Any], float],
    noun: str,
    example: str,
) -> float:
    """A duration or a rate parsed by ``parse``; says why ``-5m`` is refused."""
    hint = {
        "duration": "a bare number is seconds; units are ms, s, m, h, d",
        "rate": "a bare number is per hour; units are /s, /min, /h, /d",
    }[noun]
    value = node.value
    if not node.is_scalar or value is None or isinstance(value, _dt.date):
        reading.fail(
            node, path, f"expected a {noun} such as {example}, found {describe(node)}", hint
        )
    try:
        return parse(value)
    except UnitError as exc:
        message = str(exc)
        if isinstance(value, str) and value.strip().startswith("-"):
            try:  # "-5m" fails to parse as a whole; say why
                parse(value.strip()[1:])
                message = f"a {noun} cannot be negative, found {value!r}"
            except UnitError:
                pass
        reading.fail(node, path, message, hint)


def read_duration(
    reading: ReadContext,
    node: Located,
    path: str,
    *,
    positive: bool = False,
    derived: bool = False,
) -> float:
    """Seconds, from ``45s``, ``4m``, ``1h30m`` or a bare number of seconds; > 0 if
    ``positive``. Durations other than 0 lie between the limits
    :data:`~simulator.limits.MIN_DURATION` and :data:`~simulator.limits.MAX_DURATION`, except
    a ``derived`` one, which the effective scenario writes for a value computed from others:
    a gamma's scale, sd^2 / mean, is a microsecond for a mean of 1s and an sd of 1ms, and
    years for a mean of 1s and an sd of 2h."""
    seconds = read_unit(reading, node, path, parse_duration, "duration", "45s, 4m or 1h30m")
    if positive and seconds <= 0:
        reading.fail(node, path, f"expected a duration greater than 0, found {describe(node)}")
    if derived:
        check_magnitude(reading, node, path, seconds)
        return seconds
    shortest, longest = MIN_DURATION.value, MAX_DURATION.value
    if 0 < seconds < shortest:
        message = (
            f"a duration of {describe(node)} is below the shortest duration, "
            f"{MIN_DURATION.shown()} (0 is allowed)"
        )
        reading.fail(node, path, message, MIN_DURATION.hint)
    if seconds > longest:
        message = f"a duration of {describe(node)} is beyond the longest, {MAX_DURATION.shown()}"
        reading.fail(node, path, message, MAX_DURATION.hint)
    return seconds


def read_rate(reading: ReadContext, node: Located, path: str) -> float:
    """Per second, from ``600/h``, ``10/min`` or a bare number (per hour)."""
    return read_unit(reading, node, path, parse_rate, "rate", "600/h or 10/min")


def read_clock(reading: ReadContext, node: Located, path: str) -> float:
    """Seconds since midnight. Uses the text as written: YAML 1.1 reads an unquoted ``8:00`` as
    the sexagesimal integer 480 (and ``1:30:00`` as 5400), which the text disambiguates; a bare
    number such as ``8`` is refused rather than read as 00:08."""
    hint = "write clock times as HH:MM, e.g. '08:00'"
    expected = f"expected a clock time such as 08:00, found {describe(node)}"
    if not node.is_scalar or node.value is None or isinstance(node.value, bool):
        reading.fail(node, path, expected, hint)
    text = key_name(node)
    if ":" not in text:
        reading.fail(node, path, expected, hint)
    try:
        return parse_clock(text)
    except UnitError as exc:
        reading.fail(node, path, str(exc), hint)


def read_choice(reading: ReadContext, node: Located, path: str, *, choices: Sequence[str]) -> str:
    """One of ``choices``, spelt exactly."""
    value = node.value if node.is_scalar else None
    if not isinstance(value, str) or value not in choices:
        hint = did_you_mean(value, choices, what="values") if isinstance(value, str) else None
        reading.fail(
            node, path, f"expected one of {', '.join(choices)}, found {describe(node)}", hint
        )
    return value


def read_date(reading: ReadContext, node: Located, path: str) -> str:
    """An ISO date (``2026-11-23``), returned as ISO text."""
    value = node.value if node.is_scalar else None
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    reading.fail(node, path, f"expected a date such as 2026-11-23, found {describe(node)}")


def check_shares(
    reading: ReadContext, node: Located, path: str, shares: Sequence[tuple[str, float]]
) -> None:
    """A problem at ``node`` unless the ``(name, share)`` pairs sum to 1 (within tolerance)."""
    total = math.fsum(s for _, s in shares)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        listed = ", ".join(f"{n} {s:g}" for n, s in shares)
        hint = f"they are fractions of the whole ({listed}); make them add up to 1"
        reading.fail(node, path, f"shares sum to {total:.10g}, expected 1", hint)
