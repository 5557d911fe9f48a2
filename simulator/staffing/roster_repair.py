"""Repairing a roster that misses targets once simulated: add the cheapest covering shifts.

The requirements a roster covers came from a model; a simulation of the roster can still miss
a target in some intervals (queues carry over, breaks bunch up). :func:`repair` asks a callback
which intervals miss, adds shifts that put one more head on the phones there, and asks again.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from simulator.staffing.roster_result import TOLERANCE, Miss, Roster, RosterLine, roster_lines
from simulator.staffing.roster_rules import GroupPlan, RosterError, RosterProblem
from simulator.staffing.roster_shifts import BreakOption, ShiftFrame, ShiftType


@dataclass(frozen=True)
class RepairResult:
    """What :func:`repair` did: the roster it ended with, how many times it asked for misses,
    the heads it added, and the misses left (empty: every target holds) or found no shift for."""

    roster: Roster
    rounds: int
    added: tuple[RosterLine, ...]
    remaining: frozenset[Miss]
    unrepairable: frozenset[Miss]

    @property
    def met(self) -> bool:
        return not self.remaining


def repair(
    roster: Roster,
    misses: Callable[[Roster], Iterable[Miss]],
    *,
    max_rounds: int = 10,
) -> RepairResult:
    """Add shifts until ``misses`` reports nothing, asking it at most ``max_rounds`` times.

    ``misses(roster)`` returns the ``(group, day, interval)`` that miss a target (for example
    by simulating the roster). Each round adds, per group and day, the shift with the lowest
    cost per missed interval it puts on the phones (its breaks placed away from the missed
    intervals when they can be), until every missed interval has one more head or no shift
    within the rules' max heads and part-time limits covers it; then it asks again. The roster
    returned is always the one last checked.
    """
    if max_rounds < 1:
        raise RosterError(f"repair needs at least one round, found max_rounds={max_rounds}")
    current, added = roster, Counter[ShiftType]()
    stuck: frozenset[Miss] = frozenset()
    missed: frozenset[Miss] = frozenset()
    rounds = 0
    while rounds < max_rounds:
        rounds += 1
        missed = _checked(roster.problem, misses(current))
        if not missed or rounds == max_rounds:
            break
        extra, stuck = _cheapest_cover(current, missed)
        if not extra:
            break
        added.update(extra)
        current = _with_added(current, extra)
    return RepairResult(
        roster=current,
        rounds=rounds,
        added=roster_lines(roster.problem, added),
        remaining=missed,
        unrepairable=stuck & missed,
    )


def _checked(problem: RosterProblem, misses: Iterable[Miss]) -> frozenset[Miss]:
    cal, found = problem.calendar, frozenset(misses)
    for group, day, interval in found:
        problem.group(group)
        cal.day_index(day)
        if not 0 <= interval < cal.intervals_per_day:
            raise RosterError(f"missed interval {interval} of {day} is not an interval of the day")
    return found


def _cheapest_cover(
    roster: Roster, missed: frozenset[Miss]
) -> tuple[Counter[ShiftType], frozenset[Miss]]:
    """Heads to add so that each missed interval gets one more head; and the misses no allowed
    shift covers."""
    extra: Counter[ShiftType] = Counter()
    stuck: set[Miss] = set()
    by_block: dict[tuple[str, str], set[int]] = defaultdict(set)
    for group, day, interval in missed:
        by_block[group, day].add(interval)
    for (group_name, day), intervals in sorted(by_block.items()):
        frames = [f for f in roster.frames if f.group == group_name and f.day == day]
        group, left = roster.problem.group(group_name), set(intervals)
        while left:
            best = _best_shift(roster, group, frames, extra, left)
            if best is None:
                stuck.update((group_name, day, i) for i in left)
                break
            extra[best] += 1
            left -= {best.first_interval + k for k, c in enumerate(best.coverage) if c > 0}
    return extra, frozenset(stuck)


def _best_shift(
    roster: Roster,
    group: GroupPlan,
    frames: list[ShiftFrame],
    extra: Counter[ShiftType],
    left: set[int],
) -> ShiftType | None:
    """The allowed shift with the lowest cost per head-interval it adds to ``left``."""
    best, best_key = None, (math.inf, math.inf)
    for frame in frames:
        shift = frame.with_breaks([_away_from(options, frame, left) for options in frame.clusters])
        gain = sum(c for k, c in enumerate(shift.coverage) if shift.first_interval + k in left)
        if gain <= TOLERANCE or not _may_add(roster, group, extra, shift):
            continue
        key = (shift.cost / gain, shift.cost)
        if key < best_key:
            best, best_key = shift, key
    return best


def _away_from(options: tuple[BreakOption, ...], frame: ShiftFrame, left: set[int]) -> BreakOption:
    """The placement that takes the least time off the phones in the intervals of ``left``."""

    def lost(option: BreakOption) -> float:
        return sum(
            off for k, off in enumerate(option.off_phones) if frame.first_interval + k in left
        )

    return min(options, key=lost)


def _may_add(roster: Roster, group: GroupPlan, extra: Counter[ShiftType], shift: ShiftType) -> bool:
    """Whether one more head on ``shift`` keeps its rule's max heads and the part-time limits."""
    worked = [(line.shift, line.heads) for line in roster.lines] + list(extra.items())
    on_day = [(s, n) for s, n in worked if s.group == group.name and s.day == shift.day]
    on_day.append((shift, 1))
    rule = group.rule(shift.rule)
    on_rule = sum(n for s, n in on_day if s.rule == rule.name)
    if rule.max_heads is not None and on_rule > rule.max_heads:
        return False
    limits = group.part_time
    if limits.max_heads is not None and sum(n for s, n in on_day if s.part_time) > limits.max_heads:
        return False
    if limits.max_hours_share is not None:
        part = sum(n * s.paid_hours for s, n in on_day if s.part_time)
        whole = sum(n * s.paid_hours for s, n in on_day)
        return part <= limits.max_hours_share * whole + TOLERANCE
    return True


def _with_added(roster: Roster, extra: Counter[ShiftType]) -> Roster:
    heads = Counter({line.shift: line.heads for line in roster.lines})
    heads.update(extra)
    return Roster(
        problem=roster.problem,
        lines=roster_lines(roster.problem, heads),
        lower_bound=roster.lower_bound,
        status="repaired",
        solver_bound=roster.solver_bound,
        frames=roster.frames,
    )
