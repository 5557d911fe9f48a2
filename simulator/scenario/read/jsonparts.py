"""Pieces of the JSON Schema shared by the block modules: units, names and closed mappings.

Each block module describes its block to editors with a JSON Schema fragment built from these
pieces, next to the reader that defines what the block accepts;
:mod:`~simulator.scenario.jsonschema` assembles the fragments. A closed mapping is built from the
same key list its reader passes to :func:`~simulator.scenario.read.context.read_fields`, so the
two cannot list different keys (and ``tests/scenario/test_jsonschema.py`` walks the whole schema
against what the readers accept).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _case_insensitive(word: str) -> str:
    """A case-insensitive regex for ``word`` (ECMA-262 patterns have no inline flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" for c in word)


_UNITS = "|".join(_case_insensitive(u) for u in ("ms", "sec", "s", "min", "m", "hr", "h", "d"))
_NUMBER = r"\d+(\.\d+)?"
DURATION_PATTERN = rf"^\s*(({_NUMBER}\s*({_UNITS})\s*)+|[-+]?{_NUMBER}([eE][-+]?\d+)?)\s*$"
RATE_PATTERN = rf"^\s*{_NUMBER}\s*(/\s*({_UNITS})\s*)?$"
CLOCK_PATTERN = r"^\s*\d{1,2}:\d{2}(:\d{2})?\s*$"
# Schedule keys: clock times (clock horizons), durations (duration horizons), or the digits a
# YAML 1.1 parser makes of an unquoted 14:00 (the sexagesimal integer 840) once JSON-encoded.
SCHEDULE_KEY_PATTERN = rf"({CLOCK_PATTERN})|({DURATION_PATTERN})"


def ref(name: str) -> dict[str, str]:
    """A reference to the shared definition ``name`` (see :data:`DEFINITIONS`)."""
    return {"$ref": f"#/$defs/{name}"}


def described(schema: dict[str, Any], description: str, default: Any = None) -> dict[str, Any]:
    """``schema`` with a description (shown by editors) and, if given, its default."""
    out = {"description": description, **schema}
    if default is not None:
        out["default"] = default
    return out


def closed_object(
    properties: dict[str, Any],
    required: Sequence[str] | None = None,
    *,
    keys: Sequence[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A mapping with exactly these keys. ``keys`` is the reader's list of accepted keys: the
    properties must be the same keys (in any order), or this raises at import."""
    if keys is not None and set(properties) != set(keys):
        raise ValueError(
            f"schema properties {sorted(properties)} differ from the reader's keys {sorted(keys)}"
        )
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = list(required)
    out.update(extra)
    return out


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """A block's mapping that may also be left empty (``context:`` with nothing after it)."""
    return {**schema, "type": ["object", "null"]}


NAME: dict[str, Any] = {"type": "string", "minLength": 1}
NAMES: dict[str, Any] = {"anyOf": [NAME, {"type": "array", "items": NAME, "minItems": 1}]}
MONEY: dict[str, Any] = {"type": "number", "minimum": 0}

#: Shared definitions (``$defs``) of the values used across blocks; distributions add theirs.
DEFINITIONS: dict[str, Any] = {
    "duration": {
        "description": "A duration: 45s, 4m, 1h30m, 2.5h, 250ms, 1d, or a number of seconds.",
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": DURATION_PATTERN},
        ],
    },
    "rate": {
        "description": "A rate: 600/h, 10/min, 2/s, 5000/d, or a number (per hour).",
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": RATE_PATTERN},
        ],
    },
    "clock": {
        "description": "A clock time such as '08:00' or '17:30:15' (up to 48:00). Quote it: YAML "
        "1.1 reads an unquoted 14:00 as the number 840 (the loader still understands it).",
        "anyOf": [{"type": "string", "pattern": CLOCK_PATTERN}, {"type": "integer", "minimum": 0}],
    },
    "share": {"type": "number", "minimum": 0, "maximum": 1},
    "probability": {"type": "number", "minimum": 0, "maximum": 1},
}
