"""How long ``cxsim schedule`` takes on a working week, and how far its cost is from the bound.

Issue #15 asks for a roster of a week of 48 half hours x 3 teams x 5 days found *and verified by
simulation* in under 5 minutes on 2 cores. This benchmark runs the whole pipeline of
``cxsim schedule`` (:func:`simulator.staffing.schedule.schedule_roster`) on such a week:

1. **plan**: the staffing search on each of the five weekdays (each a different volume, so
   each is searched);
2. **find**: the covering integer programme over every shift type of the week (HiGHS);
3. **verify**: the roster simulated as a five-day scenario, repaired where a target misses,
   and simulated again until every target holds.

The week (:data:`WEEK`) is a bank's: 24-hour days by half hour, open 07:00-22:00, a morning
and an afternoon peak, 4,000 customers on a Tuesday (Monday 15 % busier, Friday 8 % quieter),
three teams (general voice, billing disputes on the phone, chat with three at once); the rules
are what planners write: full-time 8 paid hours with two paid 15-minute breaks and an unpaid
lunch of 30 to 60 minutes, part-time 4 to 6 paid hours with one paid break, at most 40 % of
the hours part-time, 28 an hour.

Run: ``.venv/bin/python benchmarks/bench_roster.py`` (``--workers``, ``-n`` replications,
``--json``). It prints the wall-clock time of each step and in all, the cost against the
interval lower bound, and whether every target holds on the simulated week.
The rules step by quarter hours in half-hour intervals, so the programme requires each half
hour's heads in both of its quarter hours (a break or a start on the quarter hour is not half a
head); "as found" against "repaired" says what the simulation still found short.
``--programme-only`` times the integer programme alone on a bigger week of requirements
(peaks of 60, 25 and 14 heads) without simulating.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from itertools import pairwise
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.experiment.executor import open_executor  # noqa: E402
from simulator.scenario import load_scenario_text  # noqa: E402
from simulator.staffing import parse_targets  # noqa: E402
from simulator.staffing.roster import (  # noqa: E402
    BreakRule,
    Calendar,
    GroupPlan,
    PartTimeLimits,
    RosterProblem,
    ShiftRule,
    solve_roster,
)
from simulator.staffing.schedule import schedule_roster  # noqa: E402

TARGETS = ["service_level>=0.80", "abandon_rate<=0.05"]

#: Arrival weights per half hour of a 24-hour day: closed before 07:00 and after 22:00, a
#: morning peak at 10:30 and an afternoon one at 15:30.
PROFILE = [0] * 14 + [5, 6, 7, 10, 14, 18, 20, 20, 18, 15, 12, 10, 10, 12, 14, 16, 17, 17, 16]
PROFILE += [13, 11, 9, 7, 5, 5, 4, 4, 4, 4, 4] + [0] * 4

WEEK = f"""\
scenario: bench-roster-week
seed: 15
horizon: {{start: "00:00", end: "24:00", interval: 30m, days: 5, first_day: mon}}
customers:
  intents: {{billing_dispute: {{share: 0.3}}, general: {{share: 0.7}}}}
arrivals:
  daily_total: 4000
  profile: {PROFILE}
  first_channel: {{voice: 0.65, chat: 0.35}}
  by_day:
    mon: {{daily_total: 4600}}
    wed: {{daily_total: 3880}}
    thu: {{daily_total: 3920}}
    fri: {{daily_total: 3680}}
channels:
  voice: {{patience: {{exponential: {{mean: 446s}}}}, service_level: 20s}}
  chat: {{patience: {{exponential: {{mean: 4m}}}}, service_level: 60s}}
agents:
  voice_general: {{skills: [voice_general], count: 20, shrinkage: 0.3}}
  billing: {{skills: [billing], count: 20, shrinkage: 0.3}}
  chat_support: {{skills: [chat_support], count: 10, concurrency: 3, shrinkage: 0.25}}
