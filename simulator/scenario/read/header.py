"""The blocks that name a scenario: ``scenario`` (its name), ``description`` and ``seed``."""

from __future__ import annotations

from simulator.scenario.read.block import Block
from simulator.scenario.read.context import ReadContext
from simulator.scenario.read.jsonparts import NAME, described
from simulator.scenario.read.values import read_int, read_name, read_text
from simulator.scenario.yamlsrc import Located

DEFAULT_SEED = 1


def read_seed(reading: ReadContext, node: Located, path: str) -> int:
    """The seed of every random stream: a whole number >= 0."""
    return read_int(reading, node, path, low=0)


NAME_BLOCK = Block(
    "scenario",
    read_name,
    described(NAME, "The scenario's name."),
    required=True,
    example="e.g. `scenario: retail-bank`",
    into=lambda name: {"name": name},
)
DESCRIPTION = Block(
    "description",
    read_text,
    described({"type": ["string", "null"]}, "Free text.", ""),
    absent=str,
)
SEED = Block(
    "seed",
    read_seed,
    described({"type": "integer", "minimum": 0}, "Random seed.", DEFAULT_SEED),
    absent=lambda: DEFAULT_SEED,
)
