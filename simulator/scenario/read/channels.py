"""The ``channels`` block: how customers reach the company (voice, chat, email, ...).

A channel is synchronous (customers wait on the line and may abandon) or asynchronous (contacts
wait in a backlog); ``email``, ``letter``, ``social`` and the like are asynchronous unless the
file says otherwise (:data:`~simulator.scenario.schema.ASYNC_BY_NAME`). Its ``hours`` (see
:mod:`~simulator.scenario.read.hours`) say when a synchronous channel accepts contacts, and the
business hours in which an asynchronous channel's promise may be counted
(``service_level: {within: 8h, business_hours: true}``).
"""

from __future__ import annotations

from typing import Any, cast

from simulator.distributions import Distribution
from simulator.scenario.read.block import Block
from simulator.scenario.read.context import (
    Invalid,
    ReadContext,
    child_path,
    named_entries,
    read_each,
    read_fields,
    reserved_names,
)
from simulator.scenario.read.distributions import read_distribution
from simulator.scenario.read.hours import HOURS_SCHEMA, read_hours
from simulator.scenario.read.jsonparts import closed_object, described, ref
from simulator.scenario.read.values import read_bool, read_choice, read_duration, read_int
from simulator.scenario.schema import (
    ASYNC_BY_NAME,
    ASYNCHRONOUS,
    DEFAULT_SL_THRESHOLD_S,
    SYNCHRONOUS,
    Channel,
    ChannelKind,
    Horizon,
    frozen_map,
)
from simulator.scenario.yamlsrc import Located
from simulator.units import format_duration

DEFAULT_SYNC_RESPONSE_S = 60.0
DEFAULT_ASYNC_RESPONSE_S = 24 * 3600.0

CHANNEL_KEYS = ("kind", "expected_response", "patience", "lines", "service_level", "hours")
SERVICE_LEVEL_KEYS = ("within", "business_hours")


def read_channels(
    reading: ReadContext, node: Located, path: str, horizon: Horizon | None
) -> dict[str, Channel]:
    """Channels by name, in name order."""
    reserved_names(reading, node, path, "a channel", ("default",), "handle_time")
    entries = named_entries(reading, node, path, "channels")

    def read_entry(entry: tuple[str, Located, Located]) -> Channel:
        name, _key, value = entry
        return read_channel(reading, name, value, child_path(path, name), horizon)

    channels = read_each(entries, read_entry)
    return {c.name: c for c in sorted(channels, key=lambda c: c.name)}


def read_channel(
    reading: ReadContext, name: str, node: Located, path: str, horizon: Horizon | None = None
) -> Channel:
    """One channel; its defaults depend on its kind. Hours need the horizon (None: its
    problem is already recorded)."""
    given = read_fields(reading, node, path, CHANNEL_KEYS)
    default_kind = ASYNCHRONOUS if name in ASYNC_BY_NAME else SYNCHRONOUS
    choices = [SYNCHRONOUS, ASYNCHRONOUS]
    kind = cast(ChannelKind, given.read("kind", read_choice, default_kind, choices=choices))
    sync = kind == SYNCHRONOUS
    default_response = DEFAULT_SYNC_RESPONSE_S if sync else DEFAULT_ASYNC_RESPONSE_S
    expected = given.read("expected_response", read_duration, default_response)
    patience: Distribution | None = given.read("patience", read_distribution, allow_none=True)
    fix = "remove it, or set kind: synchronous"
    if patience is not None and not sync:
        message = (
            f"patience applies only to synchronous channels; '{name}' is asynchronous "
            "(its contacts wait in a backlog and never abandon)"
        )
        reading.fail(given["patience"], given.path("patience"), message, fix)
    lines = None
    if "lines" in given and not given["lines"].is_null:
        if not sync:
            message = (
                "lines (trunk capacity) applies only to synchronous channels; "
                f"'{name}' is asynchronous"
            )
            reading.fail(given["lines"], given.path("lines"), message, fix)
        lines = given.read("lines", read_int, low=0)
    default_sl = DEFAULT_SL_THRESHOLD_S if sync else expected
    sl, business_hours = given.read(
        "service_level", read_service_level, (default_sl, False), horizon=horizon
    )
    if business_hours and sync:
        message = (
            f"business_hours applies only to asynchronous channels; '{name}' is synchronous "
            "(its contacts are closed at closing time, so their waits are all in open hours)"
        )
        node = given["service_level"]
        reading.fail(node, given.path("service_level"), message, "remove business_hours")
    hours = None
    if "hours" in given:
        if horizon is None:
            raise Invalid  # the horizon's problem is already recorded
        hours = given.read("hours", read_hours, horizon=horizon, synchronous=sync)
    return Channel(
        name=name,
        kind=kind,
        expected_response=expected,
        patience=patience,
        lines=lines,
        sl_threshold=sl,
        hours=hours,
        sl_business_hours=business_hours,
    )


