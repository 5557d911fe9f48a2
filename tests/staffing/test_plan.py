"""The plan: agents on the phones turned into scheduled heads with the engine's rounding."""

from __future__ import annotations

import dataclasses
import math

import pytest

from simulator.scenario import load_scenario_text
from simulator.staffing import heads_for
from tests.staffing.scenario_texts import ERLANG


@pytest.mark.parametrize("shrinkage", [0.0, 0.1, 0.25, 0.3, 0.35, 0.5])
def test_heads_are_the_fewest_the_engine_turns_into_the_agents_needed(shrinkage):
    group = dataclasses.replace(load_scenario_text(ERLANG).agents["voice"], shrinkage=shrinkage)
    for required in range(0, 60):
        heads = heads_for(required, group)
        assert group.on_phones(heads) >= required
        assert heads == 0 or group.on_phones(heads - 1) < required
        assert heads <= math.ceil(required / (1 - shrinkage) - 1e-9)
