"""From a scenario's shifts block to a roster problem (simulator/staffing/shift_rules.py): the
bundled rules, on requirements from Erlang A, give a roster within every rule."""

from __future__ import annotations

import dataclasses

from simulator.scenario import load_scenario
from simulator.staffing import parse_targets
from simulator.staffing.groups import group_seeds, prepare_groups
from simulator.staffing.plan import heads_for
from simulator.staffing.roster import solve_roster
from simulator.staffing.rostered import rostered_scenario
from simulator.staffing.shift_rules import roster_problem, rostered_group
from tests.paths import SCENARIOS
from tests.staffing.roster_checks import rule_violations
from tests.staffing.scenario_texts import SCHEDULE_TARGETS


def test_the_bundled_day_rosters_its_erlang_plan_within_every_rule():
    """The bundled shift rules, on requirements from Erlang A (no simulation): the programme
    keeps every rule and costs little more than the per-interval plan."""
    scenario = load_scenario(SCENARIOS / "capacity_review_day.yaml")
    targets = parse_targets(SCHEDULE_TARGETS, list(scenario.agents))
    infos, _ = prepare_groups(scenario, targets, None)
    agents = {g: group_seeds(scenario, infos[g])[2] for g in scenario.shifts}
    needs = {g: [[heads_for(a, rostered_group(scenario, g)) for a in agents[g]]] for g in agents}
    roster = solve_roster(roster_problem(scenario, needs))
    assert roster.shortfalls() == [] and rule_violations(scenario, roster) == []
    plan = {g: [[heads_for(a, scenario.agents[g]) for a in agents[g]]] for g in agents}
    plan_cost = sum(sum(plan[g][0]) * 0.25 * 32 for g in plan)
    assert roster.cost < 1.1 * plan_cost
    assert dataclasses.replace(roster, lines=()).cost == 0
    assert rostered_scenario(scenario, roster).agents["billing"].shrinkage == 0.24
