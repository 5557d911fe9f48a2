"""Every shift the rules allow, with its break placements kept apart.

A *shift frame* is one start x one paid length x one choice of unpaid break durations on one
day: when the head arrives, when they leave, what they are paid. Where its breaks go is a
separate choice. Listing every frame x placement as its own column (the textbook set-covering
model) multiplies the columns: an 8-hour shift with a morning break, a lunch and an afternoon
break has a hundred placements, and HiGHS needs tens of seconds per day to prove such a model
optimal. Following Aykin (1996, "Optimal shift scheduling with multiple break windows",
Management Science 42(4)), the programme instead has one variable per frame (the heads) and,
per break, one variable per placement (how many of those heads take it there), tied by "the
placements of a break add up to the frame's heads". Placements of different breaks are then
independent, which is only true if they cannot overlap: breaks whose windows overlap are
grouped into one *cluster* placed jointly (every non-overlapping combination), so any pairing
of the clusters' placements is a valid shift. The two models have the same integer solutions
and the same linear relaxation; this one is a fraction of the size.

A placement's *coverage* says, per interval, which fraction of the interval it keeps the agent
off the phones: a 15-minute break in a 30-minute interval takes 0.5. That is what reports show,
but the programme cannot cover with it: two heads starting at 08:45 would count as one head in
08:30-09:00 while the phones lack both for its first quarter. So each frame and placement also
has its *fine* coverage, per *slot*: the longest step every start, length and break of the
group's rules falls on (a quarter hour for rules on the quarter hour), and the programme
requires the interval's heads in every slot of it. Fractions let rules use
steps finer than the interval (starts on the quarter hour with half-hour intervals) without
rounding anybody's time away. Placements of a cluster that cover the same fractions (a
15-minute break at 10:00 or at 10:15) are the same to the programme: one option, which keeps
them all as ``alternatives`` (earliest first). The programme cannot tell them apart, but the
phones can: had every head taken the earliest, all of a half hour's breaks would fall in its
first quarter, a head or more short there and the last quarter full. So the heads given an
option take its alternatives in turn (:func:`simulator.staffing.roster_programme.solve_block`).

Checks that need the generated shifts live here too: a paid length whose breaks cannot be
placed, a rule with no shift inside the open hours, an interval with a requirement that no
shift covers. Each raises a :class:`RosterError` that says why.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from simulator.staffing.roster_rules import (
    BreakRule,
    Calendar,
    GroupPlan,
    RosterError,
    RosterProblem,
    ShiftRule,
)
from simulator.units import format_clock, format_duration

#: More joint placements than this for one cluster of breaks means the steps are too fine.
MAX_PLACEMENTS = 20_000


@dataclass(frozen=True, slots=True)
class PlacedBreak:
    """A break of one shift, at clock times."""

    name: str
    start_s: int
    end_s: int
    paid: bool

    def describe(self) -> str:
        """``lunch 12:00-12:30 unpaid``."""
        kind = "paid" if self.paid else "unpaid"
        return f"{self.name} {format_clock(self.start_s)}-{format_clock(self.end_s)} {kind}"


@dataclass(frozen=True, slots=True)
class BreakOption:
    """One placement of a cluster of breaks; ``off_phones[k]`` is the fraction of interval
    ``first_interval + k`` of its frame that these breaks take. ``alternatives`` are the
    placements that take the same fractions (``breaks`` first), interchangeable to the
    programme."""

    breaks: tuple[PlacedBreak, ...]
    off_phones: tuple[float, ...]
    alternatives: tuple[tuple[PlacedBreak, ...], ...] = ()
    #: The fraction of each slot of the frame's intervals these breaks take.
    fine_off: tuple[float, ...] = ()

    def alternative(self, turn: int) -> BreakOption:
        """The ``turn``-th head's placement: the alternatives in turn."""
        if len(self.alternatives) < 2:
            return self
        chosen = self.alternatives[turn % len(self.alternatives)]
        return BreakOption(chosen, self.off_phones, fine_off=self.fine_off)


