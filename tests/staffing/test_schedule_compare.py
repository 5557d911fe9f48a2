"""The roster against the per-interval plan it was built from (simulator/staffing/
schedule_compare.py): cost, paid hours and the gap to the plan's head-hours."""

from __future__ import annotations

import pytest

from simulator.staffing.schedule_compare import comparison


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
