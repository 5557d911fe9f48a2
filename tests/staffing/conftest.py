"""Searches and schedules shared by the staffing tests (each is run once per session: they
simulate)."""

from __future__ import annotations

import pytest

from simulator.scenario import load_scenario_text
from simulator.staffing import parse_targets, search_staffing
from simulator.staffing.schedule import schedule_roster
from tests.staffing.scenario_texts import SCHEDULE_TARGETS, SHIFT_DAY, SHIFT_WEEK, SMALL


@pytest.fixture(scope="session")
def small_result():
    scenario = load_scenario_text(SMALL, "small.yaml")
    targets = parse_targets(["service_level>=0.8", "abandon_rate<=0.05"], list(scenario.agents))
    return scenario, search_staffing(scenario, targets, replications=6, seed=2)


@pytest.fixture(scope="session")
def day():
    """SHIFT_DAY planned, rostered, simulated and repaired by cxsim schedule's pipeline."""
    scenario = load_scenario_text(SHIFT_DAY, "day.yaml")
    targets = parse_targets(SCHEDULE_TARGETS, list(scenario.agents))
    return schedule_roster(scenario, targets, replications=6, seed=2)


@pytest.fixture(scope="session")
def week():
    """SHIFT_WEEK (three different weekdays) through the same pipeline."""
    scenario = load_scenario_text(SHIFT_WEEK, "week.yaml")
    targets = parse_targets(SCHEDULE_TARGETS, list(scenario.agents))
    return schedule_roster(scenario, targets, replications=5, seed=3)