def read_service_level(
    reading: ReadContext, node: Located, path: str, *, horizon: Horizon | None
) -> tuple[float, bool]:
    """``20s`` (a threshold in calendar time) or ``{within: 8h, business_hours: true}`` ->
    (threshold, whether it counts business hours only)."""
    if not node.is_map:
        return read_duration(reading, node, path), False
    hint = "e.g. service_level: {within: 8h, business_hours: true}"
    given = read_fields(reading, node, path, SERVICE_LEVEL_KEYS, ["within"], hints={"within": hint})
    within = given.read("within", read_duration)
    business_hours = given.read("business_hours", read_bool, False)
    if not business_hours:
        return within, False
    if horizon is not None and within < horizon.interval:
        message = (
            f"a promise of {format_duration(within)} in business hours is shorter than one "
            f"interval ({format_duration(horizon.interval)})"
        )
        hint = (
            "business hours are counted against whole intervals; promise at least "
            f"{format_duration(horizon.interval)}, or count calendar time (business_hours: false)"
        )
        reading.fail(given["within"], given.path("within"), message, hint)
    return within, True


_CHANNEL: dict[str, Any] = {
    **closed_object(
        {
            "kind": described(
                {"enum": ["synchronous", "asynchronous"]},
                "synchronous (voice, chat: customers wait and may abandon) or asynchronous "
                f"(worked from a backlog). Default asynchronous for "
                f"{', '.join(sorted(ASYNC_BY_NAME))}, else synchronous.",
            ),
            "expected_response": described(
                ref("duration"),
                "Response time customers expect. Default "
                f"{format_duration(DEFAULT_SYNC_RESPONSE_S)} synchronous, "
                f"{format_duration(DEFAULT_ASYNC_RESPONSE_S)} asynchronous.",
            ),
            "patience": described(
                {"anyOf": [ref("distribution"), {"const": "none"}, {"type": "null"}]},
                "How long customers wait before abandoning (synchronous only); none = never.",
                "none",
            ),
            "lines": described(
                {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]},
                "Trunk capacity: contacts waiting + in service (synchronous only).",
            ),
            "service_level": described(
                {
                    "anyOf": [
                        ref("duration"),
                        closed_object(
                            {
                                "within": described(ref("duration"), "The promised response."),
                                "business_hours": described(
                                    {"type": "boolean"},
                                    "Count only the wait inside the channel's hours "
                                    "(asynchronous channels; the promise must be at least one "
                                    "interval). Default: calendar time.",
                                    False,
                                ),
                            },
                            ["within"],
                            keys=SERVICE_LEVEL_KEYS,
                        ),
                    ]
                },
                f"Service-level threshold. Default {format_duration(DEFAULT_SL_THRESHOLD_S)} "
                "synchronous, expected_response asynchronous, counted in calendar time.",
            ),
            "hours": HOURS_SCHEMA,
        },
        keys=CHANNEL_KEYS,
    ),
    "type": ["object", "null"],
    "if": {
        "type": "object",
        "properties": {"kind": {"const": "asynchronous"}},
        "required": ["kind"],
    },
    "then": {
        "properties": {
            "patience": {"anyOf": [{"const": "none"}, {"type": "null"}]},
            "lines": {"type": "null"},
        }
    },
}

BLOCK = Block(
    "channels",
    read_channels,
    described(
        {"type": "object", "minProperties": 1, "additionalProperties": _CHANNEL},
        "Contact channels by name.",
    ),
    required=True,
    example="e.g. `channels: {voice: {patience: {exponential: {mean: 6m}}}}`",
    needs=("horizon",),
    into=lambda channels: {"channels": frozen_map(channels)},
)
