"""The journey blocks: ``context`` (what the company knows at each hand-off) and ``retrial``
(what customers do after a contact that failed them).

Both are optional: without ``context:`` nothing is shared between hand-offs, and without
``retrial:`` nobody tries again. Routing reads the retrial's channel switches to know which
channels customers can end up on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulator.scenario.effective import distribution as distribution_yaml
from simulator.scenario.errors import did_you_mean
from simulator.scenario.read.block import Block
from simulator.scenario.read.context import (
    Invalid,
    ReadContext,
    child_path,
    describe,
    item_path,
    named_entries,
    read_each,
    read_fields,
)
from simulator.scenario.read.customers import Customers
from simulator.scenario.read.distributions import read_distribution
from simulator.scenario.read.jsonparts import NAME, closed_object, described, nullable, ref
from simulator.scenario.read.values import (
    check_shares,
    read_bool,
    read_int,
    read_known_name,
    read_number,
    read_probability,
    read_share,
)
from simulator.scenario.schema import Channel, Context, Retrial, Segment, frozen_map
from simulator.scenario.yamlsrc import Located

CONTEXT_KEYS = (
    "shared_record",
    "bot_to_agent",
    "transfer",
    "channel_switch",
    "carried_switches",
    "re_explain",
)
RETRIAL_KEYS = ("enabled", "max_contacts", "probability", "contact_decay", "delay", "switch")

#: Retry switching: segment (or default) -> failed channel -> {channel tried next: weight}.
SwitchTable = Mapping[str, Mapping[str, Mapping[str, float]]]


def read_context(
    reading: ReadContext, node: Located, path: str, channels: dict[str, Channel] | None
) -> Context:
    """Which hand-offs keep the customer's context; unset ones follow ``shared_record``."""
    given = read_fields(reading, node, path, CONTEXT_KEYS)
    if channels is None and "carried_switches" in given:
        raise Invalid  # the channels block's problem is already recorded
    default = Context()
    return Context(
        shared_record=given.read("shared_record", read_bool, default.shared_record),
        bot_to_agent=given.read("bot_to_agent", read_bool, None, allow_none=True),
        transfer=given.read("transfer", read_bool, None, allow_none=True),
        channel_switch=given.read("channel_switch", read_bool, None, allow_none=True),
        carried_switches=given.read(
            "carried_switches", read_channel_pairs, default.carried_switches, channels=channels
        ),
        re_explain=given.read("re_explain", read_distribution, default.re_explain),
    )


def read_channel_pairs(
    reading: ReadContext, node: Located, path: str, *, channels: dict[str, Channel]
) -> frozenset[tuple[str, str]]:
    """``[[from, to], ...]``: switches between two different declared channels."""
    if node.is_null:
        return frozenset()
    if not node.is_list:
        example = "such as [[chat, voice]]"
        message = f"expected a list of [from, to] channel pairs {example}, found {describe(node)}"
        reading.fail(node, path, message)
    names = list(channels)

    def read_pair(item: tuple[int, Located]) -> tuple[str, str]:
        i, pair = item
        pair_path = item_path(path, i)
        if not pair.is_list or len(pair.value) != 2:
            shown = f"a list of {len(pair.value)}" if pair.is_list else describe(pair)
            reading.fail(pair, pair_path, f"expected a [from, to] pair of channels, found {shown}")
        ends = read_each(
            enumerate(pair.value),
            lambda end: read_known_name(
                reading, end[1], item_path(pair_path, end[0]), known=names, what="channel"
            ),
        )
        if ends[0] == ends[1]:
            message = (
                f"a channel switch goes from one channel to another, found [{ends[0]}, {ends[1]}]"
            )
            reading.fail(pair, pair_path, message, "e.g. [chat, voice]")
        return ends[0], ends[1]

    return frozenset(read_each(enumerate(node.value), read_pair))


def read_retrial(
    reading: ReadContext,
    node: Located,
    path: str,
    customers: Customers | None,
    channels: dict[str, Channel] | None,
) -> Retrial:
    """What customers do after a failed contact. A ``retrial:`` block is enabled unless it says
    ``enabled: false`` (without the block nobody tries again)."""
    given = read_fields(reading, node, path, RETRIAL_KEYS)
    if (customers is None or channels is None) and "switch" in given:
        raise Invalid  # their problems are already recorded
    segments = customers.segments if customers is not None else ()
    default = Retrial()
    return Retrial(
        enabled=given.read("enabled", read_bool, True),
        max_contacts=given.read("max_contacts", read_int, default.max_contacts, low=1),
        probability=given.read("probability", read_probability, default.probability),
        contact_decay=given.read(
            "contact_decay", read_number, default.contact_decay, low=0.0, low_open=True, high=1.0
        ),
        delay=given.read("delay", read_distribution, default.delay),
        switch=given.read(
            "switch", read_switch, default.switch, segments=segments, channels=channels
        ),
    )


