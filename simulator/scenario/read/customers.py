"""The ``customers`` block: who the customers are (segments) and why they get in touch (intents).

Both are shares of the whole (summing to 1), stored in name order so that reordering a file never
changes results. Without the block there is one segment ``all`` and one intent ``general``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from simulator.scenario.read.block import Block
from simulator.scenario.read.context import (
    Fields,
    ReadContext,
    child_path,
    default_of,
    named_entries,
    read_each,
    read_fields,
    reserved_names,
)
from simulator.scenario.read.jsonparts import closed_object, described, ref
from simulator.scenario.read.values import check_shares, read_number, read_probability, read_share
from simulator.scenario.schema import Intent, Segment
from simulator.scenario.yamlsrc import Located

DEFAULT_SEGMENT = "all"
DEFAULT_INTENT = "general"

CUSTOMERS_KEYS = ("segments", "intents")
SEGMENT_KEYS = ("share", "patience_scale", "reach", "sensitivity", "churn_base", "churn_max")
INTENT_KEYS = ("share",)


class Customers(NamedTuple):
    """The value of the block: segments and intents, each in name order."""

    segments: tuple[Segment, ...]
    intents: tuple[Intent, ...]


def default_customers() -> Customers:
    """One segment and one intent, each with share 1 (the block is absent)."""
    return Customers((Segment(DEFAULT_SEGMENT, 1.0),), (Intent(DEFAULT_INTENT, 1.0),))


def read_customers(reading: ReadContext, node: Located, path: str) -> Customers:
    """``segments`` and ``intents``, each defaulting to a single one with share 1."""
    given = read_fields(reading, node, path, CUSTOMERS_KEYS)
    default = default_customers()
    segments, intents = read_each(
        [
            lambda: given.read("segments", read_segments, default.segments),
            lambda: given.read("intents", read_intents, default.intents),
        ],
        lambda read: read(),
    )
    return Customers(segments, intents)


def read_share_entries(
    reading: ReadContext, node: Located, path: str, what: str, keys: Sequence[str]
) -> list[tuple[str, float, Fields | None]]:
    """``name: share`` or ``name: {share: x, <other keys>}`` entries, in name order; shares must
    sum to 1. ``share`` may be left out when there is a single entry (it is then 1)."""
    entries = named_entries(reading, node, path, what)

    def read_entry(entry: tuple[str, Located, Located]) -> tuple[str, float, Fields | None]:
        name, _key, value = entry
        entry_path = child_path(path, name)
        if not (value.is_map or value.is_null):
            return name, read_share(reading, value, entry_path), None
        required = ["share"] if len(entries) > 1 else []
        hint = f"each of several {what} needs a share, e.g. share: 0.25"
        given = read_fields(reading, value, entry_path, keys, required, hints={"share": hint})
        return name, given.read("share", read_share, 1.0), given

    out = read_each(entries, read_entry)
    check_shares(reading, node, path, [(name, share) for name, share, _ in out])
    return sorted(out, key=lambda e: e[0])


def read_segments(reading: ReadContext, node: Located, path: str) -> tuple[Segment, ...]:
    """``name: share`` or ``name: {share, patience_scale, reach, sensitivity, churn_base,
    churn_max}``."""
    entries = read_share_entries(reading, node, path, "segments", SEGMENT_KEYS)
    return tuple(read_each(entries, lambda entry: _read_segment(reading, *entry)))


def _read_segment(reading: ReadContext, name: str, share: float, given: Fields | None) -> Segment:
    if given is None:
        return Segment(name, share)
    churn_base = given.read("churn_base", read_probability, default_of(Segment, "churn_base"))
    churn_max = given.read("churn_max", read_probability, default_of(Segment, "churn_max"))
    if churn_max < churn_base:
        key = "churn_max" if "churn_max" in given else "churn_base"
        message = f"churn_max ({churn_max:g}) is below churn_base ({churn_base:g})"
        hint = (
            "churn_base is the churn of a calm customer and churn_max of a furious one, so "
            "churn_base <= churn_max"
        )
        reading.fail(given[key], given.path(key), message, hint)
    return Segment(
        name,
        share,
        patience_scale=given.read("patience_scale", read_number, 1.0, low=0.0, low_open=True),
        reach=given.read("reach", read_number, 0.0, low=0.0),
        sensitivity=given.read(
            "sensitivity",
            read_number,
            default_of(Segment, "sensitivity"),
            low=0.0,
            low_open=True,
        ),
        churn_base=churn_base,
        churn_max=churn_max,
    )


def read_intents(reading: ReadContext, node: Located, path: str) -> tuple[Intent, ...]:
    """``name: share`` or ``name: {share}``."""
    reserved_names(reading, node, path, "an intent", ("default", "by_channel"), "handle_time")
    entries = read_share_entries(reading, node, path, "intents", INTENT_KEYS)
    return tuple(Intent(name, share) for name, share, _ in entries)


_SEGMENT = closed_object(
    {
        "share": described(ref("share"), "Fraction of customers (shares sum to 1)."),
        "patience_scale": described(
            {"type": "number", "exclusiveMinimum": 0}, "Multiplies channel patience.", 1
        ),
        "reach": described(
            {"type": "number", "minimum": 0}, "People who hear about a bad experience.", 0
        ),
        "sensitivity": described(
            {"type": "number", "exclusiveMinimum": 0},
            "Multiplies every frustration increase (1 = average customer).",
            default_of(Segment, "sensitivity"),
        ),
        "churn_base": described(
            ref("probability"),
            "Churn probability of a customer who ends calm (frustration 0); <= churn_max.",
            default_of(Segment, "churn_base"),
        ),
        "churn_max": described(
            ref("probability"),
            "Churn probability of a customer who ends furious (frustration 100).",
            default_of(Segment, "churn_max"),
        ),
    },
    keys=SEGMENT_KEYS,
)

_SCHEMA: dict[str, Any] = described(
    closed_object(
        {
            "segments": described(
                {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {"anyOf": [ref("share"), _SEGMENT]},
                },
                "Customer segments: name -> share, or {share, patience_scale, reach, sensitivity, "
                "churn_base, churn_max}.",
                {DEFAULT_SEGMENT: {"share": 1}},
            ),
            "intents": described(
                {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {
                        "anyOf": [
                            ref("share"),
                            closed_object({"share": ref("share")}, keys=INTENT_KEYS),
                        ]
                    },
                },
                "Contact reasons: name -> share (or {share}).",
                {DEFAULT_INTENT: {"share": 1}},
            ),
        },
        keys=CUSTOMERS_KEYS,
    ),
    "Who the customers are and why they get in touch.",
)

BLOCK = Block(
    "customers",
    read_customers,
    _SCHEMA,
    absent=default_customers,
    into=lambda customers: {"segments": customers.segments, "intents": customers.intents},
)
