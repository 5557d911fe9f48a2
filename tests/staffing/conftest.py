"""Searches shared by the staffing tests (each is run once per session: they simulate)."""

from __future__ import annotations

import pytest

from simulator.scenario import load_scenario_text
from simulator.staffing import parse_targets, search_staffing
from tests.staffing.scenario_texts import SMALL


@pytest.fixture(scope="session")
def small_result():
    scenario = load_scenario_text(SMALL, "small.yaml")
    targets = parse_targets(["service_level>=0.8", "abandon_rate<=0.05"], list(scenario.agents))
    return scenario, search_staffing(scenario, targets, replications=6, seed=2)