def read_switch(
    reading: ReadContext,
    node: Located,
    path: str,
    *,
    segments: Sequence[Segment],
    channels: dict[str, Channel],
) -> SwitchTable:
    """``{segment or default: {from channel: {to channel: weight}}}``; each row sums to 1."""
    segment_names = [s.name for s in segments]
    channel_names = list(channels)

    def check_channel(key: Located, key_path: str, name: str) -> None:
        if name not in channels:
            hint = did_you_mean(name, channel_names, what="channels")
            reading.fail(key, key_path, f"unknown channel '{name}'", hint)

    def read_row(
        entry: tuple[str, Located, Located], segment_path: str
    ) -> tuple[str, Mapping[str, float]]:
        source, key, value = entry
        row_path = child_path(segment_path, source)
        check_channel(key, row_path, source)

        def read_weight(cell: tuple[str, Located, Located]) -> tuple[str, float]:
            target, target_key, weight = cell
            check_channel(target_key, child_path(row_path, target), target)
            return target, read_share(reading, weight, child_path(row_path, target))

        weights = read_each(named_entries(reading, value, row_path, "channels"), read_weight)
        check_shares(reading, value, row_path, weights)
        return source, frozen_map(sorted(weights))

    def read_segment(entry: tuple[str, Located, Located]) -> tuple[str, Mapping]:
        name, key, value = entry
        segment_path = child_path(path, name)
        if name != "default" and name not in segment_names:
            hint = did_you_mean(name, ["default", *segment_names])
            message = f"unknown segment '{name}' (neither a segment nor default)"
            reading.fail(key, segment_path, message, hint)
        rows = named_entries(reading, value, segment_path, "channels")
        return name, frozen_map(sorted(read_each(rows, lambda row: read_row(row, segment_path))))

    entries = named_entries(reading, node, path, "segments", allow_empty=True)
    return frozen_map(sorted(read_each(entries, read_segment)))


_CONTEXT_DEFAULT = Context()
_CONTEXT: dict[str, Any] = described(
    nullable(
        closed_object(
            {
                "shared_record": described(
                    {"type": "boolean"},
                    "One customer record for every channel and agent: context is never lost.",
                    _CONTEXT_DEFAULT.shared_record,
                ),
                "bot_to_agent": described(
                    {"type": ["boolean", "null"]},
                    "Bot transcripts reach the agent. Absent: as shared_record.",
                ),
                "transfer": described(
                    {"type": ["boolean", "null"]},
                    "Warm transfers keep context. Absent: as shared_record.",
                ),
                "channel_switch": described(
                    {"type": ["boolean", "null"]},
                    "Context follows the customer to another channel. Absent: as shared_record.",
                ),
                "carried_switches": described(
                    {
                        "type": ["array", "null"],
                        "items": {"type": "array", "items": NAME, "minItems": 2, "maxItems": 2},
                    },
                    "Channel switches that keep context anyway: [[from, to], ...].",
                    [],
                ),
                "re_explain": described(
                    ref("distribution"),
                    "Extra handle time when a hand-off lost the context.",
                    distribution_yaml(_CONTEXT_DEFAULT.re_explain),
                ),
            },
            keys=CONTEXT_KEYS,
        )
    ),
    "What the company knows about a customer at each hand-off (transfer, bot escalation, "
    "channel switch); a hand-off without context costs re-explaining time and frustration.",
)

_RETRIAL_DEFAULT = Retrial()
_SWITCH_ROW = {"type": "object", "minProperties": 1, "additionalProperties": ref("share")}
_RETRIAL: dict[str, Any] = described(
    nullable(
        closed_object(
            {
                "enabled": described(
                    {"type": "boolean"},
                    "Whether customers try again (true when the block is given).",
                    True,
                ),
                "max_contacts": described(
                    {"type": "integer", "minimum": 1},
                    "Contacts after which every journey ends.",
                    _RETRIAL_DEFAULT.max_contacts,
                ),
                "probability": described(
                    ref("probability"),
                    "Probability of trying again after the first failed contact (falls with "
                    "frustration).",
                    _RETRIAL_DEFAULT.probability,
                ),
                "contact_decay": described(
                    {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    "Multiplies the retry probability for every contact already made.",
                    _RETRIAL_DEFAULT.contact_decay,
                ),
                "delay": described(
                    ref("distribution"),
                    "Time before trying again.",
                    distribution_yaml(_RETRIAL_DEFAULT.delay),
                ),
                "switch": described(
                    {
                        "type": ["object", "null"],
                        "additionalProperties": {
                            "type": "object",
                            "additionalProperties": _SWITCH_ROW,
                        },
                    },
                    "Channel of the next try: segment (or default) -> failed channel -> "
                    "{channel: weight}, weights summing to 1. No row: the same channel.",
                ),
            },
            keys=RETRIAL_KEYS,
        )
    ),
    "What customers do after abandoning, being blocked, redirected or left unresolved. Without "
    "the block nobody tries again.",
)

CONTEXT = Block(
    "context",
    read_context,
    _CONTEXT,
    needs=("channels",),
    absent=Context,
)
RETRIAL = Block(
    "retrial",
    read_retrial,
    _RETRIAL,
    needs=("customers", "channels"),
    absent=Retrial,
)