@dataclass(frozen=True, slots=True)
class ShiftFrame:
    """A shift before its breaks are placed: a variable of the programme.

    ``span[k]`` is the fraction of interval ``first_interval + k`` inside the shift;
    ``clusters`` holds, per group of breaks that may collide, the distinct ways to place them.
    """

    group: str
    rule: str
    day: str
    start_s: int
    end_s: int
    paid_s: int
    hourly_cost: float
    part_time: bool
    first_interval: int
    span: tuple[float, ...]
    clusters: tuple[tuple[BreakOption, ...], ...]
    #: ``span`` per slot (:func:`slots_per_interval` of them in each interval).
    fine_span: tuple[float, ...] = ()

    @property
    def cost(self) -> float:
        """Cost of one head on this shift: paid hours x hourly cost."""
        return self.paid_s / 3600 * self.hourly_cost

    @property
    def paid_hours(self) -> float:
        return self.paid_s / 3600

    def with_breaks(self, options: Sequence[BreakOption]) -> ShiftType:
        """The shift worked with one placement per cluster."""
        coverage = np.array(self.span)
        for option in options:
            coverage -= option.off_phones
        breaks = sorted((b for option in options for b in option.breaks), key=lambda b: b.start_s)
        return ShiftType(
            group=self.group,
            rule=self.rule,
            day=self.day,
            start_s=self.start_s,
            end_s=self.end_s,
            paid_s=self.paid_s,
            breaks=tuple(breaks),
            first_interval=self.first_interval,
            coverage=tuple(float(c) for c in np.round(coverage, 9)),
            hourly_cost=self.hourly_cost,
            part_time=self.part_time,
        )

    def best_coverage(self) -> np.ndarray:
        """The most this shift can be on the phones in each interval it touches, each interval
        taken alone (its breaks placed elsewhere when they can be)."""
        best = np.array(self.span)
        for options in self.clusters:
            best -= np.min([o.off_phones for o in options], axis=0)
        return best


@dataclass(frozen=True, slots=True)
class ShiftType:
    """A shift as worked: frame and breaks. ``coverage[k]`` is the fraction of interval
    ``first_interval + k`` spent on the phones."""

    group: str
    rule: str
    day: str
    start_s: int
    end_s: int
    paid_s: int
    breaks: tuple[PlacedBreak, ...]
    first_interval: int
    coverage: tuple[float, ...]
    hourly_cost: float
    part_time: bool

    @property
    def cost(self) -> float:
        """Cost of one head on this shift: paid hours x hourly cost."""
        return self.paid_s / 3600 * self.hourly_cost

    @property
    def paid_hours(self) -> float:
        return self.paid_s / 3600

    def coverage_vector(self, intervals_per_day: int) -> np.ndarray:
        """On-phone fraction per interval of the day (zeros outside the shift)."""
        vector = np.zeros(intervals_per_day)
        vector[self.first_interval : self.first_interval + len(self.coverage)] = self.coverage
        return vector

    def describe(self) -> str:
        """``early mon 08:00-16:30 (8h paid)``."""
        span = f"{format_clock(self.start_s)}-{format_clock(self.end_s)}"
        return f"{self.rule} {self.day} {span} ({format_duration(self.paid_s)} paid)"


#: A break placed relative to the shift start: (rule, offset_s, duration_s).
_Relative = tuple[BreakRule, int, int]


@dataclass(frozen=True, slots=True)
class _Pattern:
    """Relative placements of a rule's breaks for one paid length and one set of durations."""

    span_s: int
    clusters: tuple[tuple[tuple[_Relative, ...], ...], ...]


def break_patterns(rule: ShiftRule, paid_s: int) -> list[_Pattern]:
    """Per choice of break durations, the clusters of a shift of this paid length and their
    joint placements (earliest first); a :class:`RosterError` when no choice fits."""
    breaks = rule.breaks_for(paid_s)
    patterns = []
    for durations in itertools.product(*(b.durations_s for b in breaks)):
        chosen = list(zip(breaks, durations, strict=True))
        span = paid_s + sum(d for b, d in chosen if not b.paid)
        clusters = [_joint_placements(rule, paid_s, span, c) for c in _clusters(chosen, span)]
        if all(clusters):
            patterns.append(_Pattern(span, tuple(tuple(c) for c in clusters)))
    if not patterns:
        raise RosterError(_why_breaks_cannot_fit(rule, paid_s), rule=rule.name)
    return patterns


def _clusters(
    chosen: list[tuple[BreakRule, int]], span_s: int
) -> list[list[tuple[BreakRule, int]]]:
    """Breaks grouped by overlapping windows (clipped to the shift), in window order."""
    ordered = sorted(chosen, key=lambda bd: bd[0].window_start_s)
    clusters: list[list[tuple[BreakRule, int]]] = []
    reach = 0
    for b, duration in ordered:
        end = min(b.window_end_s, span_s)
        if clusters and b.window_start_s < reach:
            clusters[-1].append((b, duration))
            reach = max(reach, end)
        else:
            clusters.append([(b, duration)])
            reach = end
    return clusters


