"""What the shift scheduler hands back: the roster, its lines, its cost against the bound.

A :class:`Roster` is a value: the problem it answers, the shifts worked with their heads, the
interval lower bound and the solver's status. It also keeps every candidate shift frame, so a
repair (:mod:`simulator.staffing.roster_repair`) can add shifts without regenerating them.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from simulator.staffing.roster_rules import RosterProblem
from simulator.staffing.roster_shifts import ShiftFrame, ShiftType
from simulator.units import format_clock, format_duration

#: A missed target: (group, day, interval of the day).
Miss = tuple[str, str, int]
#: Coverage below the requirement by less than this is rounding, not a shortfall.
TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class RosterLine:
    """Heads on one shift type."""

    shift: ShiftType
    heads: int

    @property
    def cost(self) -> float:
        return self.heads * self.shift.cost


@dataclass(frozen=True)
class Roster:
    """A solved roster: the shifts worked, their cost and how far it is from the lower bound.

    ``status`` is ``optimal`` (proved within the solve's ``mip_rel_gap`` of the best roster
    the rules allow), ``time limit`` (the best roster found in time) or ``repaired`` (shifts
    added by :func:`~simulator.staffing.roster_repair.repair`). ``solver_bound`` is what the
    solver proved no roster under these rules can beat. ``frames`` holds every candidate shift
    frame, for repairs.
    """

    problem: RosterProblem
    lines: tuple[RosterLine, ...]
    lower_bound: float
    status: str
    solver_bound: float
    frames: tuple[ShiftFrame, ...] = field(repr=False)

    @property
    def cost(self) -> float:
        return math.fsum(line.cost for line in self.lines)

    @property
    def gap_pct(self) -> float:
        """How much dearer the roster is than the interval lower bound, in %."""
        if self.lower_bound <= 0:
            return 0.0
        return 100 * (self.cost - self.lower_bound) / self.lower_bound

    @property
    def optimality_gap_pct(self) -> float:
        """How far the roster may be from the best one under the rules, in % of its cost."""
        cost = self.cost
        return 0.0 if cost <= 0 else max(100 * (cost - self.solver_bound) / cost, 0.0)

    @property
    def heads(self) -> int:
        return sum(line.heads for line in self.lines)

    def coverage(self, group: str, day: str) -> np.ndarray:
        """Heads on the phones per interval of a day."""
        cal = self.problem.calendar
        cal.day_index(day)
        total = np.zeros(cal.intervals_per_day)
        for line in self.lines:
            if line.shift.group == group and line.shift.day == day:
                total += line.heads * line.shift.coverage_vector(cal.intervals_per_day)
        return total

    def requirement(self, group: str, day: str) -> np.ndarray:
        day_index = self.problem.calendar.day_index(day)
        return np.array(self.problem.group(group).requirements[day_index], dtype=float)

    def shortfalls(self) -> list[Miss]:
        """Intervals with fewer heads on the phones than required (none for a solved roster)."""
        short = []
        for group in self.problem.groups:
            for day in self.problem.calendar.days:
                gap = self.requirement(group.name, day) - self.coverage(group.name, day)
                short.extend((group.name, day, int(i)) for i in np.flatnonzero(gap > TOLERANCE))
        return short

    def summary(self) -> str:
        """One line for a terminal: cost, lower bound, gap and status."""
        return (
            f"{self.heads} shifts, cost {self.cost:,.2f} against the interval lower bound "
            f"{self.lower_bound:,.2f} (+{self.gap_pct:.1f} %), {self.status}"
        )


def roster_lines(problem: RosterProblem, heads: Counter[ShiftType]) -> tuple[RosterLine, ...]:
    """Roster lines in a stable order: group, day (as in the problem), start, rule, end,
    breaks."""
    group_order = {g.name: i for i, g in enumerate(problem.groups)}
    day_order = {d: i for i, d in enumerate(problem.calendar.days)}

    def order(shift: ShiftType) -> tuple[object, ...]:
        breaks = tuple((b.start_s, b.end_s, b.name) for b in shift.breaks)
        where = (group_order[shift.group], day_order[shift.day])
        return (*where, shift.start_s, shift.rule, shift.end_s, shift.paid_s, breaks)

    return tuple(RosterLine(s, heads[s]) for s in sorted(heads, key=order) if heads[s] > 0)


def roster_rows(roster: Roster) -> list[dict[str, str | int | float]]:
    """The roster as table rows (what a roster CSV holds): one row per shift type worked."""
    return [
        {
            "group": line.shift.group,
            "day": line.shift.day,
            "shift": line.shift.rule,
            "start": format_clock(line.shift.start_s),
            "end": format_clock(line.shift.end_s),
            "paid": format_duration(line.shift.paid_s),
            "breaks": "; ".join(b.describe() for b in line.shift.breaks),
            "heads": line.heads,
            "cost": round(line.cost, 2),
        }
        for line in roster.lines
    ]
