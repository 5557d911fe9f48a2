"""The ``shifts`` block: shift types per agent group, with their breaks and limits.

::

    shifts:
      voice_team:
        types:
          full_time:
            paid: 8h                         # or a list: [4h, 5h, 6h]
            starts: "07:00-12:00"            # a window of starts (both ends), "09:00", or a list
            start_step: 15m
            breaks:
              morning: {length: 15m, within: 1h30m-3h}
              lunch: {length: 30m, up_to: 1h, within: 3h-5h, paid: false}
              afternoon: {length: 15m, within: 5h30m-7h30m, from_paid: 6h}
            agent_hour: 28                   # default: the group's rate in costs
            min_heads: 2
            max_heads: 30
            days: weekdays                   # default: every day
          evening: {paid: [4h, 5h], starts: "15:00-17:00", part_time: true}
        part_time: {max_heads: 10, max_hours_share: 0.4}
        shrinkage: 0.24                      # once breaks are rostered (default: the group's)

Everything a rule says on its own is checked here, with the rule's place in the file: a break
longer than its window, a break that ends after every shift it applies to, a type none of
whose shifts fits in the horizon's day, limits that contradict each other. What needs the
requirements (an interval no shift covers, a minimum that overshoots) is found by
``cxsim schedule``, which names the rule's line too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.scenario.errors import did_you_mean
from simulator.scenario.read.block import Block
from simulator.scenario.read.context import (
    Invalid,
    ReadContext,
    child_path,
    describe,
    item_path,
    key_name,
    named_entries,
    read_each,
    read_fields,
)
from simulator.scenario.read.days import DAY_KEYS, DAY_KEYS_TEXT, day_hint
from simulator.scenario.read.jsonparts import MONEY, closed_object, described, ref
from simulator.scenario.read.values import read_bool, read_duration, read_int, read_number
from simulator.scenario.schema import DAY_GROUPS, WEEKDAYS, AgentGroup, Horizon, frozen_map
from simulator.scenario.shifts import DEFAULT_STEP_S, BreakRule, GroupShifts, ShiftType
from simulator.scenario.yamlsrc import Located
from simulator.units import UnitError, format_clock, format_duration, parse_clock, parse_duration

GROUP_KEYS = ("types", "part_time", "shrinkage")
TYPE_KEYS = (
    "paid",
    "starts",
    "start_step",
    "breaks",
    "agent_hour",
    "min_heads",
    "max_heads",
    "days",
    "part_time",
)
BREAK_KEYS = ("length", "up_to", "within", "paid", "step", "from_paid")
PART_TIME_KEYS = ("max_heads", "max_hours_share")

STARTS_EXAMPLE = "e.g. '07:00-12:00' (starts from 07:00 to 12:00), '09:00', or a list of those"
WITHIN_EXAMPLE = "e.g. 1h30m-3h: from 1h30m to 3h after the shift starts"
STARTS_PATTERN = r"^\s*\d{1,2}:\d{2}\s*(-\s*\d{1,2}:\d{2}\s*)?$"
WITHIN_PATTERN = r"^[^-]+-[^-]+$"


def read_shifts(
    reading: ReadContext,
    node: Located,
    path: str,
    horizon: Horizon | None,
    agents: Mapping[str, AgentGroup] | None,
) -> Mapping[str, GroupShifts]:
    """``shifts: {group: {types: {...}, part_time: {...}}}``, by group name."""
    if horizon is None or agents is None:
        raise Invalid  # their problems are already recorded
    if not horizon.clock:
        hint = "shift starts are clock times; give the horizon as start and end"
        reading.fail(node, path, "shifts need a clock horizon (start and end)", hint)
    groups = list(agents)

    def read_entry(entry: tuple[str, Located, Located]) -> tuple[str, GroupShifts]:
        name, key, value = entry
        entry_path = child_path(path, name)
        if name not in groups:
            hint = did_you_mean(name, groups, what="agent groups")
            reading.fail(key, entry_path, f"unknown agent group '{name}'", hint)
        return name, read_group_shifts(reading, value, entry_path, name, horizon, key.line)

    entries = named_entries(reading, node, path, "agent groups")
    return frozen_map(sorted(read_each(entries, read_entry)))


def read_group_shifts(
    reading: ReadContext,
    node: Located,
    path: str,
    group: str,
    horizon: Horizon,
    line: int | None = None,
) -> GroupShifts:
    """One group's ``types`` (at least one) and its ``part_time`` limits; ``line`` is where
    the group is named."""
    given = read_fields(reading, node, path, GROUP_KEYS, ["types"])
    types_node, types_path = given["types"], given.path("types")

    def read_type(entry: tuple[str, Located, Located]) -> ShiftType:
        name, key, value = entry
        return read_shift_type(reading, value, child_path(types_path, name), name, horizon, key)

    entries = named_entries(reading, types_node, types_path, "shift types")
    # In name order, as every named entry of the language: reordering keys changes nothing.
    types = tuple(sorted(read_each(entries, read_type), key=lambda t: t.name))
    max_heads, share = None, None
    if "part_time" in given:
        max_heads, share = read_part_time(reading, given["part_time"], given.path("part_time"))
        if not any(t.part_time for t in types):
            hint = "mark the part-time shift types with part_time: true"
            message = "part-time limits, but no shift type is part-time"
            reading.fail(given["part_time"], given.path("part_time"), message, hint)
    shrinkage = given.read("shrinkage", read_number, None, low=0.0, high=1.0, high_open=True)
    return GroupShifts(group, types, max_heads, share, shrinkage, line=line)


def read_part_time(
    reading: ReadContext, node: Located, path: str
) -> tuple[int | None, float | None]:
    """``{max_heads: 10, max_hours_share: 0.4}``: per day, at most that many part-time heads and
    that share of the paid hours on part-time shifts."""
    given = read_fields(reading, node, path, PART_TIME_KEYS)
    heads, share = read_each(
        [
            lambda: given.read("max_heads", read_int, None, low=0),
            lambda: given.read("max_hours_share", read_number, None, low=0.0, high=1.0),
        ],
        lambda read: read(),
    )
    return heads, share


def read_shift_type(
    reading: ReadContext, node: Located, path: str, name: str, horizon: Horizon, key: Located
) -> ShiftType:
    """One shift type; its problems are reported at their keys, the ones about the type as a
    whole (no shift fits the day) at its name."""
    given = read_fields(reading, node, path, TYPE_KEYS, ["paid", "starts"])
    values = dict(
        read_each(
            [
                ("paid", lambda: given.read("paid", read_paid)),
                ("starts", lambda: given.read("starts", read_starts)),
                (
                    "start_step",
                    lambda: given.read("start_step", read_duration, DEFAULT_STEP_S, positive=True),
                ),
                ("breaks", lambda: given.read("breaks", read_breaks, ())),
                ("agent_hour", lambda: given.read("agent_hour", read_number, None, low=0.0)),
                ("min_heads", lambda: given.read("min_heads", read_int, 0, low=0)),
                ("max_heads", lambda: given.read("max_heads", read_int, None, low=0)),
                ("days", lambda: given.read("days", read_weekdays)),
                ("part_time", lambda: given.read("part_time", read_bool, False)),
            ],
            lambda item: (item[0], item[1]()),
        )
    )
    shift = ShiftType(name=name, **values, line=key.line)
    _check_limits(reading, given, shift)
    _check_breaks_fit(reading, given, shift)
    _check_fits_the_day(reading, key, path, shift, horizon)
    return shift


def read_paid(reading: ReadContext, node: Located, path: str) -> tuple[float, ...]:
    """A paid length (``8h``) or a list of them, each > 0, without repeats."""
    items = (
        [(node, path)]
        if not node.is_list
        else [(item, item_path(path, i)) for i, item in enumerate(node.value)]
    )
    if node.is_list and not items:
        reading.fail(node, path, "expected at least one paid length, found an empty list")
    lengths = read_each(items, lambda item: read_duration(reading, *item, positive=True))
    return tuple(sorted(set(lengths)))


def read_starts(reading: ReadContext, node: Located, path: str) -> tuple[tuple[float, float], ...]:
    """Start windows: ``"07:00-12:00"`` (both ends allowed), ``"09:00"``, or a list."""
    if node.is_list:
        if not node.value:
            reading.fail(node, path, "expected at least one start window, found an empty list")
        items = [(item, item_path(path, i)) for i, item in enumerate(node.value)]
    else:
        items = [(node, path)]
    return tuple(sorted(read_each(items, lambda item: read_start_window(reading, *item))))


def read_start_window(reading: ReadContext, node: Located, path: str) -> tuple[float, float]:
    text = node.value if node.is_scalar and isinstance(node.value, str) else None
    if text is None:
        reading.fail(node, path, f"expected start times, found {describe(node)}", STARTS_EXAMPLE)
    earliest_text, dash, latest_text = text.partition("-")
    try:
        earliest = parse_clock(earliest_text.strip())
        latest = parse_clock(latest_text.strip()) if dash else earliest
    except UnitError as error:
        reading.fail(node, path, f"{error}, in {text!r}", STARTS_EXAMPLE)
    if latest < earliest:
        reading.fail(node, path, f"{text!r} ends before it starts", STARTS_EXAMPLE)
    return earliest, latest


def read_breaks(reading: ReadContext, node: Located, path: str) -> tuple[BreakRule, ...]:
    """``{name: {length, within, ...}}``, in name order (where a break lies is its window's
    business, not its place in the file)."""
    if node.is_null:
        return ()

    def read_entry(entry: tuple[str, Located, Located]) -> BreakRule:
        name, key, value = entry
        return read_break(reading, value, child_path(path, name), name, key)

    entries = named_entries(reading, node, path, "breaks", allow_empty=True)
    return tuple(sorted(read_each(entries, read_entry), key=lambda b: b.name))


def read_break(
    reading: ReadContext, node: Located, path: str, name: str, key: Located
) -> BreakRule:
    given = read_fields(reading, node, path, BREAK_KEYS, ["length", "within"])
    values = dict(
        read_each(
            [
                ("length", lambda: given.read("length", read_duration, positive=True)),
                ("up_to", lambda: given.read("up_to", read_duration, None, positive=True)),
                ("within", lambda: given.read("within", read_offset_window)),
                ("paid", lambda: given.read("paid", read_bool, True)),
                ("step", lambda: given.read("step", read_duration, DEFAULT_STEP_S, positive=True)),
                ("from_paid", lambda: given.read("from_paid", read_duration, 0.0)),
            ],
            lambda item: (item[0], item[1]()),
        )
    )
    rule = BreakRule(name=name, **values, line=key.line)
    if rule.up_to is not None and rule.up_to < rule.length:
        message = f"up_to {format_duration(rule.up_to)} is shorter than the length"
        reading.fail(given["up_to"], given.path("up_to"), message, "up_to is the longest length")
    start, end = rule.within
    if end - start < rule.length:
        message = (
            f"a {format_duration(rule.length)} break cannot fit in its window "
            f"{format_duration(start)}-{format_duration(end)} after the shift starts"
        )
        reading.fail(given["within"], given.path("within"), message, "widen the window")
    return rule


def read_offset_window(reading: ReadContext, node: Located, path: str) -> tuple[float, float]:
    """``1h30m-3h``: from 1h30m to 3h after the shift starts."""
    text = node.value if node.is_scalar and isinstance(node.value, str) else None
    first, dash, second = (text or "").partition("-")
    if text is None or not dash:
        reading.fail(
            node, path, f"expected a window of time, found {describe(node)}", WITHIN_EXAMPLE
        )
    try:
        start, end = parse_duration(first.strip()), parse_duration(second.strip())
    except UnitError as error:
        reading.fail(node, path, f"{error}, in {text!r}", WITHIN_EXAMPLE)
    if end <= start:
        reading.fail(node, path, f"{text!r} ends before it starts", WITHIN_EXAMPLE)
    return start, end


def read_weekdays(reading: ReadContext, node: Located, path: str) -> tuple[int, ...]:
    """``weekdays``, ``sat`` or a list of day keys -> the weekdays (0 is Monday), in order."""
    items = (
        [(item, item_path(path, i)) for i, item in enumerate(node.value)]
        if node.is_list
        else [(node, path)]
    )

    def read_day(item: tuple[Located, str]) -> tuple[int, ...]:
        day, day_path = item
        value = day.value if day.is_scalar else None
        if value in WEEKDAYS:
            return (WEEKDAYS.index(value),)
        if value in DAY_GROUPS:
            return DAY_GROUPS[value]
        found = repr(value) if isinstance(value, str) else describe(day)
        hint = day_hint(value, DAY_KEYS)
        reading.fail(day, day_path, f"expected a day such as mon or weekdays, found {found}", hint)

    days = {w for found in read_each(items, read_day) for w in found}
    if not days:
        reading.fail(node, path, "expected at least one day, found an empty list")
    return tuple(sorted(days))


def _check_limits(reading: ReadContext, given: Any, shift: ShiftType) -> None:
    if shift.max_heads is not None and shift.max_heads < shift.min_heads:
        message = f"max_heads {shift.max_heads} is below min_heads {shift.min_heads}"
        reading.add(given["max_heads"], given.path("max_heads"), message)


def _check_breaks_fit(reading: ReadContext, given: Any, shift: ShiftType) -> None:
    """Every break ends inside every shift it applies to (the first shift it does not fit is
    reported, at the break's name)."""
    for rule in shift.breaks:
        for paid in shift.paid:
            span = shift.longest_span(paid)
            if paid < rule.from_paid or rule.within[0] + rule.length <= span:
                continue
            message = (
                f"break '{rule.name}' ({format_duration(rule.length)} from "
                f"{format_duration(rule.within[0])} after the start) ends after a "
                f"{format_duration(paid)} shift does ({format_duration(span)} long at most)"
            )
            hint = (
                "drop that paid length, or let only longer shifts take the break "
                f"(from_paid above {format_duration(paid)})"
            )
            path = child_path(given.path("breaks"), rule.name)
            reading.add(_key_of(given["breaks"], rule.name), path, message, hint)
            break


def _key_of(node: Located, name: str) -> Located:
    """The key node of entry ``name`` of a mapping (where its problems are reported)."""
    for key, _value in node.items():
        if key_name(key) == name:
            return key
    return node


def _check_fits_the_day(
    reading: ReadContext, key: Located, path: str, shift: ShiftType, horizon: Horizon
) -> None:
    """Some start and paid length of the type make a shift inside the horizon's day."""
    opening, closing = horizon.start, horizon.start + horizon.duration
    shortest = shift.shortest_span()
    for earliest, latest in shift.starts:
        start = earliest
        while start <= latest:
            if start >= opening and start + shortest <= closing:
                return
            start += shift.start_step
    starts = ", ".join(f"{format_clock(a)}-{format_clock(b)}" for a, b in shift.starts)
    message = (
        f"no shift of '{shift.name}' fits in the day ({format_clock(opening)}-"
        f"{format_clock(closing)}): it starts {starts} and lasts at least "
        f"{format_duration(shortest)}"
    )
    hint = "a shift lies inside the horizon's day: start it later, earlier, or make it shorter"
    reading.add(key, path, message, hint)


def shifts_form(shifts: Mapping[str, GroupShifts]) -> dict[str, Any]:
    """The effective scenario's ``shifts:`` block: every key written, defaults filled in."""
    return {name: _group_form(group) for name, group in shifts.items()}


def _group_form(group: GroupShifts) -> dict[str, Any]:
    out: dict[str, Any] = {"types": {t.name: _type_form(t) for t in group.types}}
    limits = {
        "max_heads": group.part_time_max_heads,
        "max_hours_share": group.part_time_max_hours_share,
    }
    limits = {key: value for key, value in limits.items() if value is not None}
    if limits:
        out["part_time"] = limits
    if group.shrinkage is not None:
        out["shrinkage"] = group.shrinkage
    return out


def _type_form(shift: ShiftType) -> dict[str, Any]:
    paid = [_duration(p) for p in shift.paid]
    starts = [_window_text(a, b) for a, b in shift.starts]
    out: dict[str, Any] = {
        "paid": paid[0] if len(paid) == 1 else paid,
        "starts": starts[0] if len(starts) == 1 else starts,
        "start_step": _duration(shift.start_step),
        "breaks": {b.name: _break_form(b) for b in shift.breaks},
        "min_heads": shift.min_heads,
        "part_time": shift.part_time,
    }
    if shift.agent_hour is not None:
        out["agent_hour"] = shift.agent_hour
    if shift.max_heads is not None:
        out["max_heads"] = shift.max_heads
    if shift.days is not None:
        out["days"] = [WEEKDAYS[w] for w in shift.days]
    return out


def _break_form(rule: BreakRule) -> dict[str, Any]:
    out: dict[str, Any] = {
        "length": _duration(rule.length),
        "within": f"{format_duration(rule.within[0])}-{format_duration(rule.within[1])}",
        "paid": rule.paid,
        "step": _duration(rule.step),
        "from_paid": _duration(rule.from_paid),
    }
    if rule.up_to is not None:
        out["up_to"] = _duration(rule.up_to)
    return out


def _window_text(earliest: float, latest: float) -> str:
    if earliest == latest:
        return format_clock(earliest)
    return f"{format_clock(earliest)}-{format_clock(latest)}"


def _duration(seconds: float) -> str | float:
    """``"8h"`` when that reads back exactly, else the seconds."""
    text = format_duration(seconds)
    return text if parse_duration(text) == seconds else float(seconds)


_BREAK = closed_object(
    {
        "length": described(
            ref("duration"), "How long the break lasts (the shortest, with up_to)."
        ),
        "up_to": described(ref("duration"), "The longest it may last, in steps of step."),
        "within": described(
            {"type": "string", "pattern": WITHIN_PATTERN},
            "Where it lies: e.g. 1h30m-3h after the shift starts.",
        ),
        "paid": described({"type": "boolean"}, "Paid (inside the paid length) or not.", True),
        "step": described(ref("duration"), "Placements (and lengths) in steps of this.", "15m"),
        "from_paid": described(
            ref("duration"), "Only shifts paid at least this long take the break.", "0s"
        ),
    },
    ["length", "within"],
    keys=BREAK_KEYS,
)
_STARTS_ITEM = {"type": "string", "pattern": STARTS_PATTERN}
_TYPE = closed_object(
    {
        "paid": described(
            {
                "anyOf": [
                    ref("duration"),
                    {"type": "array", "items": ref("duration"), "minItems": 1},
                ]
            },
            "Paid length, or the paid lengths allowed.",
        ),
        "starts": described(
            {"anyOf": [_STARTS_ITEM, {"type": "array", "items": _STARTS_ITEM, "minItems": 1}]},
            "Start window(s), clock times, both ends allowed: '07:00-12:00' or '09:00'.",
        ),
        "start_step": described(ref("duration"), "Starts in steps of this.", "15m"),
        "breaks": described(
            {"type": ["object", "null"], "additionalProperties": _BREAK},
            "Breaks by name: {length, within, paid, up_to, step, from_paid}.",
        ),
        "agent_hour": described(MONEY, "Cost of a paid hour (default: the group's rate in costs)."),
        "min_heads": described({"type": "integer", "minimum": 0}, "Fewest heads a day.", 0),
        "max_heads": described({"type": "integer", "minimum": 0}, "Most heads a day."),
        "days": described(
            {
                "anyOf": [
                    {"enum": list(DAY_KEYS)},
                    {"type": "array", "items": {"enum": list(DAY_KEYS)}, "minItems": 1},
                ]
            },
            f"The days it is worked ({DAY_KEYS_TEXT}); default every day.",
        ),
        "part_time": described({"type": "boolean"}, "Counts against the part-time limits.", False),
    },
    ["paid", "starts"],
    keys=TYPE_KEYS,
)
_GROUP = closed_object(
    {
        "types": described(
            {"type": "object", "additionalProperties": _TYPE, "minProperties": 1},
            "Shift types by name.",
        ),
        "part_time": described(
            closed_object(
                {
                    "max_heads": described(
                        {"type": "integer", "minimum": 0}, "Most part-time heads a day."
                    ),
                    "max_hours_share": described(
                        ref("share"), "Largest share of a day's paid hours on part-time shifts."
                    ),
                },
                keys=PART_TIME_KEYS,
            ),
            "Limits on the part-time shift types, per day.",
        ),
        "shrinkage": described(
            {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
            "Shrinkage once breaks are rostered (absence, training): what the group's "
            "shrinkage is without its breaks. Default: the group's (breaks then come on top).",
        ),
    },
    ["types"],
    keys=GROUP_KEYS,
)

BLOCK = Block(
    "shifts",
    read_shifts,
    described(
        {"type": "object", "additionalProperties": _GROUP},
        "Shift rules by agent group, for cxsim schedule: shift types with breaks and limits.",
    ),
    needs=("horizon", "agents"),
    absent=frozen_map,
)
