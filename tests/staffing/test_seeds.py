"""Erlang starting points for a staffing search (simulator/staffing/seeds.py): the offered load
worked out from the scenario, and the fewest slots the Erlang models say meet a target."""

from __future__ import annotations

import pytest

from simulator.analytic import erlang_c_agents_for_service_level
from simulator.scenario import load_scenario_text
from simulator.staffing import parse_targets
from simulator.staffing.seeds import agents_for, erlang_slots, group_loads
from tests.staffing.scenario_texts import ERLANG


def test_the_load_of_a_single_skill_is_arrivals_times_handle_time():
    scenario = load_scenario_text(ERLANG)
    load = group_loads(scenario)["voice"]
    assert load.contacts == pytest.approx(1.0) and load.holding_s == pytest.approx(240.0)
    assert load.theta == 0.0  # nobody abandons
    erlangs = [rate * load.contacts * load.holding_s for rate in scenario.arrivals.rates]
    assert erlangs == pytest.approx([4.0, 10.0, 20.0])


@pytest.mark.parametrize("erlangs", [0.5, 4.0, 10.0, 20.0, 55.0])
def test_erlang_c_slots_are_the_closed_forms_answer(erlangs):
    targets = parse_targets(["service_level>=0.8"])
    lam, holding = erlangs / 240.0, 240.0
    expected = erlang_c_agents_for_service_level(lam, 1 / holding, 20.0, 0.8)
    assert erlang_slots(lam, holding, 0.0, targets, 20.0, "C") == expected


def test_abandonment_needs_fewer_slots_and_without_it_erlang_a_gives_no_seed():
    targets = parse_targets(["service_level>=0.8"])
    lam = 10.0 / 240.0
    with_c = erlang_slots(lam, 240.0, 0.0, targets, 20.0, "C")
    with_a = erlang_slots(lam, 240.0, 1 / 120.0, targets, 20.0, "A")
    assert with_a is not None and with_a < with_c  # 12 against 14 slots at 10 Erlangs
    assert erlang_slots(lam, 240.0, 0.0, targets, 20.0, "A") is None
    assert erlang_slots(0.0, 240.0, 0.0, targets, 20.0, "C") == 0  # no load, nobody needed


def test_agents_are_the_slots_divided_by_the_concurrency_rounded_up():
    assert agents_for(7, 3) == 3 and agents_for(6, 3) == 2 and agents_for(5, 1) == 5
    assert agents_for(None, 2) is None
