"""The simulation-based staffing search.

The search is checked against the one case with a closed form: a single skill without
abandonment, where each interval's simulated requirement must agree with Erlang C within one
agent (the simulation starts each interval from the one before, so it can be one below the
steady state).
"""

from __future__ import annotations

import dataclasses

import pytest

from simulator.analytic import erlang_c_agents_for_service_level
from simulator.scenario import load_scenario_text
from simulator.staffing import TargetError, parse_targets, search_staffing
from simulator.staffing.output import recommended_heads
from tests.staffing.scenario_texts import ERLANG, SMALL


@pytest.fixture(scope="module")
def erlang_result():
    scenario = load_scenario_text(ERLANG)
    return scenario, search_staffing(
        scenario, parse_targets(["service_level>=0.80"]), replications=20, seed=1
    )


def test_simulated_requirement_agrees_with_erlang_c_within_one_agent(erlang_result):
    scenario, result = erlang_result
    mu = 1 / 240
    expected = [
        erlang_c_agents_for_service_level(rate, mu, 20.0, 0.8) for rate in scenario.arrivals.rates
    ]
    assert [row.erlang_c for row in result.rows] == expected
    assert [row.erlang_a for row in result.rows] == [None] * 3  # no patience: no Erlang A
    for row, erlang in zip(result.rows, expected, strict=True):
        assert abs(row.required - erlang) <= 1, (row.label, row.required, erlang)
        assert row.kpis["service_level"].mean >= 0.8
        assert not row.misses
    assert result.settled


def test_more_load_never_needs_fewer_agents(erlang_result):
    scenario, result = erlang_result
    required = [row.required for row in result.rows]
    assert required == sorted(required)  # the load rises from interval to interval
    busier = dataclasses.replace(
        scenario,
        arrivals=dataclasses.replace(
            scenario.arrivals, rates=tuple(1.5 * r for r in scenario.arrivals.rates)
        ),
    )
    more = search_staffing(busier, parse_targets(["service_level>=0.80"]), replications=20, seed=1)
    for low, high in zip(result.rows, more.rows, strict=True):
        assert high.required >= low.required


def test_every_interval_meets_the_targets_and_one_agent_less_would_not(small_result):
    scenario, result = small_result
    assert result.settled
    assert {row.group for row in result.rows} == {"phones", "chats"}
    assert all(not row.misses for row in result.rows)
    # Erlang A sits below Erlang C (some customers abandon and free the queue).
    assert all(row.erlang_a <= row.erlang_c for row in result.rows)
    # Heads are scheduled with shrinkage, cost is heads x hours x the hourly rate.
    for row in result.rows:
        group = scenario.agents[row.group]
        assert group.on_phones(row.heads) >= row.required
        assert row.cost == pytest.approx(row.heads * 0.5 * 30)
    # The recommended scenario schedules exactly those heads.
    heads = recommended_heads(result)
    for name, values in heads.items():
        schedule = result.recommended.agents[name]
        assert [schedule.heads_at(i * 1800.0) for i in range(4)] == values


def test_journey_targets_are_checked_per_interval_with_queue_targets():
    scenario = load_scenario_text(SMALL)
    targets = parse_targets(["service_level>=0.8", "journey.share_angry_or_worse<=0.5"])
    result = search_staffing(scenario, targets, replications=3, max_passes=2)
    for row in result.rows:
        share = row.kpis["journey.frustration.share_angry_or_worse"]
        assert 0.0 <= share.mean <= 0.5
    only_journey = parse_targets(["journey.share_angry_or_worse<=0.1"])
    with pytest.raises(TargetError, match="no queue target applies"):
        search_staffing(scenario, only_journey, replications=2)
