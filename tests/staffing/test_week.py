"""Per-interval requirements for every day of a run (simulator/staffing/week.py): the plan's
agents with the shrinkage breaks leave, each day planned on its own, days alike searched once."""

from __future__ import annotations

from simulator.scenario import load_scenario_text
from simulator.staffing import parse_targets
from simulator.staffing.plan import heads_for
from simulator.staffing.schedule import schedule_roster
from simulator.staffing.shift_rules import rostered_group
from tests.staffing.roster_checks import rule_violations
from tests.staffing.scenario_texts import SCHEDULE_TARGETS, SHIFT_WEEK


def test_requirements_are_the_plans_agents_with_the_shrinkage_breaks_leave(day):
    plan = day.week.days[0].result
    phones = [row.required for row in plan.rows if row.group == "phones"]
    rostered = rostered_group(day.scenario, "phones")
    assert rostered.shrinkage == 0.25 and day.scenario.agents["phones"].shrinkage == 0.3
    assert day.week.requirements["phones"][0] == [heads_for(a, rostered) for a in phones]
    whole = day.scenario.agents["phones"]
    assert day.week.plan_heads["phones"][0] == [heads_for(a, whole) for a in phones]


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


def test_days_alike_are_searched_once():
    text = SHIFT_WEEK.replace(
        "    wed: {per_interval: [30, 40, 60, 70, 70, 60, 50, 60, 70, 60, 40, 30]}\n", ""
    ).replace("days: 3, first_day: mon", "days: 3, first_day: sun")
    scenario = load_scenario_text(text)
    targets = parse_targets(SCHEDULE_TARGETS, list(scenario.agents))
    result = schedule_roster(scenario, targets, ["chats"], replications=3, seed=1, max_rounds=1)
    assert [d.same_as for d in result.week.days] == [None, None, 0]  # sun, mon, tue = sun
    assert len(result.week.searches) == 2
