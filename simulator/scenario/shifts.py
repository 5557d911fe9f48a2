"""Shift rules per agent group (the ``shifts:`` block): what shifts a roster may use.

A planner cannot schedule an interval; people work shifts with breaks. ``shifts:`` says, per
agent group, which shift types exist: paid lengths, start windows and their step, breaks and
lunch with their placement windows, heads limits, cost per paid hour, part-time limits. The
scenario only holds the rules, checked where they are read; ``cxsim schedule``
(:mod:`simulator.staffing.schedule`) turns them into every shift they allow and picks the
cheapest roster.

Times: start windows are clock times (seconds after midnight, both ends allowed), break windows
count from the shift's start. Each rule keeps the line it was written on (``line``, not part of
its value), so a problem found when the roster is built can still point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Default step between two starts of a shift type, and between two placements of a break.
DEFAULT_STEP_S = 900.0


@dataclass(frozen=True, slots=True)
class BreakRule:
    """A break every shift of a type takes (those paid at least ``from_paid`` seconds).

    It lasts ``length`` seconds (or, with ``up_to``, any multiple of ``step`` from ``length``
    to ``up_to``) and lies wholly within ``within``, seconds after the shift starts, starting
    on a multiple of ``step`` from the window's start. A paid break counts in the paid length;
    an unpaid one (a lunch) makes the shift that much longer.
    """

    name: str
    length: float
    within: tuple[float, float]
    paid: bool = True
    up_to: float | None = None
    step: float = DEFAULT_STEP_S
    from_paid: float = 0.0
    line: int | None = field(default=None, compare=False)

    @property
    def longest(self) -> float:
        return self.length if self.up_to is None else self.up_to


@dataclass(frozen=True, slots=True)
class ShiftType:
    """One kind of shift a group may work (``early``, ``part_time`` ...).

    ``paid`` lists the paid lengths allowed (seconds); ``starts`` the start windows (clock
    seconds, both ends included) walked in steps of ``start_step``. ``min_heads`` and
    ``max_heads`` bound the heads on this type on one day; ``days`` are the weekdays it is
    worked (0 is Monday; None: every day). ``agent_hour`` prices a paid hour (None: the
    group's rate in ``costs``).
    """

    name: str
    paid: tuple[float, ...]
    starts: tuple[tuple[float, float], ...]
    start_step: float = DEFAULT_STEP_S
    breaks: tuple[BreakRule, ...] = ()
    agent_hour: float | None = None
    min_heads: int = 0
    max_heads: int | None = None
    days: tuple[int, ...] | None = None
    part_time: bool = False
    line: int | None = field(default=None, compare=False)

    def longest_span(self, paid: float) -> float:
        """The longest a shift of this paid length can last: paid time plus its unpaid
        breaks at their longest."""
        return paid + sum(b.longest for b in self.breaks if not b.paid and paid >= b.from_paid)

    def shortest_span(self) -> float:
        """The shortest a shift of this type can last."""
        return min(
            paid + sum(b.length for b in self.breaks if not b.paid and paid >= b.from_paid)
            for paid in self.paid
        )


@dataclass(frozen=True, slots=True)
class GroupShifts:
    """The shift types of one agent group, its part-time limits per day (at most
    ``part_time_max_heads`` heads on part-time types, at most ``part_time_max_hours_share`` of
    the paid hours), and its shrinkage once breaks are rostered.

    A group's ``shrinkage`` (agents block) counts every reason a paid head is not on the
    phones, breaks included: what a per-interval plan must add. A roster places its breaks
    explicitly, so only the rest (absence, training, meetings) still applies: ``shrinkage``
    here, None meaning the group's own (the breaks then come on top of it).
    """

    group: str
    types: tuple[ShiftType, ...]
    part_time_max_heads: int | None = None
    part_time_max_hours_share: float | None = None
    shrinkage: float | None = None
    line: int | None = field(default=None, compare=False)

    def type_named(self, name: str) -> ShiftType | None:
        return next((t for t in self.types if t.name == name), None)
