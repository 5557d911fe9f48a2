"""Scenario files -> :class:`~simulator.scenario.schema.Scenario`.

The pipeline is::

    YAML text --yamlsrc.parse--> located tree --one reader per block--> Scenario

:data:`BLOCKS` lists the top-level blocks of the language, each defined in its own module of
:mod:`simulator.scenario.read` (its keys, its reader, its JSON Schema). Every reader receives the
:class:`~simulator.scenario.yamlsrc.Located` node of its block and its key path, so any problem it
reports has file:line:col and a key path such as ``agents.chat_support.count`` or
``routing[2].to`` (list indexes count from 0). Problems are collected in a
:class:`~simulator.scenario.read.context.ReadContext`; a reader that cannot go on records why and
raises :class:`~simulator.scenario.read.context.Invalid`, and the block is skipped, so independent
problems elsewhere are still reported in the same run.

To add a block:

1. Write ``simulator/scenario/read/<block>.py``: the keys it accepts (a constant), its reader
   ``read_<block>(reading, node, path, *needed)`` returning a typed value, its JSON Schema
   fragment built from the same keys, and a :class:`~simulator.scenario.read.block.Block` that
   ties them together (``needs`` names the blocks whose values the reader takes, ``absent`` the
   value when the file has no such block, ``into`` the Scenario fields it fills).
2. Add the Block to :data:`BLOCKS` below, where it should appear in messages and in the schema
   (blocks are read after the blocks they need, whatever their place in the table).
3. Give :class:`~simulator.scenario.schema.Scenario` the field (with a default, so scenarios
   built in code keep working) and write it back in :mod:`~simulator.scenario.effective`.

``tests/scenario/test_jsonschema.py`` fails until the reader and the schema accept the same keys,
and ``tests/scenario/test_effective.py`` until the effective scenario writes the block back.
Overlays such as ``variants:`` transform the located tree before :func:`build_scenario` sees it.

Named entries whose order could matter to the engine (segments, intents, first-channel shares,
channels, agent groups, bots, per-intent and per-channel mappings) are stored in name order, so
reordering keys in a file, or dumping the effective scenario with sorted keys, never changes
simulation results. Routing keeps file order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from simulator.scenario import yamlsrc
from simulator.scenario.errors import Problem, ScenarioError
from simulator.scenario.read import (
    agents,
    bots,
    bounds,
    channels,
    costs,
    customers,
    demand,
    frustration,
    header,
    horizon,
    journeys,
    routing,
    shifts,
    variants,
)
from simulator.scenario.read.block import Block
from simulator.scenario.read.context import (
    Fields,
    ReadContext,
    describe,
    key_name,
    read_fields,
)
from simulator.scenario.schema import Scenario
from simulator.scenario.yamlsrc import Located

# key_name is re-exported for simulator/experiment/sweep.py (it addresses --set keys as written).
__all__ = ["BLOCKS", "build_scenario", "key_name", "load_scenario", "load_scenario_text"]

#: The top-level blocks, in the order messages and the JSON Schema list them.
BLOCKS: tuple[Block, ...] = (
    header.NAME_BLOCK,
    header.DESCRIPTION,
    header.SEED,
    horizon.BLOCK,
    customers.BLOCK,
    demand.ARRIVALS,
    channels.BLOCK,
    agents.BLOCK,
    demand.HANDLE_TIME,
    routing.BLOCK,
    bots.BLOCK,
    journeys.CONTEXT,
    journeys.RETRIAL,
    frustration.BLOCK,
    costs.BLOCK,
    shifts.BLOCK,
    variants.BLOCK,
)


def reading_order(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """``blocks`` in table order, except that each comes after the blocks it needs."""
    by_name = {block.name: block for block in blocks}
    order: dict[str, Block] = {}

    def visit(block: Block, chain: tuple[str, ...]) -> None:
        if block.name in order:
            return
        for need in block.needs:
            if need not in by_name or need in chain:
                raise ValueError(f"block {block.name!r} needs {need!r}, which cannot be read first")
            visit(by_name[need], (*chain, block.name))
        order[block.name] = block

    for block in blocks:
        visit(block, ())
    return tuple(order.values())


READING_ORDER = reading_order(BLOCKS)


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file; :class:`ScenarioError` lists every problem found."""
    text = yamlsrc.read_source(path)
    return load_scenario_text(text, str(path))


def load_scenario_text(text: str, source: str = "<string>") -> Scenario:
    """Load and validate scenario YAML given as text (``source`` names it in messages)."""
    tree = yamlsrc.parse(text, source)
    return build_scenario(tree, source)


def build_scenario(tree: Located, source: str) -> Scenario:
    """The Scenario from a located tree, or a :class:`ScenarioError` listing every problem."""
    if not tree.is_map:
        message = (
            "expected a mapping of blocks (scenario:, horizon:, arrivals:, ...) at the top level, "
            f"found {describe(tree)}"
        )
        raise ScenarioError([Problem(source, tree.line, tree.col, "", message, None)])
    reading = ReadContext(source, tree)
    given = read_fields(
        reading,
        tree,
        "",
        [block.name for block in BLOCKS],
        [block.name for block in BLOCKS if block.required],
        noun="block",
        bail=False,
        hints={block.name: block.example for block in BLOCKS if block.example},
    )
    values: dict[str, Any] = {}
    for block in READING_ORDER:
        value = _read_block(reading, given, block, values)
        check = _BOUNDS.get(block.name)
        if value is not None and check is not None:
            value = check(reading, given.get(block.name), value, values)
        values[block.name] = value
    if reading.problems:
        raise ScenarioError(sorted(reading.problems, key=_file_order))
    # A block that is missing or broken always records a problem, so every block was read.
    assert all(value is not None for value in values.values())
    scenario_fields: dict[str, Any] = {}
    for block in BLOCKS:
        scenario_fields.update(block.scenario_fields(values[block.name]))
    scenario = Scenario(**scenario_fields, source=source)
    bounds.check_cells(reading, tree, scenario)
    if reading.problems:
        raise ScenarioError(reading.problems)
    return scenario


#: Resource limits checked on a block's value as soon as it is read (see
#: :mod:`~simulator.scenario.read.bounds`): ``check(reading, node, value, values so far)`` returns
#: the value, or None when it is refused (its problem recorded), so blocks needing it are skipped.
_BOUNDS: dict[str, Callable[[ReadContext, Located | None, Any, dict[str, Any]], Any]] = {
    "horizon": lambda reading, node, horizon, _: bounds.check_horizon(reading, node, horizon),
    "arrivals": lambda reading, node, arrivals, values: bounds.check_arrivals(
        reading, node, arrivals, values.get("horizon")
    ),
    "agents": lambda reading, node, agents, _: bounds.check_agents(reading, node, agents),
}


def _read_block(
    reading: ReadContext, given: Fields, block: Block, values: dict[str, Any]
) -> Any | None:
    """The value of ``block`` (None if it is broken, or required and missing: both reported)."""
    node = given.get(block.name)
    if node is None:
        if block.required:
            return None  # reported as missing
        if block.absent is not None:
            return block.absent()
    needed = [values[name] for name in block.needs]
    return reading.attempt(block.read, reading, node, block.name, *needed)


def _file_order(problem: Problem) -> tuple[float, float]:
    line = problem.line if problem.line is not None else math.inf
    return (line, problem.col if problem.col is not None else 0)
