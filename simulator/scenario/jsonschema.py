"""A JSON Schema (draft 2020-12) of the scenario language, for editor completion and checks.

Point an editor at it, e.g. with the YAML language server::

    # yaml-language-server: $schema=./cxsim-scenario.schema.json

The schema describes shapes, units, defaults and unknown keys; cross-references (a route to a
skill that exists, shares summing to 1, list lengths matching the horizon) are checked by the
loader, which also gives the file:line:col of each problem.

It is assembled from the loader's own table (:data:`~simulator.scenario.load.BLOCKS`): each block
module of :mod:`simulator.scenario.read` describes its block next to its reader, from the same key
lists, so the schema cannot drift from what the loader accepts
(``tests/scenario/test_jsonschema.py`` walks both to make sure).
"""

from __future__ import annotations

import copy
from typing import Any

from simulator.scenario.load import BLOCKS
from simulator.scenario.read.distributions import DISTRIBUTION_SCHEMA
from simulator.scenario.read.jsonparts import DEFINITIONS

SCHEMA_ID = "https://cxsim.invalid/schemas/scenario-v1.json"

_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "cxsim scenario",
    "description": "A contact-center scenario for the cxsim simulator (language v1).",
    "type": "object",
    "properties": {block.name: block.schema for block in BLOCKS},
    "required": [block.name for block in BLOCKS if block.required],
    "additionalProperties": False,
    "$defs": {**DEFINITIONS, "distribution": DISTRIBUTION_SCHEMA},
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario language (a fresh copy; safe to modify)."""
    return copy.deepcopy(_SCHEMA)