def _joint_placements(
    rule: ShiftRule, paid_s: int, span_s: int, cluster: list[tuple[BreakRule, int]]
) -> list[tuple[_Relative, ...]]:
    options = [
        [
            (b, offset, d)
            for offset in range(b.window_start_s, min(b.window_end_s, span_s) - d + 1, b.step_s)
        ]
        for b, d in cluster
    ]
    if math.prod(len(o) for o in options) > MAX_PLACEMENTS:
        raise RosterError(
            f"shift rule {rule.name!r}: the breaks of a {format_duration(paid_s)} shift can be "
            f"placed in more than {MAX_PLACEMENTS:,} ways; use coarser break steps",
            rule=rule.name,
        )
    return [combo for combo in itertools.product(*options) if _apart(combo)]


def _apart(combo: Sequence[_Relative]) -> bool:
    """Whether no two breaks overlap."""
    ordered = sorted((offset, offset + duration) for _b, offset, duration in combo)
    return all(end <= nxt for (_s, end), (nxt, _e) in itertools.pairwise(ordered))


def _why_breaks_cannot_fit(rule: ShiftRule, paid_s: int) -> str:
    head = f"shift rule {rule.name!r}: the breaks cannot fit in a {format_duration(paid_s)} shift"
    breaks = rule.breaks_for(paid_s)
    longest_span = paid_s + sum(max(b.durations_s) for b in breaks if not b.paid)
    for b in breaks:
        if b.window_start_s + b.duration_s > longest_span:
            return (
                f"{head}: {b.describe()} ends after the shift does "
                f"({format_duration(longest_span)} long at most); drop that length or give the "
                f"break a min_length above {format_duration(paid_s)}"
            )
    listed = "; ".join(b.describe() for b in breaks)
    return f"{head}: the breaks overlap wherever they are placed ({listed}); widen their windows"


def _seconds_per_interval(
    segments: Sequence[tuple[int, int]], phase_s: int, interval_s: int, touched: int
) -> tuple[float, ...]:
    """Fraction of each of ``touched`` intervals inside the segments (relative seconds), when
    the shift starts ``phase_s`` into its first interval."""
    seconds = [0] * touched
    for start, end in segments:
        a, b = start + phase_s, end + phase_s
        while a < b:
            k = a // interval_s
            stop = min(b, (k + 1) * interval_s)
            seconds[k] += stop - a
            a = stop
    return tuple(s / interval_s for s in seconds)


def shift_frames(problem: RosterProblem) -> tuple[ShiftFrame, ...]:
    """Every shift frame of every group, day and rule, in a stable order (group, day, rule,
    start, paid length); raises :class:`RosterError` for rules that cannot be worked."""
    found: list[ShiftFrame] = []
    for group in problem.groups:
        by_rule = {r.name: list(_rule_frames(problem.calendar, group, r)) for r in group.rules}
        for rule in group.rules:
            if not by_rule[rule.name]:
                raise RosterError(
                    _why_no_shift(problem.calendar, group, rule), group=group.name, rule=rule.name
                )
        for day in problem.calendar.days:
            for rule in group.rules:
                found.extend(f for f in by_rule[rule.name] if f.day == day)
    return tuple(found)


def slots_per_interval(cal: Calendar, group: GroupPlan) -> int:
    """Slots per interval: the interval cut at the longest step on which every start, paid
    length, break window, placement and duration of the group's rules falls (at most 12)."""
    steps = [cal.interval_s]
    for rule in group.rules:
        steps += [rule.start_step_s, *rule.paid_lengths_s]
        steps += [earliest - cal.day_start_s for earliest, _latest in rule.start_windows]
        for pause in rule.breaks:
            steps += [pause.duration_s, pause.window_start_s, pause.step_s]
    slot = math.gcd(*(abs(s) for s in steps))
    slots = cal.interval_s // slot
    return slots if slots <= 12 else 1


