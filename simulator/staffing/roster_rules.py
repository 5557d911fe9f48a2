"""The inputs of shift scheduling: the calendar, what each group needs, and its shift rules.

A planner states *rules* (a full-time shift is 8 paid hours, starts between 07:00 and 12:00 on
the quarter hour, takes a paid 15-minute break between 1h30 and 3h after its start and an unpaid
30-60-minute lunch between 3h and 5h) and *requirements* (heads on the phones per interval). The
scheduler (:mod:`simulator.staffing.roster`) turns the rules into every shift they allow and
picks the cheapest set that covers the requirements.

Every value here is a frozen dataclass checked where it is built, so a rule that makes no sense
(a window that ends before it starts, a break longer than its window) is refused with a
:class:`RosterError` naming the rule before anything is solved. Times are whole seconds: clock
times count from midnight, break windows from the shift's start.

Conventions worth knowing:

- a shift belongs to one day and lies inside that day's open intervals: nobody is on duty
  while the center is closed, and a shift cannot run past the day's last interval;
- ``paid_lengths_s`` are *paid* lengths: a shift's span is its paid length plus its unpaid
  breaks; paid breaks are inside the paid time and off the phones;
- a break lies wholly inside its window (``window_start_s`` to ``window_end_s`` after the shift
  starts) and inside the shift; breaks of one shift do not overlap;
- heads limits (``min_heads``, ``max_heads``) and part-time limits hold per day and group.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field

from simulator.errors import CxsimError
from simulator.units import format_clock, format_duration

DAY_S = 86400


class RosterError(CxsimError, ValueError):
    """Shift rules or requirements that cannot give a roster; the message says which and why.

    ``group``, ``rule`` and ``day`` name what the problem is about when it is about one of them,
    so a caller that knows where a rule was written (a YAML line) can point at it.
    """

    def __init__(
        self,
        message: str,
        *,
        group: str | None = None,
        rule: str | None = None,
        day: str | None = None,
    ) -> None:
        super().__init__(message)
        self.group = group
        self.rule = rule
        self.day = day


def _whole(value: object, what: str, low: int = 0) -> int:
    """A whole number >= ``low`` (numpy integers and 3.0 too), or a :class:`RosterError`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise RosterError(f"{what} must be a whole number, found {value!r}")
    if not float(value).is_integer():
        raise RosterError(f"{what} must be a whole number, found {value!r}")
    number = int(value)
    if number < low:
        raise RosterError(f"{what} must be at least {low}, found {number}")
    return number


@dataclass(frozen=True, slots=True)
class Calendar:
    """The days of the plan and their intervals.

    Interval ``i`` of a day runs from ``day_start_s + i * interval_s`` to the next one (clock
    seconds). ``open_intervals`` lists, per day, the intervals in which the center is open
    (``None``: all of them); requirements there may be positive and shifts may be worked.
    """

    interval_s: int
    intervals_per_day: int
    days: tuple[str, ...] = ("day",)
    day_start_s: int = 0
    open_intervals: tuple[tuple[int, ...], ...] | None = None

    def __post_init__(self) -> None:
        _whole(self.interval_s, "the interval length (s)", low=1)
        _whole(self.intervals_per_day, "the number of intervals per day", low=1)
        _whole(self.day_start_s, "the clock time of the first interval (s)")
        if self.day_start_s + self.interval_s * self.intervals_per_day > DAY_S:
            end = format_clock(self.day_start_s + self.interval_s * self.intervals_per_day)
            raise RosterError(f"the intervals of a day must end by 24:00, they end at {end}")
        if not self.days or len(set(self.days)) != len(self.days):
            raise RosterError(f"the days must be distinct names, found {list(self.days)}")
        if self.open_intervals is not None:
            if len(self.open_intervals) != len(self.days):
                raise RosterError(
                    f"expected the open intervals of {len(self.days)} days, "
                    f"found {len(self.open_intervals)}"
                )
            for day, opened in zip(self.days, self.open_intervals, strict=True):
                wrong = [i for i in opened if not 0 <= i < self.intervals_per_day]
                if wrong:
                    last = self.intervals_per_day - 1
                    raise RosterError(f"{day}: open interval {wrong[0]} is outside 0..{last}")

    @classmethod
    def daily(
        cls,
        interval_s: int,
        open_from_s: int,
        open_to_s: int,
        days: Sequence[str] = ("day",),
    ) -> Calendar:
        """Days that all open at ``open_from_s`` and close at ``open_to_s`` (clock seconds); the
        intervals run from the opening to the closing, so every interval is open.

        >>> cal = Calendar.daily(1800, 7 * 3600, 21 * 3600, ["mon", "tue"])
        >>> cal.intervals_per_day, cal.label(1, 0)
        (28, 'tue 07:00-07:30')
        """
        count, rest = divmod(open_to_s - open_from_s, interval_s)
        if rest or count <= 0:
            raise RosterError(
                f"the open hours {format_clock(open_from_s)}-{format_clock(open_to_s)} must "
                f"hold a whole number of {format_duration(interval_s)} intervals"
            )
        return cls(interval_s, count, tuple(days), open_from_s)

    @property
    def day_end_s(self) -> int:
        """Clock time at which the last interval of a day ends."""
        return self.day_start_s + self.interval_s * self.intervals_per_day

    def day_index(self, day: str) -> int:
        """The position of a day by its name, or a :class:`RosterError` listing the days."""
        try:
            return self.days.index(day)
        except ValueError:
            raise RosterError(f"unknown day {day!r}; the days are {', '.join(self.days)}") from None

    def is_open(self, day_index: int, interval: int) -> bool:
        if self.open_intervals is None:
            return 0 <= interval < self.intervals_per_day
        return interval in self.open_intervals[day_index]

    def clock_of(self, interval: int) -> int:
        """Clock time (s) at which an interval starts."""
        return self.day_start_s + interval * self.interval_s

    def label(self, day_index: int, interval: int) -> str:
        """``mon 07:00-07:30``: how messages and tables name an interval."""
        start = self.clock_of(interval)
        return (
            f"{self.days[day_index]} {format_clock(start)}-{format_clock(start + self.interval_s)}"
        )


