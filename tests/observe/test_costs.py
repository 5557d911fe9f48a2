"""Money per run: the operating cost (agents on scheduled hours, overtime, bot sessions, platform)
and the customer value at risk (churn above each segment's base, word of mouth), never added."""

from __future__ import annotations

import dataclasses
import math

import pytest

from simulator.experiment.replication import run_replication
from simulator.observe.costs import excess_churn, run_costs, scheduled_head_seconds
from simulator.observe.journey import JourneyCell
from simulator.scenario import load_scenario, load_scenario_text
from simulator.scenario.schema import Costs, frozen_map
from tests.paths import ROOT


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
    costs = run_replication(scenario, 0)["costs"]
    assert costs["agents"] == pytest.approx(expected)
    assert costs["operating"] == pytest.approx(expected)  # no bots, no platform


def test_operating_cost_and_value_at_risk_add_up_separately():
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
    kpis = run_replication(scenario, 0)
    costs, journey = kpis["costs"], kpis["journey"]
    sessions = sum(bot["sessions"] for bot in kpis["bots"].values())
    assert costs["bots"] == pytest.approx(0.4 * sessions)
    assert costs["platform"] == 500
    parts = costs["agents"] + costs["overtime"] + costs["bots"] + costs["platform"]
    assert costs["operating"] == pytest.approx(parts)
    assert costs["operating_per_resolved_customer"] == pytest.approx(
        costs["operating"] / journey["resolved"]
    )
    # Value at risk: only the churn above the segments' base (1 % for everyone here), priced.
    finished = journey["resolved"] + journey["gave_up"]
    above = 600 * (journey["churn_rate"] - 0.01) * finished
    assert costs["churn_above_base"] == pytest.approx(above)
    assert 0 < costs["churn_above_base"] < 600 * journey["churn_rate"] * finished
    assert costs["word_of_mouth"] == pytest.approx(0.5 * journey["word_of_mouth_reach"])
    assert costs["value_at_risk"] == costs["churn_above_base"] + costs["word_of_mouth"]
    assert "total" not in costs  # the two sums are never added


def test_perfectly_served_customers_put_no_value_at_risk():
    """Base churn is what a calm customer has anyway: no journey caused it."""
    text = (ROOT / "scenarios" / "single_queue.yaml").read_text()
    # Ample agents (nobody waits) and time for the last customers to finish.
    ample = load_scenario_text(
        text.replace("count: 100", "count: 400").replace("drain: 0s", "drain: 30m")
    )
    scenario = dataclasses.replace(ample, costs=Costs(lifetime_value=1000.0))
    kpis = run_replication(scenario, 0)
    assert kpis["overall"]["abandoned"] == 0 and kpis["journey"]["resolution_rate"] == 1.0
    assert kpis["journey"]["churn_rate"] > 0  # each segment's base churn ...
    assert kpis["costs"]["churn_above_base"] == 0.0  # ... is not value at risk
    assert kpis["costs"]["value_at_risk"] == 0.0


def test_excess_churn_is_churn_above_the_base_of_each_customer():
    cell = JourneyCell(churn=0.75, excess_churn=0.25)
    assert excess_churn(cell) == 0.25
    assert excess_churn(JourneyCell()) == 0.0


def test_a_scenario_without_costs_costs_nothing():
    kpis = run_replication(load_scenario(ROOT / "scenarios" / "social_first_brand.yaml"), 0)
    assert kpis["costs"]["operating"] == 0.0 and kpis["costs"]["value_at_risk"] == 0.0


def test_scheduled_head_seconds_clip_the_schedule_to_the_horizon():
    # 2 heads from 0, 5 from 1 h, 1 from 3 h; a 2 h horizon pays 2 h x 1 + 5 h x 1 only.
    schedule = ((0.0, 2), (3600.0, 5), (3 * 3600.0, 1))
    assert scheduled_head_seconds(schedule, 2 * 3600.0) == (2 + 5) * 3600.0
    assert scheduled_head_seconds(schedule, 4 * 3600.0) == (2 + 5 * 2 + 1) * 3600.0
    assert scheduled_head_seconds(((0.0, 3),), 0.0) == 0.0


def test_run_costs_price_counted_customers_and_divide_by_the_resolved():
    scenario = _with_costs(
        "retail_bank_siloed.yaml",
        Costs(agent_hour=20.0, bot_session=0.5, lifetime_value=100.0, word_of_mouth_value=3.0),
    )
    journeys = JourneyCell(resolved=4, churn=0.25, excess_churn=0.2, reach=10.0)
    costs = run_costs(scenario.costs, scenario.agents.values(), 3600.0, 6, journeys)
    heads = sum(scheduled_head_seconds(g.schedule, 3600.0) for g in scenario.agents.values())
    assert costs["agents"] == pytest.approx(20.0 * heads / 3600.0)
    assert costs["bots"] == 3.0
    assert costs["operating"] == pytest.approx(costs["agents"] + 3.0)
    assert costs["operating_per_resolved_customer"] == pytest.approx(costs["operating"] / 4)
    assert (costs["churn_above_base"], costs["word_of_mouth"]) == pytest.approx((20.0, 30.0))
    assert costs["value_at_risk"] == pytest.approx(50.0)
    nobody = run_costs(scenario.costs, (), 3600.0, 0, JourneyCell())
    assert nobody["operating"] == 0.0 and nobody["value_at_risk"] == 0.0
    assert math.isnan(nobody["operating_per_resolved_customer"])
