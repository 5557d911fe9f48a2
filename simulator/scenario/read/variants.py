"""The ``variants`` block as the loader sees it: only its shape.

The overlays themselves are applied by :mod:`simulator.scenario.variants`, which reads each
variant through the same blocks as the base; here the base only checks that ``variants:`` is a
mapping of mappings, so a broken variant never breaks the base.
"""

from __future__ import annotations

from simulator.scenario.read.block import Block
from simulator.scenario.read.context import (
    ReadContext,
    child_path,
    describe,
    named_entries,
    read_each,
)
from simulator.scenario.read.jsonparts import described
from simulator.scenario.yamlsrc import Located

#: Variant name -> (its key node, its overlay node), in file order.
Overlays = dict[str, tuple[Located, Located]]


def read_variants(reading: ReadContext, node: Located, path: str) -> Overlays:
    """``variants:``: variant name -> (name key node, overlay mapping node), in file order. An
    empty overlay (``name:`` with nothing after it) is the base itself."""
    entries = named_entries(reading, node, path, "variants", allow_empty=True)

    def read_entry(entry: tuple[str, Located, Located]) -> tuple[str, tuple[Located, Located]]:
        name, key_node, overlay = entry
        if not overlay.is_null and not overlay.is_map:
            message = (
                "expected a mapping of dotted key paths to values, e.g. "
                f"{{agents.voice.count: 20}}, found {describe(overlay)}"
            )
            reading.fail(overlay, child_path(path, name), message)
        return name, (key_node, overlay)

    return dict(read_each(entries, read_entry))


BLOCK = Block(
    "variants",
    read_variants,
    described(
        {
            "type": ["object", "null"],
            "additionalProperties": {
                "type": ["object", "null"],
                "propertyNames": {"type": "string", "minLength": 1},
            },
        },
        "Named what-if overlays: each maps dotted key paths (e.g. agents.voice.count) to the "
        "value that replaces what is there in the base scenario.",
    ),
    absent=dict,
    into=lambda overlays: {},
)
