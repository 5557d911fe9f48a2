"""The integer programme of one group on one day, solved with HiGHS.

Columns: one per shift frame (its heads), then one per placement of each cluster of breaks that
has a choice (how many of the frame's heads take it there). Rows: one per interval with a
requirement (on-phone heads >= requirement), one per cluster tying its placements to the
frame's heads, then the rules' min/max heads and the part-time limits. See
:mod:`simulator.staffing.roster_shifts` for why breaks are variables of their own.

When HiGHS says the programme is infeasible, :func:`_why_infeasible` names the intervals the
limits cannot meet, with the most heads that fit there: that is what a planner can act on.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, hstack

from simulator.staffing.roster_result import TOLERANCE
from simulator.staffing.roster_rules import Calendar, GroupPlan, RosterError
from simulator.staffing.roster_shifts import (
    BreakOption,
    ShiftFrame,
    ShiftType,
    slots_per_interval,
)


@dataclass(frozen=True, slots=True)
class BlockSolution:
    """One group-day solved: heads per shift worked, the solver's status, its proved bound."""

    heads: Counter[ShiftType]
    status: str
    bound: float


@dataclass(frozen=True, slots=True)
class _Programme:
    """The programme of one group-day, in the form :func:`scipy.optimize.milp` takes, laid
    out as the module docstring says (requirement rows first)."""

    costs: np.ndarray
    upper: np.ndarray
    matrix: csr_array
    low: np.ndarray
    high: np.ndarray
    need_rows: np.ndarray  # the interval of each requirement row (one row per slot of it)
    choices: list[tuple[int, int, int, int]]  # (frame, cluster, option, column) per placement


class _Rows:
    """A sparse matrix built row by row, with the bounds of each row."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, int, float]] = []
        self.low: list[float] = []
        self.high: list[float] = []

    def add(self, coefficients: Iterable[tuple[int, float]], low: float, high: float) -> None:
        row = len(self.low)
        self.entries.extend((row, column, value) for column, value in coefficients if value)
        self.low.append(low)
        self.high.append(high)

    def matrix(self, n_columns: int) -> csr_array:
        rows, columns, values = zip(*self.entries, strict=True) if self.entries else ((), (), ())
        return csr_array((values, (rows, columns)), shape=(len(self.low), n_columns))


def _programme(
    cal: Calendar, group: GroupPlan, day_index: int, frames: list[ShiftFrame]
) -> _Programme:
    day, n_frames = cal.days[day_index], len(frames)
    need = group.requirements[day_index]
    slots = slots_per_interval(cal, group)
    need_rows = np.array([i for i, n in enumerate(need) if n > 0 for _ in range(slots)], dtype=int)
    # Row of each slot (interval * slots + j) of an interval with a requirement.
    row_of = {int(interval) * slots + row % slots: row for row, interval in enumerate(need_rows)}
    covering: list[list[tuple[int, float]]] = [[] for _ in need_rows]
    choices: list[tuple[int, int, int, int]] = []
    for f, frame in enumerate(frames):
        first = frame.first_interval * slots
        fixed = np.array(frame.fine_span)
        for c, options in enumerate(frame.clusters):
            if len(options) == 1:
                fixed -= options[0].fine_off
                continue
            for o, option in enumerate(options):
                column = n_frames + len(choices)
                choices.append((f, c, o, column))
                for k, off in enumerate(option.fine_off):
                    if off and first + k in row_of:
                        covering[row_of[first + k]].append((column, -off))
        for k, on in enumerate(fixed):
            if on > 1e-9 and first + k in row_of:
                covering[row_of[first + k]].append((f, float(on)))
    rows = _Rows()
    for row, interval in enumerate(need_rows):
        rows.add(covering[row], need[interval], np.inf)
    _tie_choices(rows, choices)
    _add_limits(rows, group, day, frames)
    n_columns = n_frames + len(choices)
    most = {r.name: np.inf if r.max_heads is None else r.max_heads for r in group.rules}
    upper = np.array([most[f.rule] for f in frames] + [most[frames[f].rule] for f, *_ in choices])
    costs = np.concatenate([[f.cost for f in frames], np.zeros(len(choices))])
    return _Programme(
        costs=costs,
        upper=upper.astype(float),
        matrix=rows.matrix(n_columns),
        low=np.array(rows.low, dtype=float),
        high=np.array(rows.high, dtype=float),
        need_rows=need_rows,
        choices=choices,
    )


def _tie_choices(rows: _Rows, choices: list[tuple[int, int, int, int]]) -> None:
    """The placements of a cluster add up to its frame's heads."""
    for (frame, _cluster), members in itertools.groupby(choices, key=lambda ch: ch[:2]):
        rows.add([(column, 1.0) for *_, column in members] + [(frame, -1.0)], 0.0, 0.0)


