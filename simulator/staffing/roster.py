"""Shifts with breaks from per-interval requirements: a covering integer programme.

``cxsim staff`` says how many heads each interval needs; nobody can work a single interval.
:func:`solve_roster` finds the cheapest roster of *workable* shifts that puts at least that
many heads on the phones in every interval::

    minimise    sum_f cost_f x_f                       (x_f: heads on shift frame f, whole)
    subject to  on-phone heads_i >= need_i             for every interval i
                sum_o y_fbo = x_f                      (y_fbo: heads of f taking break b at o)
                min_heads_r <= sum_{f in r} x_f <= max_heads_r   per rule r and day
                part-time heads and share of paid hours within their limits, per day

One module per step:

* :mod:`~simulator.staffing.roster_rules`: the inputs (calendar, requirements, shift rules),
  frozen and checked;
* :mod:`~simulator.staffing.roster_shifts`: every shift frame and break placement the rules
  allow, and the errors that need them (breaks that cannot fit, intervals nobody covers);
* :mod:`~simulator.staffing.roster_programme`: the programme of one group-day, solved with
  HiGHS through :func:`scipy.optimize.milp`, and why it is infeasible when it is;
* :mod:`~simulator.staffing.roster_result`: the :class:`Roster` and its table rows;
* :mod:`~simulator.staffing.roster_repair`: adding shifts where a simulation misses a target.

Every constraint is about one group on one day, so the programme falls apart into independent
blocks, solved one after the other: small programmes solve much faster than one with the blocks
side by side, and an infeasible block can be named. The default ``mip_rel_gap`` of 1 % stops
each block once the solver has proved its roster within 1 % of the best one: closing the last
fraction of a percent can take HiGHS minutes on a team of twenty and changes nothing a planner
would notice (``benchmarks/bench_roster.py``).

The cost is reported against the *interval lower bound*: the requirement hours priced at the
cheapest hourly cost, what a per-interval plan would cost if people could work single intervals.
Paid breaks and the shape of the shifts make a real roster dearer; the gap says by how much.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict

from simulator.staffing.roster_programme import solve_block
from simulator.staffing.roster_repair import RepairResult, repair
from simulator.staffing.roster_result import Miss, Roster, RosterLine, roster_lines, roster_rows
from simulator.staffing.roster_rules import (
    BreakRule,
    Calendar,
    GroupPlan,
    PartTimeLimits,
    RosterError,
    RosterProblem,
    ShiftRule,
)
from simulator.staffing.roster_shifts import (
    PlacedBreak,
    ShiftFrame,
    ShiftType,
    check_needs_are_covered,
    shift_frames,
)

__all__ = [
    "BreakRule",
    "Calendar",
    "GroupPlan",
    "Miss",
    "PartTimeLimits",
    "PlacedBreak",
    "RepairResult",
    "Roster",
    "RosterError",
    "RosterLine",
    "RosterProblem",
    "ShiftFrame",
    "ShiftRule",
    "ShiftType",
    "interval_lower_bound",
    "repair",
    "roster_rows",
    "solve_roster",
]


def solve_roster(
    problem: RosterProblem,
    *,
    time_limit_s: float | None = None,
    mip_rel_gap: float = 0.01,
) -> Roster:
    """The cheapest roster that covers every requirement under the rules.

    ``time_limit_s`` bounds the whole solve (shared between the group-days still to solve);
    when it runs out the best roster found so far is returned with status ``time limit``.
    Raises :class:`RosterError` when a rule cannot be worked, an interval cannot be covered,
    the limits make a requirement impossible, or no roster is found in time.
    """
    frames = shift_frames(problem)
    check_needs_are_covered(problem, frames)
    deadline = None if time_limit_s is None else time.monotonic() + time_limit_s
    blocks = _blocks(problem, frames)
    heads: Counter[ShiftType] = Counter()
    statuses, bound = set(), 0.0
    for position, (group, day_index, columns) in enumerate(blocks):
        options: dict[str, float] = {"mip_rel_gap": mip_rel_gap}
        if deadline is not None:
            remaining = max(deadline - time.monotonic(), 0.0)
            options["time_limit"] = max(remaining / (len(blocks) - position), 0.01)
        solved = solve_block(problem.calendar, group, day_index, columns, options)
        heads.update(solved.heads)
        statuses.add(solved.status)
        bound += solved.bound
    return Roster(
        problem=problem,
        lines=roster_lines(problem, heads),
        lower_bound=interval_lower_bound(problem),
        status="time limit" if "time limit" in statuses else "optimal",
        solver_bound=bound,
        frames=frames,
    )


def interval_lower_bound(problem: RosterProblem) -> float:
    """Requirement hours priced at the cheapest hourly cost of the rules working that day:
    no roster can cost less, since every required head-interval is paid time."""
    cal = problem.calendar
    hours_per_interval = cal.interval_s / 3600
    total = []
    for group in problem.groups:
        for day_index, day in enumerate(cal.days):
            costs = [r.hourly_cost for r in group.rules if r.works_on(day)]
            need = sum(group.requirements[day_index])
            if need and costs:
                total.append(need * hours_per_interval * min(costs))
    return math.fsum(total)


def _blocks(
    problem: RosterProblem, frames: tuple[ShiftFrame, ...]
) -> list[tuple[GroupPlan, int, list[ShiftFrame]]]:
    """The group-days with something to solve: a requirement or a rule's minimum heads."""
    by_block: dict[tuple[str, str], list[ShiftFrame]] = defaultdict(list)
    for frame in frames:
        by_block[frame.group, frame.day].append(frame)
    blocks = []
    for group in problem.groups:
        for day_index, day in enumerate(problem.calendar.days):
            minimums = any(r.min_heads and r.works_on(day) for r in group.rules)
            if any(group.requirements[day_index]) or minimums:
                blocks.append((group, day_index, by_block[group.name, day]))
    return blocks