@dataclass(frozen=True, slots=True)
class BreakRule:
    """A break every shift of a rule takes (when its paid length is at least ``min_length_s``).

    The break lies inside its window, ``window_start_s`` to ``window_end_s`` after the shift
    starts, and starts on a multiple of ``step_s`` from the window's start. A lunch of 30 to 60
    minutes is ``duration_s=1800, max_duration_s=3600``: durations in steps of ``step_s``.
    A paid break counts in the paid length; an unpaid one lengthens the shift's span.
    """

    name: str
    duration_s: int
    window_start_s: int
    window_end_s: int
    paid: bool = True
    max_duration_s: int | None = None
    step_s: int = 900
    min_length_s: int = 0

    def __post_init__(self) -> None:
        what = f"break {self.name!r}"
        _whole(self.duration_s, f"{what}: the duration (s)", low=1)
        _whole(self.window_start_s, f"{what}: the window start (s)")
        _whole(self.window_end_s, f"{what}: the window end (s)")
        _whole(self.step_s, f"{what}: the placement step (s)", low=1)
        _whole(self.min_length_s, f"{what}: the minimum shift length (s)")
        if self.max_duration_s is not None:
            _whole(self.max_duration_s, f"{what}: the longest duration (s)", low=self.duration_s)
        if self.window_end_s - self.window_start_s < self.duration_s:
            raise RosterError(
                f"{what}: a {format_duration(self.duration_s)} break cannot fit in its window "
                f"{format_duration(self.window_start_s)}-{format_duration(self.window_end_s)} "
                "after the shift starts",
                rule=self.name,
            )

    @property
    def durations_s(self) -> tuple[int, ...]:
        """Every duration the break may take, shortest first."""
        longest = self.max_duration_s if self.max_duration_s is not None else self.duration_s
        return tuple(range(self.duration_s, longest + 1, self.step_s))

    def describe(self) -> str:
        """``lunch 30m-1h unpaid, within 3h-5h``: the rule in a planner's words."""
        length = format_duration(self.duration_s)
        if self.max_duration_s not in (None, self.duration_s):
            length += f"-{format_duration(self.max_duration_s)}"
        window = f"{format_duration(self.window_start_s)}-{format_duration(self.window_end_s)}"
        return f"{self.name} {length} {'paid' if self.paid else 'unpaid'}, within {window}"


@dataclass(frozen=True, slots=True)
class ShiftRule:
    """One kind of shift a group may work (``early``, ``part-time``...).

    Starts are ``earliest + k * start_step_s`` within each ``(earliest, latest)`` clock window
    (both ends included). ``min_heads``/``max_heads`` bound the heads on all shifts of this rule
    on one day. ``days`` restricts the rule to some days (``None``: every day).
    """

    name: str
    paid_lengths_s: tuple[int, ...]
    start_windows: tuple[tuple[int, int], ...]
    start_step_s: int = 900
    breaks: tuple[BreakRule, ...] = ()
    hourly_cost: float = 1.0
    min_heads: int = 0
    max_heads: int | None = None
    part_time: bool = False
    days: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        what = f"shift rule {self.name!r}"
        if not self.paid_lengths_s:
            raise RosterError(f"{what}: give at least one paid length", rule=self.name)
        for length in self.paid_lengths_s:
            _whole(length, f"{what}: a paid length (s)", low=1)
        if not self.start_windows:
            raise RosterError(f"{what}: give at least one start window", rule=self.name)
        for earliest, latest in self.start_windows:
            _whole(earliest, f"{what}: a window's earliest start (s)")
            if latest < earliest:
                raise RosterError(
                    f"{what}: the start window {format_clock(earliest)}-{format_clock(latest)} "
                    "ends before it starts",
                    rule=self.name,
                )
        _whole(self.start_step_s, f"{what}: the start step (s)", low=1)
        _whole(self.min_heads, f"{what}: min_heads")
        if self.max_heads is not None:
            _whole(self.max_heads, f"{what}: max_heads", low=self.min_heads)
        if not self.hourly_cost >= 0:
            raise RosterError(f"{what}: the hourly cost must be >= 0", rule=self.name)
        names = [b.name for b in self.breaks]
        if len(set(names)) != len(names):
            raise RosterError(f"{what}: two breaks share a name in {names}", rule=self.name)

    def starts_s(self) -> tuple[int, ...]:
        """Every allowed start (clock seconds), in order, without repeats."""
        starts: set[int] = set()
        for earliest, latest in self.start_windows:
            starts.update(range(earliest, latest + 1, self.start_step_s))
        return tuple(sorted(starts))

    def breaks_for(self, paid_length_s: int) -> tuple[BreakRule, ...]:
        """The breaks a shift of this paid length takes."""
        return tuple(b for b in self.breaks if paid_length_s >= b.min_length_s)

    def works_on(self, day: str) -> bool:
        return self.days is None or day in self.days