def _add_limits(rows: _Rows, group: GroupPlan, day: str, frames: list[ShiftFrame]) -> None:
    """Rules' min/max heads and the part-time limits, on the frames' heads."""
    for rule in group.rules:
        if rule.works_on(day) and (rule.min_heads or rule.max_heads is not None):
            members = [(f, 1.0) for f, frame in enumerate(frames) if frame.rule == rule.name]
            high = np.inf if rule.max_heads is None else float(rule.max_heads)
            rows.add(members, float(rule.min_heads), high)
    limits = group.part_time
    if limits.max_heads is not None:
        members = [(f, 1.0) for f, frame in enumerate(frames) if frame.part_time]
        rows.add(members, -np.inf, float(limits.max_heads))
    if limits.max_hours_share is not None:
        share = limits.max_hours_share
        weights = [
            (f, frame.paid_hours * (frame.part_time - share)) for f, frame in enumerate(frames)
        ]
        rows.add(weights, -np.inf, 0.0)


def solve_block(
    cal: Calendar,
    group: GroupPlan,
    day_index: int,
    frames: list[ShiftFrame],
    options: dict[str, float],
) -> BlockSolution:
    day = cal.days[day_index]
    if not frames:
        rule = next(r for r in group.rules if r.min_heads and r.works_on(day))
        raise RosterError(
            f"shift rule {rule.name!r} of {group.name!r} needs {rule.min_heads} heads on {day} "
            "but none of its shifts fits in that day's open hours",
            group=group.name,
            rule=rule.name,
            day=day,
        )
    prog = _programme(cal, group, day_index, frames)
    result = milp(
        prog.costs,
        integrality=np.ones(len(prog.costs)),
        bounds=Bounds(np.zeros(len(prog.costs)), prog.upper),
        constraints=LinearConstraint(prog.matrix, prog.low, prog.high),
        options=options,
    )
    if result.status == 2:
        message = _why_infeasible(cal, group, day_index, prog)
        raise RosterError(message, group=group.name, day=day)
    if result.x is None:
        if result.status == 1:
            raise RosterError(
                f"no roster for {group.name!r} on {day} was found within the time limit; "
                "allow more time or fewer shift starts",
                group=group.name,
                day=day,
            )
        raise RosterError(f"the solver failed on {group.name!r}, {day}: {result.message}")
    heads = _shifts_worked(frames, prog, np.round(result.x).astype(int))
    status = "optimal" if result.status == 0 else "time limit"
    bound = getattr(result, "mip_dual_bound", None)
    return BlockSolution(heads, status, float(result.fun if bound is None else bound))


def _shifts_worked(
    frames: list[ShiftFrame], prog: _Programme, values: np.ndarray
) -> Counter[ShiftType]:
    """Turn frame heads and placement counts back into shifts with their breaks.

    The k-th head of a frame takes the k-th earliest placement of every cluster; clusters
    cannot overlap, so any pairing is a valid shift and this one is easy to read. Placements
    the programme cannot tell apart (a break at 10:00 or 10:15 in a half hour) are handed out
    in turn over the day's heads, so breaks spread over the quarter hours instead of bunching
    in the first (:class:`~simulator.staffing.roster_shifts.BreakOption`).
    """
    taken: dict[tuple[int, int], list[BreakOption]] = defaultdict(list)
    for f, c, o, column in prog.choices:
        taken[f, c].extend([frames[f].clusters[c][o]] * int(values[column]))
    turns = itertools.count()
    worked: Counter[ShiftType] = Counter()
    for f, frame in enumerate(frames):
        for head in range(int(values[f])):
            options = [
                (cluster[0] if len(cluster) == 1 else _pick(taken[f, c], head, cluster))
                for c, cluster in enumerate(frame.clusters)
            ]
            worked[frame.with_breaks([o.alternative(next(turns)) for o in options])] += 1
    return worked