def _rule_frames(cal: Calendar, group: GroupPlan, rule: ShiftRule) -> Iterator[ShiftFrame]:
    patterns = {paid: break_patterns(rule, paid) for paid in rule.paid_lengths_s}
    slots = slots_per_interval(cal, group)
    for day_index, day in enumerate(cal.days):
        if not rule.works_on(day):
            continue
        for start in rule.starts_s():
            offset = start - cal.day_start_s
            if offset < 0:
                continue
            first, phase = divmod(offset, cal.interval_s)
            for paid in rule.paid_lengths_s:
                for pattern in patterns[paid]:
                    touched = -(-(phase + pattern.span_s) // cal.interval_s)
                    if all(cal.is_open(day_index, k) for k in range(first, first + touched)):
                        yield _frame(cal, group, rule, day, start, paid, pattern, slots)


def _frame(
    cal: Calendar,
    group: GroupPlan,
    rule: ShiftRule,
    day: str,
    start: int,
    paid: int,
    pattern: _Pattern,
    slots: int = 1,
) -> ShiftFrame:
    first, phase = divmod(start - cal.day_start_s, cal.interval_s)
    touched = -(-(phase + pattern.span_s) // cal.interval_s)
    slot_s = cal.interval_s // slots
    clusters = []
    for placements in pattern.clusters:
        distinct: dict[tuple[float, ...], list[tuple[PlacedBreak, ...]]] = {}
        for combo in placements:
            segments = sorted((offset, offset + duration) for _b, offset, duration in combo)
            fine = _seconds_per_interval(segments, phase, slot_s, touched * slots)
            placed = tuple(
                PlacedBreak(b.name, start + offset, start + offset + duration, b.paid)
                for b, offset, duration in sorted(combo, key=lambda item: item[1])
            )
            distinct.setdefault(fine, []).append(placed)
        clusters.append(
            tuple(
                BreakOption(
                    same[0],
                    _coarse(fine, slots),
                    tuple(same),
                    fine_off=fine,
                )
                for fine, same in distinct.items()
            )
        )
    return ShiftFrame(
        group=group.name,
        rule=rule.name,
        day=day,
        start_s=start,
        end_s=start + pattern.span_s,
        paid_s=paid,
        hourly_cost=rule.hourly_cost,
        part_time=rule.part_time,
        first_interval=first,
        span=_seconds_per_interval([(0, pattern.span_s)], phase, cal.interval_s, touched),
        clusters=tuple(clusters),
        fine_span=_seconds_per_interval([(0, pattern.span_s)], phase, slot_s, touched * slots),
    )


def _coarse(fine: tuple[float, ...], slots: int) -> tuple[float, ...]:
    """Per-slot fractions back to per-interval fractions (the mean of each interval's slots)."""
    return tuple(round(sum(fine[k : k + slots]) / slots, 12) for k in range(0, len(fine), slots))


def _why_no_shift(cal: Calendar, group: GroupPlan, rule: ShiftRule) -> str:
    starts = rule.starts_s()
    shortest = min(rule.paid_lengths_s)
    hours = f"{format_clock(cal.day_start_s)}-{format_clock(cal.day_end_s)}"
    return (
        f"shift rule {rule.name!r} of {group.name!r} has no shift inside the open hours "
        f"({hours}): it starts {format_clock(starts[0])}-{format_clock(starts[-1])} and its "
        f"shortest paid length is {format_duration(shortest)} (plus unpaid breaks)"
    )


def check_needs_are_covered(problem: RosterProblem, frames: Sequence[ShiftFrame]) -> None:
    """Raise a :class:`RosterError` for the first interval with a positive requirement that no
    shift covers, saying why (no rule on that day, before the earliest start, after the latest
    end, or only ever on a break)."""
    cal = problem.calendar
    for group in problem.groups:
        for day_index, day in enumerate(cal.days):
            day_frames = [f for f in frames if f.group == group.name and f.day == day]
            best = np.zeros(cal.intervals_per_day)
            for frame in day_frames:
                window = slice(frame.first_interval, frame.first_interval + len(frame.span))
                best[window] = np.maximum(best[window], frame.best_coverage())
            for interval, need in enumerate(group.requirements[day_index]):
                if need > 0 and best[interval] <= 1e-9:
                    why = _why_uncovered(cal, group, day_index, interval, day_frames)
                    message = (
                        f"group {group.name!r} needs {need} heads in "
                        f"{cal.label(day_index, interval)} but no shift covers it: {why}"
                    )
                    raise RosterError(message, group=group.name, day=day)


def _why_uncovered(
    cal: Calendar, group: GroupPlan, day_index: int, interval: int, frames: list[ShiftFrame]
) -> str:
    day = cal.days[day_index]
    if not frames:
        return f"no shift rule of {group.name!r} works on {day}"
    start, end = cal.clock_of(interval), cal.clock_of(interval) + cal.interval_s
    earliest = min(frames, key=lambda f: f.start_s)
    latest = max(frames, key=lambda f: f.end_s)
    if end <= earliest.start_s:
        return f"the earliest shift starts at {format_clock(earliest.start_s)} ({earliest.rule!r})"
    if start >= latest.end_s:
        return f"the latest shift ends at {format_clock(latest.end_s)} ({latest.rule!r})"
    if any(f.start_s < end and f.end_s > start for f in frames):
        return "every shift that spans it is on a break then"
    before = max((f.end_s for f in frames if f.end_s <= start), default=cal.day_start_s)
    after = min((f.start_s for f in frames if f.start_s >= end), default=cal.day_end_s)
    return (
        f"no shift spans it: the shifts before it end by {format_clock(before)}, "
        f"the ones after it start from {format_clock(after)}"
    )