@dataclass(frozen=True, slots=True)
class PartTimeLimits:
    """Per day, at most ``max_heads`` part-time heads and at most ``max_hours_share`` of the
    paid hours on part-time shifts (either may be ``None``)."""

    max_heads: int | None = None
    max_hours_share: float | None = None

    def __post_init__(self) -> None:
        if self.max_heads is not None:
            _whole(self.max_heads, "the part-time max_heads")
        if self.max_hours_share is not None and not 0 <= self.max_hours_share <= 1:
            raise RosterError(
                f"the part-time share of hours must be within 0..1, found {self.max_hours_share}"
            )


@dataclass(frozen=True, slots=True)
class GroupPlan:
    """What one agent group needs and may work.

    ``requirements[d][i]`` is the heads needed on the phones in interval ``i`` of day ``d``.
    """

    name: str
    requirements: tuple[tuple[int, ...], ...]
    rules: tuple[ShiftRule, ...]
    part_time: PartTimeLimits = field(default_factory=PartTimeLimits)

    def __post_init__(self) -> None:
        if not self.rules:
            raise RosterError(f"group {self.name!r}: give at least one shift rule", group=self.name)
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names):
            raise RosterError(
                f"group {self.name!r}: two shift rules share a name in {names}", group=self.name
            )
        rows = tuple(
            tuple(
                _whole(v, f"group {self.name!r}: the requirement of day {d} interval {i}")
                for i, v in enumerate(row)
            )
            for d, row in enumerate(self.requirements)
        )
        object.__setattr__(self, "requirements", rows)

    def rule(self, name: str) -> ShiftRule:
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise RosterError(f"group {self.name!r} has no shift rule {name!r}", group=self.name)


@dataclass(frozen=True, slots=True)
class RosterProblem:
    """A calendar and the groups to roster on it; checked for shape and for requirements while
    the center is closed."""

    calendar: Calendar
    groups: tuple[GroupPlan, ...]

    def __post_init__(self) -> None:
        names = [g.name for g in self.groups]
        if not names or len(set(names)) != len(names):
            raise RosterError(f"the groups must be distinct and at least one, found {names}")
        cal = self.calendar
        for group in self.groups:
            self._check_shape(group)
            for rule in group.rules:
                unknown = [d for d in rule.days or () if d not in cal.days]
                if unknown:
                    raise RosterError(
                        f"shift rule {rule.name!r} of {group.name!r} names unknown day "
                        f"{unknown[0]!r}; the days are {', '.join(cal.days)}",
                        group=group.name,
                        rule=rule.name,
                    )

    def _check_shape(self, group: GroupPlan) -> None:
        cal = self.calendar
        if len(group.requirements) != len(cal.days):
            raise RosterError(
                f"group {group.name!r}: expected requirements for {len(cal.days)} days "
                f"({', '.join(cal.days)}), found {len(group.requirements)}",
                group=group.name,
            )
        for d, row in enumerate(group.requirements):
            if len(row) != cal.intervals_per_day:
                raise RosterError(
                    f"group {group.name!r}, {cal.days[d]}: expected {cal.intervals_per_day} "
                    f"requirements, one per interval, found {len(row)}",
                    group=group.name,
                    day=cal.days[d],
                )
            for i, need in enumerate(row):
                if need > 0 and not cal.is_open(d, i):
                    raise RosterError(
                        f"group {group.name!r} needs {need} heads in {cal.label(d, i)}, "
                        "but the center is closed then",
                        group=group.name,
                        day=cal.days[d],
                    )

    def group(self, name: str) -> GroupPlan:
        for group in self.groups:
            if group.name == name:
                return group
        known = ", ".join(g.name for g in self.groups)
        raise RosterError(f"unknown group {name!r}; the groups are {known}")