def _pick(taken: list[BreakOption], head: int, cluster: tuple[BreakOption, ...]) -> BreakOption:
    """The placement of one head; the solver's counts add up to the heads (the tie rows), the
    fallback only guards against a count rounded the other way."""
    return taken[head] if head < len(taken) else cluster[0]


def _why_infeasible(cal: Calendar, group: GroupPlan, day_index: int, prog: _Programme) -> str:
    """Name the intervals whose requirement the limits make impossible.

    An *elastic* relaxation lets each requirement row fall short and minimises the total
    shortfall; the rows still short are the ones the limits cannot meet. When none is short,
    the limits contradict each other, or only whole heads make the problem infeasible.
    """
    day = cal.days[day_index]
    where = f"group {group.name!r} on {day}"
    limits = _limits_text(group, day)
    n_need, n_columns = len(prog.need_rows), len(prog.costs)
    slack = csr_array(
        (np.ones(n_need), (np.arange(n_need), np.arange(n_need))),
        shape=(prog.matrix.shape[0], n_need),
    )
    elastic = milp(
        np.concatenate([np.zeros(n_columns), np.ones(n_need)]),
        bounds=Bounds(
            np.zeros(n_columns + n_need), np.concatenate([prog.upper, np.full(n_need, np.inf)])
        ),
        constraints=LinearConstraint(hstack([prog.matrix, slack]), prog.low, prog.high),
    )
    if elastic.x is None:
        return f"{where}: the limits contradict each other ({limits})"
    short = np.flatnonzero(elastic.x[n_columns:] > TOLERANCE)
    if not len(short):
        return f"{where}: no whole number of heads meets every interval under the limits ({limits})"
    parts = []
    first_short_row: dict[int, int] = {}  # an interval's slots are rows of their own
    for row in short:
        first_short_row.setdefault(int(prog.need_rows[row]), int(row))
    short = np.array(list(first_short_row.values()), dtype=int)
    for row in short[:3]:
        interval = int(prog.need_rows[row])
        need = group.requirements[day_index][interval]
        most = _most_on_phones(prog, row)
        parts.append(f"{cal.label(day_index, interval)} needs {need} heads, at most {most:g} fit")
    more = f" and {len(short) - 3} more intervals" if len(short) > 3 else ""
    return f"{where} cannot meet its requirement: {'; '.join(parts)}{more} ({limits})"


def _most_on_phones(prog: _Programme, row: int) -> float:
    """The most heads the limits let on the phones in one requirement row (the requirements
    themselves dropped)."""
    n_need, n_columns = len(prog.need_rows), len(prog.costs)
    result = milp(
        -prog.matrix[[row]].toarray()[0],
        integrality=np.ones(n_columns),
        bounds=Bounds(np.zeros(n_columns), np.minimum(prog.upper, 1e6)),
        constraints=LinearConstraint(prog.matrix[n_need:], prog.low[n_need:], prog.high[n_need:]),
    )
    return round(-result.fun, 2) if result.x is not None else 0.0


def _limits_text(group: GroupPlan, day: str) -> str:
    parts = [
        f"{r.name!r} {r.min_heads}..{'' if r.max_heads is None else r.max_heads} heads"
        for r in group.rules
        if r.works_on(day) and (r.min_heads or r.max_heads is not None)
    ]
    if group.part_time.max_heads is not None:
        parts.append(f"part-time at most {group.part_time.max_heads} heads")
    if group.part_time.max_hours_share is not None:
        parts.append(f"part-time at most {group.part_time.max_hours_share:.0%} of the hours")
    return "; ".join(parts) or "no limits"
