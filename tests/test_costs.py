"""Costs per run: agents on scheduled hours, bot sessions, platform, churn and word of mouth."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from simulator.model.world import World
from simulator.scenario import load_scenario
from simulator.scenario.schema import Costs, frozen_map

ROOT = Path(__file__).resolve().parent.parent


def _with_costs(name: str, costs: Costs):
    return dataclasses.replace(load_scenario(ROOT / "scenarios" / name), costs=costs)


def test_agents_are_paid_for_scheduled_hours_shrinkage_included():
    scenario = _with_costs(
        "retail_bank_siloed.yaml",
        Costs(agent_hour=30.0, agent_hour_by_group=frozen_map({"billing": 40.0})),
    )
    expected = 0.0
    for group in scenario.agents.values():
        steps = [*group.schedule, (scenario.horizon.duration, 0)]
        hours = sum(h * (steps[k + 1][0] - t) for k, (t, h) in enumerate(group.schedule)) / 3600
        expected += (40.0 if group.name == "billing" else 30.0) * hours
    costs = World(scenario, 0).run().kpis()["costs"]
    assert costs["agents"] == pytest.approx(expected)
    assert costs["operating"] == pytest.approx(expected)  # no bots, no platform


def test_bots_churn_word_of_mouth_and_totals_add_up():
    scenario = _with_costs(
        "ecommerce_ai_bot.yaml",
        Costs(
            agent_hour=28,
            bot_session=0.4,
            platform_per_day=500,
            lifetime_value=600,
            word_of_mouth_value=0.5,
        ),
    )
    kpis = World(scenario, 0).run().kpis()
    costs, journey = kpis["costs"], kpis["journey"]
    sessions = sum(bot["sessions"] for bot in kpis["bots"].values())
    finished = journey["resolved"] + journey["gave_up"]
    assert costs["bots"] == pytest.approx(0.4 * sessions)
    assert costs["platform"] == 500
    assert costs["churn"] == pytest.approx(600 * journey["churn_rate"] * finished)
    assert costs["word_of_mouth"] == pytest.approx(0.5 * journey["word_of_mouth_reach"])
    parts = costs["agents"] + costs["bots"] + costs["platform"]
    assert costs["operating"] == pytest.approx(parts)
    assert costs["total"] == pytest.approx(parts + costs["churn"] + costs["word_of_mouth"])
    assert costs["per_resolved_customer"] == pytest.approx(costs["total"] / journey["resolved"])


def test_a_scenario_without_costs_costs_nothing():
    costs = World(load_scenario(ROOT / "scenarios" / "social_first_brand.yaml"), 0).run()
    assert costs.kpis()["costs"]["total"] == 0.0
