"""The ``agents`` block: groups of agents, their skills, schedules, resolution and transfers.

A group's skills are the queues it serves; routing rules, bot escalations, overflows and
transfers name these skills, so the "no agent group has skill ..." problem is raised here
(:func:`unknown_skill`) for all of them. ``resolves`` (by intent) is shared with bots.

A group's ``count`` is every day's schedule and ``count_by_day`` replaces it on some weekdays;
the loader resolves them into one schedule for the whole run (:func:`run_schedule`), with a
zero step when each day closes (shifts end; ``overtime`` says how long agents may stay on).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NoReturn

from simulator.distributions import Constant
from simulator.scenario.errors import did_you_mean
from simulator.scenario.read.block import Block
from simulator.scenario.read.context import (
    Invalid,
    ReadContext,
    child_path,
    default_of,
    key_name,
    named_entries,
    read_each,
    read_fields,
)
from simulator.scenario.read.customers import Customers
from simulator.scenario.read.days import (
    DAY_KEYS,
    DAY_KEYS_TEXT,
    days_of_run,
    for_weekday,
    read_by_day,
)
from simulator.scenario.read.distributions import read_distribution
from simulator.scenario.read.horizon import horizon_text
from simulator.scenario.read.jsonparts import (
    NAME,
    NAMES,
    SCHEDULE_KEY_PATTERN,
    closed_object,
    described,
    ref,
)
from simulator.scenario.read.values import (
    read_clock,
    read_duration,
    read_int,
    read_name,
    read_names,
    read_number,
    read_probability,
)
from simulator.scenario.schema import AgentGroup, Horizon, Transfer, frozen_map
from simulator.scenario.yamlsrc import Located

DEFAULT_CONCURRENCY = 1
DEFAULT_SHRINKAGE = 0.0
DEFAULT_EMPATHY = 0.5

GROUP_KEYS = (
    "skills",
    "count",
    "count_by_day",
    "overtime",
    "concurrency",
    "shrinkage",
    "wrap_up",
    "empathy",
    "resolves",
    "transfers",
)
TRANSFER_KEYS = ("to", "probability")

#: One day's ``(t, heads)`` steps, ``t`` from the day's opening, the first at 0.
DaySchedule = tuple[tuple[float, int], ...]

#: Transfer targets ``(skill, its node, its path)``, checked once every group is read.
TransferTargets = list[tuple[str, Located, str]]


def skills_of(groups: Iterable[AgentGroup]) -> list[str]:
    """Every skill some group has, in file order, once each."""
    return list(dict.fromkeys(s for g in groups for s in g.skills))


def unknown_skill(
    reading: ReadContext,
    node: Located,
    path: str,
    name: str,
    skills: Sequence[str],
    bots: Sequence[str] = (),
) -> NoReturn:
    """``name`` is neither a skill some agent group has nor (where bots are allowed) a bot."""
    if bots:
        message = f"no agent group has skill '{name}' and there is no bot '{name}'"
        hint = did_you_mean(name, [*skills, *bots], what="skills and bots")
    else:
        message = f"no agent group has skill '{name}'"
        hint = did_you_mean(name, skills, what="skills") if skills else "no agent group has a skill"
    reading.fail(node, path, message, hint)


def read_agents(
    reading: ReadContext,
    node: Located,
    path: str,
    horizon: Horizon | None,
    customers: Customers | None,
) -> dict[str, AgentGroup]:
    """Agent groups by name, in name order (there may be none)."""
    entries = named_entries(reading, node, path, "agent groups", allow_empty=True)
    intents = [i.name for i in customers.intents] if customers is not None else None
    targets: TransferTargets = []

    def read_entry(entry: tuple[str, Located, Located]) -> AgentGroup:
        name, _key, value = entry
        group_path = child_path(path, name)
        return read_agent_group(reading, name, value, horizon, group_path, intents, targets)

    groups = read_each(entries, read_entry)
    skills = skills_of(groups)
    for skill, to_node, to_path in targets:
        if skill not in skills:
            reading.attempt(unknown_skill, reading, to_node, to_path, skill, skills)
    return {g.name: g for g in sorted(groups, key=lambda g: g.name)}


def read_agent_group(
    reading: ReadContext,
    name: str,
    node: Located,
    horizon: Horizon | None,
    path: str,
    intents: Sequence[str] | None = None,
    targets: TransferTargets | None = None,
) -> AgentGroup:
    """One group. Its transfer targets are added to ``targets`` (checked by the caller); a
    schedule needs the horizon and per-intent keys need the intents (None: already reported)."""
    hint = "e.g. count: 12, or a schedule such as count: {'08:00': 12, '14:00': 9}"
    given = read_fields(reading, node, path, GROUP_KEYS, ["count"], hints={"count": hint})
    skills = tuple(given.read("skills", read_names, [name], what="skill"))
    if horizon is None and (given["count"].is_map or "count_by_day" in given):
        raise Invalid  # the horizon's own problem is already recorded
    schedule = given.read("count", read_count, horizon=horizon)
    if "count_by_day" in given:
        assert horizon is not None
        by_day = given.read("count_by_day", read_by_day, read_value=_count_reader(horizon))
        schedule = run_schedule(horizon, schedule, by_day)
    elif horizon is not None:
        schedule = run_schedule(horizon, schedule, {})
    if intents is None and ("resolves" in given or "transfers" in given):
        raise Invalid  # the customers block's problem is already recorded
    default_resolves = default_of(AgentGroup, "resolves_default")
    resolves, resolves_default = given.read(
        "resolves",
        read_resolves,
        (frozen_map(), default_resolves),
        intents=intents,
        fallback=default_resolves,
    )
    transfers = given.read(
        "transfers", read_transfers, frozen_map(), intents=intents, targets=targets
    )
    return AgentGroup(
        name=name,
        skills=skills,
        schedule=schedule,
        concurrency=given.read("concurrency", read_int, DEFAULT_CONCURRENCY, low=1),
        shrinkage=given.read(
            "shrinkage", read_number, DEFAULT_SHRINKAGE, low=0, high=1, high_open=True
        ),
        wrap_up=given.read("wrap_up", read_distribution, Constant(0.0)),
        empathy=given.read("empathy", read_number, DEFAULT_EMPATHY, low=0.0, high=1.0),
        resolves=resolves,
        resolves_default=resolves_default,
        transfers=transfers,
        overtime=given.read("overtime", read_duration, 0.0),
    )


def read_count(
    reading: ReadContext, node: Located, path: str, *, horizon: Horizon | None
) -> DaySchedule:
    """One day's schedule: heads all day (``12``) or ``{time: heads}`` steps, from ``t = 0``."""
    if node.is_map:
        assert horizon is not None  # the caller checked
        return read_schedule(reading, node, path, horizon=horizon)
    return ((0.0, read_int(reading, node, path, low=0)),)


