"""The roster against the per-interval plan it was built from, group by group and day by day.

The per-interval plan (``cxsim staff``'s answer) is what a center would need if people could
work single intervals; the roster is what people can work. For each rostered group and day
this module sets side by side: the plan's scheduled head-hours and their cost at the group's
hourly rate, the roster's paid hours and cost, the hours it has people at work (off breaks),
and the KPIs each achieved on its own simulated days (the day's counts summed, so a day's
service level is answered within the threshold over offered, all day).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from simulator.experiment.days import distribution
from simulator.experiment.stats import Estimate
from simulator.staffing.schedule import ScheduleResult

#: The day KPIs compared.
DAY_KPIS = ("service_level", "abandon_rate", "asa_s", "occupancy")


@dataclass
class GroupDay:
    """One rostered group on one day: the plan and the roster side by side."""

    group: str
    day: str
    plan_head_hours: float
    plan_cost: float
    paid_hours: float
    cost: float
    at_work_hours: float
    plan_kpis: dict[str, Estimate] | None
    roster_kpis: dict[str, Estimate] | None
    misses: int


def comparison(result: ScheduleResult) -> list[GroupDay]:
    """One :class:`GroupDay` per rostered group and day, groups in scenario order."""
    scenario, roster = result.scenario, result.roster
    calendar = roster.problem.calendar
    hours = calendar.interval_s / 3600
    per_day = calendar.intervals_per_day
    final = result.final
    rows = []
    for group in result.groups:
        rate = scenario.costs.hourly(group) or 1.0
        info = result.infos[group]
        for d, day in enumerate(calendar.days):
            plan_heads = sum(result.week.plan_heads[group][d]) * hours
            lines = [ln for ln in roster.lines if ln.shift.group == group and ln.shift.day == day]
            judged = [final.offset + d * per_day + k for k in range(per_day)]
            planned = result.week.days[d].result
            plan_kpis = None
            if planned is not None and group in planned.runs:
                run, offset = planned.runs[group]
                plan_kpis = run.day(group, info.queues, [offset + k for k in range(per_day)])
            roster_kpis = final.result.day(group, info.queues, judged)
            rows.append(
                GroupDay(
                    group=group,
                    day=day,
                    plan_head_hours=plan_heads,
                    plan_cost=plan_heads * rate,
                    paid_hours=math.fsum(ln.heads * ln.shift.paid_hours for ln in lines),
                    cost=math.fsum(ln.cost for ln in lines),
                    at_work_hours=float(roster.coverage(group, day).sum()) * hours,
                    plan_kpis=plan_kpis,
                    roster_kpis=roster_kpis if roster_kpis["offered"].mean > 0 else None,
                    misses=sum(
                        1 for g, miss_day, _k in final.misses if (g, miss_day) == (group, day)
                    ),
                )
            )
    return rows


def roster_spread(result: ScheduleResult) -> dict[str, dict[str, dict[str, Any]]]:
    """Per rostered group and calendar day, the spread across the simulated days of the
    roster's day KPIs (percentiles: how a bad day looks)."""
    final, calendar = result.final, result.roster.problem.calendar
    per_day = calendar.intervals_per_day
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for group in result.groups:
        info = result.infos[group]
        out[group] = {}
        for d, day in enumerate(calendar.days):
            judged = [final.offset + d * per_day + k for k in range(per_day)]
            out[group][day] = {
                kpi: distribution(final.result.day_values(group, info.queues, judged, kpi))
                for kpi in ("offered", *DAY_KPIS)
            }
    return out
