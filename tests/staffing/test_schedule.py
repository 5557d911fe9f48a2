"""cxsim schedule's pipeline: the roster meets every target when simulated, keeps every rule
of the shifts block, costs what it says against the per-interval plan, is repaired where a
simulation misses, and a week is planned day by day and rostered as a week."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import yaml

from simulator.scenario import load_scenario, load_scenario_text, load_variants_text
from simulator.staffing import parse_targets
from simulator.staffing.groups import group_seeds, prepare_groups
from simulator.staffing.plan import heads_for
from simulator.staffing.roster import repair, solve_roster
from simulator.staffing.rostered import rostered_scenario
from simulator.staffing.schedule import schedule_roster
from simulator.staffing.schedule_compare import comparison
from simulator.staffing.schedule_output import schedule_document, variant_yaml, write_outputs
from simulator.staffing.shift_rules import roster_problem, rostered_group
from simulator.staffing.verify import Verifier
from tests.paths import SCENARIOS
from tests.staffing.roster_checks import rule_violations
from tests.staffing.scenario_texts import SHIFT_DAY, SHIFT_WEEK

TARGETS = ["service_level>=0.8", "abandon_rate<=0.05"]


@pytest.fixture(scope="module")
def day():
    scenario = load_scenario_text(SHIFT_DAY, "day.yaml")
    targets = parse_targets(TARGETS, list(scenario.agents))
    return schedule_roster(scenario, targets, replications=6, seed=2)


def test_the_roster_meets_every_target_when_simulated(day):
    assert day.met and day.final.misses == []
    assert day.groups == ["chats", "phones"]
    for row in comparison(day):
        assert row.roster_kpis["service_level"].mean >= 0.8, row
        assert row.roster_kpis["abandon_rate"].mean <= 0.05, row


def test_the_roster_keeps_every_rule_and_covers_the_plan(day):
    assert rule_violations(day.scenario, day.roster) == []
    assert day.solved.shortfalls() == []
    breaks = {b.name for line in day.roster.lines for b in line.shift.breaks}
    assert breaks == {"rest", "lunch"}  # the rules' breaks are placed, not left out


def test_requirements_are_the_plans_agents_with_the_shrinkage_breaks_leave(day):
    plan = day.week.days[0].result
    phones = [row.required for row in plan.rows if row.group == "phones"]
    rostered = rostered_group(day.scenario, "phones")
    assert rostered.shrinkage == 0.25 and day.scenario.agents["phones"].shrinkage == 0.3
    assert day.week.requirements["phones"][0] == [heads_for(a, rostered) for a in phones]
    whole = day.scenario.agents["phones"]
    assert day.week.plan_heads["phones"][0] == [heads_for(a, whole) for a in phones]


def test_the_rostered_scenario_has_the_rosters_heads_at_work(day):
    scenario, roster = day.rostered, day.roster
    horizon = scenario.horizon
    for group in day.groups:
        coverage = roster.coverage(group, "day")
        schedule = scenario.agents[group]
        assert schedule.shrinkage == rostered_group(day.scenario, group).shrinkage
        # the time-average of the schedule over each interval is the roster's coverage
        for k, expected in enumerate(coverage):
            start = k * horizon.interval
            samples = [schedule.heads_at(start + s) for s in range(0, int(horizon.interval), 60)]
            assert np.mean(samples) == pytest.approx(expected), (group, k)


def test_cost_and_gap_against_the_per_interval_plan(day):
    roster = day.roster
    assert roster.cost == pytest.approx(sum(line.cost for line in roster.lines))
    # chats cost 26 an hour (their type's own rate), phones the scenario's 30
    assert {line.shift.hourly_cost for line in roster.lines if line.shift.group == "chats"} == {26}
    plan_hours = {g: sum(day.week.plan_heads[g][0]) * 0.5 for g in day.groups}
    assert day.lower_bound == pytest.approx(plan_hours["chats"] * 26 + plan_hours["phones"] * 30)
    assert day.gap_pct == pytest.approx(100 * (roster.cost / day.lower_bound - 1))
    assert 0 < day.gap_pct < 25
    rows = {row.group: row for row in comparison(day)}
    assert rows["phones"].plan_head_hours == pytest.approx(plan_hours["phones"])
    assert rows["phones"].paid_hours == pytest.approx(
        sum(
            line.heads * line.shift.paid_hours
            for line in roster.lines
            if line.shift.group == "phones"
        )
    )


def test_a_roster_that_misses_is_repaired_until_every_target_holds(day):
    scenario, targets = day.scenario, day.targets
    thin = {
        g: [[max(h - 3, 0) for h in needs] for needs in day.week.requirements[g]]
        for g in day.groups
    }
    short = solve_roster(roster_problem(scenario, thin))
    infos, _ = prepare_groups(scenario, targets, day.groups)
    verifier = Verifier(scenario, {g: infos[g] for g in day.groups}, targets, 2, 6)
    repaired = repair(short, verifier.misses, max_rounds=8)
    first = verifier.checks[0].misses
    assert first, "three heads short everywhere must miss somewhere"
    assert repaired.met and repaired.added
    assert repaired.roster.cost > short.cost
    # the shifts added cover intervals that missed
    missed = {k for _g, _d, k in first}
    for line in repaired.added:
        covered = {line.shift.first_interval + k for k, c in enumerate(line.shift.coverage) if c}
        assert covered & missed or len(verifier.checks) > 2
    assert rule_violations(scenario, repaired.roster) == []


def test_outputs_are_written_the_same_twice_and_read_back(day, tmp_path):
    first = [p.read_bytes() for p in write_outputs(day, tmp_path / "a")]
    second = [p.read_bytes() for p in write_outputs(day, tmp_path / "a")]
    assert first == second
    document = schedule_document(day)
    assert document["roster"]["gap_pct"] == pytest.approx(day.gap_pct)
    assert document["verification"]["met"] is True
    assert sum(row["heads"] for row in document["lines"]) == day.roster.heads
    rostered = load_scenario(tmp_path / "a" / "scenario.rostered.yaml")
    assert rostered.agents == day.rostered.agents
    assert (tmp_path / "a" / "coverage.png").read_bytes().startswith(b"\x89PNG")
    assert (
        (tmp_path / "a" / "roster.csv")
        .read_text()
        .startswith("group,day,shift,start,end,paid,breaks,heads,cost,added\n")
    )


def test_the_roster_variant_gives_the_rostered_schedules(day):
    overlay = yaml.safe_load(variant_yaml(day, "r.yaml"))["variants"]
    text = SHIFT_DAY + yaml.safe_dump({"variants": overlay})
    variant = load_variants_text(text, "day.yaml")["rostered"]
    for group in day.groups:
        assert variant.agents[group] == day.rostered.agents[group]


@pytest.fixture(scope="module")
def week():
    scenario = load_scenario_text(SHIFT_WEEK, "week.yaml")
    targets = parse_targets(TARGETS, list(scenario.agents))
    return schedule_roster(scenario, targets, replications=5, seed=3)


def test_a_week_is_planned_day_by_day_and_rostered_as_a_week(week):
    assert [d.name for d in week.week.days] == ["mon", "tue", "wed"]
    assert all(d.same_as is None for d in week.week.days)  # three different days
    mon, tue, wed = (sum(week.week.requirements["phones"][d]) for d in range(3))
    assert mon > tue > wed
    assert week.met, week.repaired.remaining
    assert rule_violations(week.scenario, week.roster) == []
    midweek = [line for line in week.roster.lines if line.shift.rule == "midweek"]
    assert {line.shift.day for line in midweek} == {"wed"} and sum(m.heads for m in midweek) >= 1
    days = week.rostered.agents["phones"].schedule
    assert (86400.0 + 6 * 3600, 0) in days  # Monday's shifts end with its day


def test_a_week_is_judged_day_by_day_on_the_customers_each_day_was_planned_with(week):
    """Each day of the week meets the very customers its plan met (the same offered contacts,
    interval by interval), so a repair answers the roster's shifts and breaks, not luck."""
    final = week.final.result
    per_day = week.scenario.horizon.intervals_per_day
    infos = week.infos["phones"]
    for d, plan in enumerate(week.week.days):
        rows = [row for row in plan.result.rows if row.group == "phones"]
        for k, row in enumerate(rows):
            offered = final.group("phones", infos.queues, d * per_day + k)["offered"].mean
            assert offered == row.kpis["offered"].mean, (plan.name, row.label)


