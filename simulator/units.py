"""Parsing of the human units used in scenario files: durations, rates and clock times.

Scenario authors write ``45s``, ``4m``, ``1h30m``, ``600/h`` and ``08:30``; the engine works in
seconds and per-second rates. Keeping the conversions in one module means one set of rules and one
set of error messages.
"""

from __future__ import annotations

import math
import re

from simulator.errors import CxsimError

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|sec|s|min|m|hr|h|d)", re.IGNORECASE)
_UNIT_SECONDS = {
    "ms": 0.001,
    "s": 1.0,
    "sec": 1.0,
    "m": 60.0,
    "min": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "d": 86400.0,
}
_RATE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*/\s*(\w+)\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


class UnitError(CxsimError, ValueError):
    """A value that does not parse; the message says what was expected."""


def parse_duration(value: object) -> float:
    """Seconds from ``45s``, ``4m``, ``1h30m``, ``2.5h`` or a bare number (seconds).

    >>> parse_duration("1h30m")
    5400.0
    >>> parse_duration(45)
    45.0
    """
    if isinstance(value, bool):
        raise UnitError("expected a duration such as 45s, 4m or 1h30m")
    if isinstance(value, int | float):
        seconds = _finite(value, "duration")
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        if text.startswith("-"):
            raise UnitError(f"a duration cannot be negative, found {value!r}")
        pos, seconds, matched = 0, 0.0, False
        for part in _DURATION_PART.finditer(text):
            if part.start() != pos:
                break
            seconds += float(part.group(1)) * _UNIT_SECONDS[part.group(2).lower()]
            pos, matched = part.end(), True
        if not matched or pos != len(text):
            try:
                seconds = float(text)
            except ValueError:
                raise UnitError(
                    f"expected a duration such as 45s, 4m or 1h30m, found {value!r}"
                ) from None
    else:
        raise UnitError(f"expected a duration such as 45s, 4m or 1h30m, found {value!r}")
    if not math.isfinite(seconds):
        raise UnitError(f"expected a finite duration, found {value!r}")
    if seconds < 0:
        raise UnitError(f"a duration cannot be negative, found {value!r}")
    return seconds


def parse_rate(value: object) -> float:
    """Events per second from ``600/h``, ``10/min``, ``2/s``, ``5000/d`` or a number (per hour).

    >>> parse_rate("600/h")
    0.16666666666666666
    >>> parse_rate(3600)
    1.0
    """
    if isinstance(value, bool):
        raise UnitError("expected a rate such as 600/h or 10/min")
    if isinstance(value, int | float):
        per_second = _finite(value, "rate") / 3600.0
    elif isinstance(value, str):
        if value.strip().startswith("-"):
            raise UnitError(f"a rate cannot be negative, found {value!r}")
        m = _RATE.match(value)
        if m is None:
            try:
                per_second = float(value) / 3600.0
            except ValueError:
                raise UnitError(
                    f"expected a rate such as 600/h or 10/min, found {value!r}"
                ) from None
        else:
            unit = m.group(2).lower()
            if unit not in _UNIT_SECONDS:
                raise UnitError(
                    f"unknown time unit {unit!r} in rate {value!r} (use s, min, h or d)"
                )
            per_second = float(m.group(1)) / _UNIT_SECONDS[unit]
    else:
        raise UnitError(f"expected a rate such as 600/h or 10/min, found {value!r}")
    if not math.isfinite(per_second):
        raise UnitError(f"expected a finite rate, found {value!r}")
    if per_second < 0:
        raise UnitError(f"a rate cannot be negative, found {value!r}")
    return per_second


def _finite(value: float, noun: str) -> float:
    """``float(value)``; a whole number too large for a float is a :class:`UnitError`."""
    try:
        return float(value)
    except OverflowError:
        raise UnitError(
            f"expected a finite {noun}, found a number of {len(str(value))} digits"
        ) from None


def parse_clock(value: object) -> float:
    """Seconds since midnight from ``08:00`` or ``17:30:15``; ``24:00`` is allowed as an end.

    YAML 1.1 reads an unquoted ``08:00`` as the sexagesimal integer 480, so integers are accepted as
    minutes since midnight: that is exactly what PyYAML produced from the unquoted clock time.

    >>> parse_clock("08:30")
    30600.0
    """
    if isinstance(value, bool):
        raise UnitError("expected a clock time such as 08:00")
    if isinstance(value, int):
        seconds = float(value) * 60.0
    elif isinstance(value, str) and (m := _CLOCK.match(value)):
        hours, minutes, secs = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if minutes >= 60 or secs >= 60:
            raise UnitError(f"expected a clock time such as 08:00, found {value!r}")
        seconds = hours * 3600.0 + minutes * 60.0 + secs
    else:
        raise UnitError(f"expected a clock time such as 08:00, found {value!r}")
    if seconds > 48 * 3600:
        raise UnitError(f"clock time {value!r} is beyond 48:00")
    return seconds


def format_duration(seconds: float) -> str:
    """The inverse of :func:`parse_duration`, compact: ``5400`` -> ``1h30m``.

    Fractions of a second are written in full, never with an exponent (``6e-08s`` would not
    parse back): the shortest decimal that reads back as the same float.

    >>> format_duration(5400)
    '1h30m'
    >>> format_duration(0.5)
    '0.5s'
    >>> format_duration(6e-08)
    '0.00000006s'
    """
    if seconds == 0:
        return "0s"
    if not math.isfinite(seconds):
        return f"{seconds}s"
    if seconds != int(seconds) or seconds < 60:
        return f"{format_number(seconds)}s"
    whole = int(seconds)
    parts = []
    for unit, size in (("h", 3600), ("m", 60), ("s", 1)):
        if whole >= size:
            parts.append(f"{whole // size}{unit}")
            whole %= size
    return "".join(parts)


def format_number(x: float) -> str:
    """The shortest decimal that reads back as ``x``, without an exponent (the unit parsers take
    none): ``0.1`` -> ``0.1``, ``6e-08`` -> ``0.00000006``, ``1e20`` -> ``100000000000000000000``.

    >>> format_number(1 / 3)
    '0.3333333333333333'
    """
    text = repr(float(x))
    if "e" not in text and "E" not in text:
        return text[:-2] if text.endswith(".0") else text
    mantissa, exponent = text.lower().split("e")
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "")
    point = mantissa.lstrip("-").find(".")
    point = len(mantissa.lstrip("-")) if point < 0 else point
    shift = point + int(exponent)
    digits = digits.rstrip("0") or "0"
    if shift <= 0:
        return f"{sign}0.{'0' * -shift}{digits}"
    if shift >= len(digits):
        return f"{sign}{digits}{'0' * (shift - len(digits))}"
    return f"{sign}{digits[:shift]}.{digits[shift:]}"


def format_clock(seconds: float) -> str:
    """``30600`` -> ``08:30`` (seconds shown only when not zero)."""
    whole = round(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}" if s == 0 else f"{h:02d}:{m:02d}:{s:02d}"