handle_time:
  default: {{lognormal: {{mean: 185s, sd: 230s}}}}
  by_channel: {{chat: {{lognormal: {{mean: 8m, sd: 5m}}}}}}
  billing_dispute: {{voice: {{lognormal: {{mean: 6m, sd: 5m}}}}}}
routing:
  - {{when: {{channel: voice, intent: billing_dispute}}, to: billing}}
  - {{when: {{channel: voice}}, to: voice_general}}
  - {{when: {{channel: chat}}, to: chat_support}}
costs: {{agent_hour: 28}}
shifts:
  voice_general:
    types: &types
      full_time:
        paid: 8h
        starts: "07:00-13:00"
        start_step: 15m
        breaks:
          morning: {{length: 15m, within: 1h30m-3h}}
          lunch: {{length: 30m, up_to: 1h, within: 3h-5h, paid: false}}
          afternoon: {{length: 15m, within: 5h30m-7h30m}}
      part_time:
        paid: [4h, 5h, 6h]
        starts: "07:00-18:00"
        start_step: 30m
        breaks: {{rest: {{length: 15m, within: 1h30m-3h30m}}}}
        part_time: true
    part_time: {{max_hours_share: 0.4}}
    shrinkage: 0.24
  billing: {{types: *types, part_time: {{max_hours_share: 0.4}}, shrinkage: 0.24}}
  chat_support: {{types: *types, part_time: {{max_hours_share: 0.4}}, shrinkage: 0.19}}
