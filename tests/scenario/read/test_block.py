"""A top-level block of the language (simulator/scenario/read/block.py): where its value goes in
the Scenario, every field filled by one block. The loader's table of blocks is tested in
tests/scenario/test_load.py."""

from __future__ import annotations

import dataclasses
from collections import Counter

from simulator.scenario.load import BLOCKS
from simulator.scenario.read.block import Block
from simulator.scenario.read.values import read_text
from simulator.scenario.schema import Scenario


def test_a_block_fills_the_field_named_like_it_unless_it_says_otherwise():
    plain = Block("description", read_text, {})
    assert plain.scenario_fields("busy day") == {"description": "busy day"}
    split = Block("customers", read_text, {}, into=lambda v: {"segments": v[0], "intents": v[1]})
    assert split.scenario_fields(("s", "i")) == {"segments": "s", "intents": "i"}


def test_every_field_of_a_scenario_but_its_source_is_filled_by_exactly_one_block():
    """So a new field without a block (or two blocks writing one field) cannot slip in."""
    filled: Counter[str] = Counter()
    for block in BLOCKS:  # the fields do not depend on the value: ask with its default or None
        filled.update(list(block.scenario_fields(block.absent() if block.absent else None)))
    fields = {f.name for f in dataclasses.fields(Scenario)} - {"source"}
    assert set(filled) == fields
    assert all(count == 1 for count in filled.values()), filled
