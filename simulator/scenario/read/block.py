"""A top-level block of the scenario language, as the loader's table lists it.

Each block module of :mod:`simulator.scenario.read` ends with one :class:`Block` (or two, for a
pair of related blocks) saying everything the loader and the JSON Schema need to know about it:
its reader, what it needs from other blocks, what it means when absent, where its value goes in
the :class:`~simulator.scenario.schema.Scenario`, and its schema for editors.
:data:`simulator.scenario.load.BLOCKS` lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Block:
    """One top-level block.

    ``read(reading, node, path, *needed)`` reads the block's node; ``needed`` are the values of
    the blocks named in ``needs``, in that order, each None when that block is broken (its
    problem is already recorded, so a reader that cannot go on without it raises
    :class:`~simulator.scenario.read.context.Invalid` silently). A required block that is missing
    is reported with ``example`` as the hint. An optional block that is missing takes the value
    ``absent()``, or, without ``absent``, is read with node None (routing's default rules).
    ``into(value)`` names the :class:`~simulator.scenario.schema.Scenario` fields the value fills
    (default: the field named like the block). ``schema`` is the block's JSON Schema, with a
    description.
    """

    name: str
    read: Callable[..., Any]
    schema: Mapping[str, Any]
    required: bool = False
    example: str | None = None
    needs: tuple[str, ...] = ()
    absent: Callable[[], Any] | None = None
    into: Callable[[Any], Mapping[str, Any]] | None = None

    def scenario_fields(self, value: Any) -> Mapping[str, Any]:
        """The Scenario fields (name -> value) this block's value fills."""
        return {self.name: value} if self.into is None else self.into(value)