"""


def schedule_week(replications: int, workers: int) -> dict[str, object]:
    """The whole ``cxsim schedule`` pipeline on :data:`WEEK`, timed step by step."""
    scenario = load_scenario_text(WEEK, "bench-roster-week.yaml")
    targets = parse_targets(TARGETS, list(scenario.agents))
    steps: dict[str, float] = {}
    marks = [("start", time.perf_counter())]

    def on_step(text: str) -> None:
        marks.append((text, time.perf_counter()))

    started, cpu = time.perf_counter(), time.process_time()
    with open_executor(workers) as executor:
        result = schedule_roster(
            scenario, targets, replications=replications, executor=executor, on_step=on_step
        )
    wall = time.perf_counter() - started
    marks.append(("end", time.perf_counter()))
    for (label, at), (_, until) in pairwise(marks):
        name = "plan" if label.startswith("planning") or label == "start" else label
        name = "verify" if label.startswith("simulating") else name
        steps[name] = steps.get(name, 0.0) + until - at
    roster = result.roster
    return {
        "week": "5 days x 48 half hours x 3 teams",
        "customers_a_week": round(sum(scenario.arrivals.rates) * 1800),
        "replications": replications,
        "workers": workers,
        "wall_s": round(wall, 1),
        "plan_s": round(steps.get("plan", 0.0), 1),
        "find_s": round(result.solve_s, 1),
        "verify_s": round(steps.get("verify", 0.0), 1),
        "process_cpu_s": round(time.process_time() - cpu, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "days_searched": len(result.week.searches),
        "simulations_of_the_roster": len(result.checks),
        "shifts_added_by_repair": sum(line.heads for line in result.repaired.added),
        "shifts": roster.heads,
        "solver_status": result.solved.status,
        "found_cost": round(result.solved.cost),
        "found_gap_pct": round(100 * (result.solved.cost / result.lower_bound - 1), 1),
        "cost": round(roster.cost),
        "lower_bound": round(result.lower_bound),
        "gap_pct": round(result.gap_pct, 1),
        "every_target_holds": result.met,
        "uncovered_intervals": len(roster.shortfalls()),
    }


def print_week(figures: dict[str, object]) -> None:
    print(
        f"week: {figures['week']}, {figures['customers_a_week']:,} customers, "
        f"{figures['replications']} replications, {figures['workers']} workers"
    )
    print(
        f"  found and verified in {figures['wall_s']:.1f} s wall clock (1-minute load average "
        f"{figures['load_average_1min']}): plan {figures['plan_s']:.1f} s "
        f"({figures['days_searched']} days searched), find {figures['find_s']:.1f} s "
        f"({figures['solver_status']}), verify {figures['verify_s']:.1f} s "
        f"({figures['simulations_of_the_roster']} simulation(s) of the roster, "
        f"{figures['shifts_added_by_repair']} shift(s) added by repair)"
    )
    print(
        f"  {figures['shifts']} shifts cost {figures['cost']:,} against the interval lower "
        f"bound {figures['lower_bound']:,}: gap {figures['gap_pct']:.1f} % "
        f"(as found, before repairs: {figures['found_cost']:,}, {figures['found_gap_pct']:.1f} %)"
    )
    verdict = "every target holds" if figures["every_target_holds"] else "a target MISSES"
    print(
        f"  on the simulated week {verdict}; uncovered intervals: {figures['uncovered_intervals']}"
    )


def requirement(peak: float, morning: float, evening_hour: float, scale: float) -> tuple[int, ...]:
    """Heads per half hour of a 24-hour day: two Gaussian peaks over a base, closed at night."""
    hours = np.arange(48) / 2 + 0.25
    curve = 0.25 + morning * np.exp(-(((hours - 10.5) / 1.8) ** 2))
    curve += 0.8 * np.exp(-(((hours - evening_hour) / 2.2) ** 2))
    heads = np.round(peak * scale * curve / curve.max()).astype(int)
    heads[(hours < 7) | (hours > 22)] = 0
    return tuple(int(h) for h in heads)


def programme_only() -> None:
    """The integer programme alone on a bigger week of given requirements."""
    hour = 3600
    days = ("mon", "tue", "wed", "thu", "fri")
    scale = {"mon": 1.15, "tue": 1.0, "wed": 0.97, "thu": 0.98, "fri": 0.92}
    teams = {"retail": (60, 1.0, 15.5), "business": (25, 1.0, 14.0), "collections": (14, 0.6, 18.0)}
    full_time = ShiftRule(
        "full-time",
        paid_lengths_s=(8 * hour,),
        start_windows=((7 * hour, 13 * hour),),
        start_step_s=900,
        breaks=(
            BreakRule("break", 900, int(1.5 * hour), 3 * hour),
            BreakRule("lunch", 1800, 3 * hour, 5 * hour, paid=False, max_duration_s=hour),
            BreakRule("break2", 900, int(5.5 * hour), int(7.5 * hour)),
        ),
        hourly_cost=28.0,
    )
    part_time = ShiftRule(
        "part-time",
        paid_lengths_s=(4 * hour, 5 * hour, 6 * hour),
        start_windows=((7 * hour, 18 * hour),),
        start_step_s=1800,
        breaks=(BreakRule("break", 900, int(1.5 * hour), int(3.5 * hour)),),
        hourly_cost=28.0,
        part_time=True,
    )
    calendar = Calendar(1800, 48, days, 0, (tuple(range(14, 44)),) * len(days))
    week = RosterProblem(
        calendar,
        tuple(
            GroupPlan(
                team,
                tuple(requirement(*shape, scale[day]) for day in days),
                (full_time, part_time),
                PartTimeLimits(max_hours_share=0.4),
            )
            for team, shape in teams.items()
        ),
    )
    started = time.perf_counter()
    roster = solve_roster(week, time_limit_s=120)
    seconds = time.perf_counter() - started
    short = roster.shortfalls()
    print(f"programme only: 5 days x 48 half hours x 3 teams, {roster.heads} shifts")
    print(
        f"  solved in {seconds:.1f} s wall ({roster.status}); cost {roster.cost:,.0f} against "
        f"the interval lower bound {roster.lower_bound:,.0f}: gap {roster.gap_pct:.1f} %"
    )
    print("  coverage >= requirement in every interval" if not short else f"  SHORT: {short[:5]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--replications", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--programme-only", action="store_true", help="no simulation")
    args = parser.parse_args()
    if args.programme_only:
        programme_only()
        return
    figures = schedule_week(args.replications, args.workers)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print_week(figures)


if __name__ == "__main__":
    main()