def _count_reader(horizon: Horizon) -> Callable[[ReadContext, Located, str], DaySchedule]:
    def read_day_count(reading: ReadContext, node: Located, path: str) -> DaySchedule:
        return read_count(reading, node, path, horizon=horizon)

    return read_day_count


def run_schedule(
    horizon: Horizon, default: DaySchedule, by_day: Mapping[str, DaySchedule]
) -> tuple[tuple[float, int], ...]:
    """The whole run's ``(t, heads)`` steps: each day's schedule (its weekday's, else
    ``default``) from the day's opening, then a zero step at its closing. A single day keeps
    its own schedule: the end of the run ends its shifts."""
    if horizon.days == 1:
        own = for_weekday(by_day, horizon.weekday(0))
        return default if own is None else own
    steps: list[tuple[float, int]] = []
    for day, weekday in days_of_run(horizon):
        own = for_weekday(by_day, weekday)
        offset = horizon.day_start(day)
        steps.extend((offset + t, heads) for t, heads in (default if own is None else own))
        steps.append((horizon.day_end(day), 0))
    return tuple(steps)


def check_intent_key(
    reading: ReadContext, key: Located, path: str, name: str, intents: Sequence[str]
) -> None:
    """A key of a per-intent mapping: an intent name or ``default``."""
    if name != "default" and name not in intents:
        hint = did_you_mean(name, ["default", *intents])
        reading.fail(key, path, f"unknown intent '{name}' (neither an intent nor default)", hint)


def read_resolves(
    reading: ReadContext, node: Located, path: str, *, intents: Sequence[str], fallback: float
) -> tuple[Mapping[str, float], float]:
    """``{intent: probability, default: probability}`` -> (by intent, default); ``fallback`` is
    the default when the mapping has no ``default`` key."""
    entries = named_entries(reading, node, path, "intents", allow_empty=True)
    by_intent: dict[str, float] = {"default": fallback}

    def read_entry(entry: tuple[str, Located, Located]) -> None:
        name, key, value = entry
        entry_path = child_path(path, name)
        check_intent_key(reading, key, entry_path, name, intents)
        by_intent[name] = read_probability(reading, value, entry_path)

    read_each(entries, read_entry)
    fallback = by_intent.pop("default")
    return frozen_map(sorted(by_intent.items())), fallback


def read_transfers(
    reading: ReadContext,
    node: Located,
    path: str,
    *,
    intents: Sequence[str],
    targets: TransferTargets | None = None,
) -> Mapping[str, Transfer]:
    """``{intent or default: {to: skill, probability: p}}``; the skills are checked by the
    caller once every group is read (``targets`` collects them)."""
    entries = named_entries(reading, node, path, "intents", allow_empty=True)

    def read_entry(entry: tuple[str, Located, Located]) -> tuple[str, Transfer]:
        name, key, value = entry
        entry_path = child_path(path, name)
        check_intent_key(reading, key, entry_path, name, intents)
        hint = f"e.g. {name}: {{to: voice_general, probability: 0.2}}"
        hints = {"to": hint, "probability": hint}
        given = read_fields(reading, value, entry_path, TRANSFER_KEYS, TRANSFER_KEYS, hints=hints)
        to = given.read("to", read_name)
        if targets is not None:
            targets.append((to, given["to"], given.path("to")))
        return name, Transfer(to=to, probability=given.read("probability", read_probability))

    return frozen_map(sorted(read_each(entries, read_entry)))


