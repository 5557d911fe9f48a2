"""Per-day mappings: keys that name a weekday (``mon`` .. ``sun``) or a group of weekdays
(``weekdays``, ``weekend``).

Opening hours (``channels.<name>.hours``), arrival overrides (``arrivals.by_day``) and schedule
overrides (``agents.<group>.count_by_day``) vary by weekday with one rule: a named day beats
its group, a group beats the default (the ``default`` key where the mapping has one, else the
block's own value). Days are weekdays, not dates, so a mapping written for a week applies to
every week of a longer run and to the weekday of a single-day run alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from simulator.scenario.errors import did_you_mean
from simulator.scenario.read.context import ReadContext, describe, read_each, read_fields
from simulator.scenario.schema import DAY_GROUPS, WEEKDAYS, Horizon
from simulator.scenario.yamlsrc import Located

T = TypeVar("T")

#: The keys of a per-day mapping without a default (its block gives the default).
DAY_KEYS: tuple[str, ...] = (*WEEKDAYS, *DAY_GROUPS)
#: The keys of a per-day mapping that carries its own default.
DAY_KEYS_WITH_DEFAULT: tuple[str, ...] = ("default", *DAY_KEYS)
#: For JSON Schema: what the day keys mean.
DAY_KEYS_TEXT = "mon .. sun, weekdays (mon-fri) or weekend (sat, sun); a day beats its group"


def day_hint(name: object, allowed: Sequence[str]) -> str | None:
    """``"did you mean 'sat'?"`` for ``saturday``, ``Sat`` or ``sta``; else the allowed days."""
    text = str(name).strip().lower()
    if text[:3] in WEEKDAYS and text[:3] in allowed:
        return f"did you mean '{text[:3]}'?"
    return did_you_mean(text, allowed, what="days")


def read_weekday(reading: ReadContext, node: Located, path: str) -> int:
    """A day name (``mon`` .. ``sun``) -> its weekday number, 0 for Monday."""
    value = node.value if node.is_scalar else None
    if not isinstance(value, str) or value not in WEEKDAYS:
        found = repr(value) if isinstance(value, str) else describe(node)
        hint = day_hint(value, WEEKDAYS)
        reading.fail(node, path, f"expected a day such as mon, found {found}", hint)
    return WEEKDAYS.index(value)


def read_by_day(
    reading: ReadContext,
    node: Located,
    path: str,
    read_value: Callable[[ReadContext, Located, str], T],
    keys: Sequence[str] = DAY_KEYS,
) -> dict[str, T]:
    """``{day key: value}``, each value read by ``read_value``; an unknown day name is reported
    with the closest known one, and every bad value is reported."""
    given = read_fields(reading, node, path, keys, noun="day", suggest=day_hint)

    def read_entry(key: str) -> tuple[str, T]:
        return key, read_value(reading, given[key], given.path(key))

    return dict(read_each([key for key in keys if key in given], read_entry))


def for_weekday(values: Mapping[str, T], weekday: int) -> T | None:
    """The value that applies on ``weekday``: its own, its group's, the ``default``, or None."""
    name = WEEKDAYS[weekday]
    if name in values:
        return values[name]
    for group, members in DAY_GROUPS.items():
        if weekday in members and group in values:
            return values[group]
    return values.get("default")


def days_of_run(horizon: Horizon) -> list[tuple[int, int]]:
    """``(day, weekday)`` of every day of the run."""
    return [(day, horizon.weekday(day)) for day in range(horizon.days)]


def by_weekday_form(per_day: Sequence[tuple[int, Any]]) -> tuple[Any, dict[str, Any]]:
    """For the effective scenario: ``(weekday, value)`` of each day of a run -> the value most
    days have (the first day's on a tie) and the other weekdays' values by day name, so that
    reading them back with :func:`for_weekday` gives every day its value."""
    counts: dict[Any, int] = {}
    for _, value in per_day:
        counts[value] = counts.get(value, 0) + 1
    common = max(counts, key=lambda value: counts[value])  # first of the most common
    overrides = {WEEKDAYS[weekday]: value for weekday, value in per_day if value != common}
    return common, dict(sorted(overrides.items(), key=lambda item: WEEKDAYS.index(item[0])))