def test_days_alike_are_searched_once():
    text = SHIFT_WEEK.replace(
        "    wed: {per_interval: [30, 40, 60, 70, 70, 60, 50, 60, 70, 60, 40, 30]}\n", ""
    ).replace("days: 3, first_day: mon", "days: 3, first_day: sun")
    scenario = load_scenario_text(text)
    targets = parse_targets(TARGETS, list(scenario.agents))
    result = schedule_roster(scenario, targets, ["chats"], replications=3, seed=1, max_rounds=1)
    assert [d.same_as for d in result.week.days] == [None, None, 0]  # sun, mon, tue = sun
    assert len(result.week.searches) == 2


def test_the_bundled_day_rosters_its_erlang_plan_within_every_rule():
    """The bundled shift rules, on requirements from Erlang A (no simulation): the programme
    keeps every rule and costs little more than the per-interval plan."""
    scenario = load_scenario(SCENARIOS / "capacity_review_day.yaml")
    targets = parse_targets(TARGETS, list(scenario.agents))
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


@pytest.mark.slow
def test_the_bundled_day_of_three_teams_gets_a_roster_that_meets_every_target_simulated():
    """Issue #15's bar, end to end on scenarios/capacity_review_day.yaml: planned, rostered,
    simulated (and repaired): every target holds in every interval of the simulated day, every
    rule of the shifts block holds, and the roster costs less than 10 % over the interval
    lower bound (2.3 % with the default 10 replications; 3 here to keep the suite quick)."""
    scenario = load_scenario(SCENARIOS / "capacity_review_day.yaml")
    targets = parse_targets(TARGETS, list(scenario.agents))
    result = schedule_roster(scenario, targets, replications=3)
    assert result.groups == ["billing", "chat_support", "voice_general"]
    assert result.met and result.final.misses == []
    assert rule_violations(scenario, result.roster) == []
    assert 0 <= result.gap_pct < 10
    for row in comparison(result):
        assert row.roster_kpis["service_level"].mean >= 0.8, row
        assert row.roster_kpis["abandon_rate"].mean <= 0.05, row