def read_schedule(
    reading: ReadContext, node: Located, path: str, *, horizon: Horizon
) -> tuple[tuple[float, int], ...]:
    """``{time: heads}`` -> sorted ``(t, heads)`` steps in simulated seconds, the first at 0.

    Times are clock times for clock horizons (``'08:00'``) and offsets from the start otherwise
    (``0h``, ``2h30m``); every time must be inside ``[start, end)``."""
    if not node.value:
        reading.fail(node, path, "expected at least one schedule step, such as '08:00': 12")
    seen: dict[float, str] = {}

    def read_step(entry: tuple[Located, Located]) -> tuple[float, int]:
        key, value = entry
        label = key_name(key)
        step_path = child_path(path, label)
        t = _read_schedule_time(reading, key, step_path, horizon)
        heads = read_int(reading, value, step_path, low=0)
        if t in seen:
            reading.fail(key, step_path, f"time {label} is the same as {seen[t]}")
        seen[t] = label
        return t, heads

    schedule = sorted(read_each(node.items(), read_step))
    if schedule[0][0] > 0:
        schedule.insert(0, (0.0, 0))
    return tuple(schedule)


def _read_schedule_time(reading: ReadContext, key: Located, path: str, horizon: Horizon) -> float:
    label = key_name(key)
    if horizon.clock:
        t = read_clock(reading, key, path) - horizon.start
    else:
        if ":" in label:
            hint = "the horizon is given by duration:, so write offsets from its start, e.g. 2h30m"
            reading.fail(key, path, f"clock time {label!r} in a horizon without a clock", hint)
        t = read_duration(reading, key, path)
    if not 0.0 <= t < horizon.duration:
        hint = f"{horizon_text(horizon)}; schedule times must be in [start, end)"
        reading.fail(key, path, f"time {label} is outside the horizon", hint)
    return t


_SCHEDULE = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": {"pattern": SCHEDULE_KEY_PATTERN},
    "additionalProperties": {"type": "integer", "minimum": 0},
    "description": "Heads by time: {'08:00': 12, '14:00': 9} for clock horizons, {0h: 12, 6h: 9} "
    "for duration horizons; times inside the horizon.",
}

#: ``resolves``: intent -> probability, with a default (agent groups and bots).
RESOLVES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"default": described(ref("probability"), "For intents not listed.")},
    "additionalProperties": ref("probability"),
}

_GROUP = closed_object(
    {
        "skills": described(NAMES, "Skill queues the group serves. Default: the group name."),
        "count": described(
            {"anyOf": [{"type": "integer", "minimum": 0}, _SCHEDULE]},
            "Scheduled heads, or a schedule of heads by time.",
        ),
        "concurrency": described(
            {"type": "integer", "minimum": 1},
            "Contacts an agent works at once.",
            DEFAULT_CONCURRENCY,
        ),
        "shrinkage": described(
            {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
            "Share of scheduled heads away from the phones (breaks, training, absence).",
            DEFAULT_SHRINKAGE,
        ),
        "wrap_up": described(ref("distribution"), "After-contact work.", "0s"),
        "empathy": described(
            {"type": "number", "minimum": 0, "maximum": 1}, "Soft-skill level.", DEFAULT_EMPATHY
        ),
        "resolves": described(
            RESOLVES_SCHEMA,
            "Probability that a contact served here is resolved: intent -> probability, "
            "default for the other intents.",
            {"default": default_of(AgentGroup, "resolves_default")},
        ),
        "count_by_day": described(
            {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    key: {"anyOf": [{"type": "integer", "minimum": 0}, _SCHEDULE]}
                    for key in DAY_KEYS
                },
            },
            f"Scheduled heads on some days instead of count ({DAY_KEYS_TEXT}): heads, or a "
            "schedule of heads by time.",
        ),
        "overtime": described(
            ref("duration"),
            "After each day's closing, agents may keep taking waiting work for up to this long "
            "(each goes home when idle); paid at costs.overtime_multiplier.",
            "0s",
        ),
        "transfers": described(
            {
                "type": "object",
                "additionalProperties": closed_object(
                    {
                        "to": described(NAME, "The skill queue (a skill some group has)."),
                        "probability": described(ref("probability"), "Chance of a transfer."),
                    },
                    TRANSFER_KEYS,
                    keys=TRANSFER_KEYS,
                ),
            },
            "After service, intent (or default) -> {to: skill, probability}.",
        ),
    },
    ["count"],
    keys=GROUP_KEYS,
)

BLOCK = Block(
    "agents",
    read_agents,
    described(
        {"type": ["object", "null"], "additionalProperties": _GROUP},
        "Agent groups by name (may be empty).",
    ),
    required=True,
    example="e.g. `agents: {voice: {count: 20}}`, or `agents: {}`",
    needs=("horizon", "customers"),
    into=lambda agents: {"agents": frozen_map(agents)},
)
