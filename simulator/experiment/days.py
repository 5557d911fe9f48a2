"""How the simulated days spread: percentiles of each day's KPIs, not only their mean.

A mean and its confidence interval answer "what is the expected service level?". A planner
who knows tomorrow's volume is uncertain (``arrivals.uncertainty``) asks another question:
"on how many days do we miss 80 %, and how bad is a bad day?". Every replication of every day
of the run is one simulated day; this module lays them side by side and reports, per KPI, the
mean, the standard deviation and percentiles across days, overall and per channel (and per
weekday when a run has several days). ``share_of_days_meeting`` answers the target question
directly.

Days come from the per-replication results: a single-day run's whole-run KPIs, a multi-day
run's ``by_day`` rows. A KPI that is undefined on a day (no contacts on a closed Sunday) is
left out for that day; ``days`` says how many days each distribution holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from simulator.scenario.schema import WEEKDAYS

if TYPE_CHECKING:  # only its type: reports read across_days without loading the engine
    from simulator.experiment.replicate import RunResult

#: The KPIs whose spread across days is reported, per channel.
DAY_KPIS = (
    "offered",
    "answered",
    "abandon_rate",
    "service_level",
    "within_promise",
    "asa_s",
    "mean_wait_s",
    "occupancy",
)
#: The same for all channels together: no absolute wait (a wait of voice and e-mail together
#: describes no contact; docs/reference.md, Scopes).
OVERALL_DAY_KPIS = tuple(kpi for kpi in DAY_KPIS if kpi not in ("asa_s", "mean_wait_s"))
#: The percentiles reported (of the days, in %).
PERCENTILES = (5, 10, 25, 50, 75, 90, 95)

#: One simulated day: the overall KPIs, then the KPIs per channel.
Day = dict[str, Any]


def simulated_days(result: RunResult) -> list[tuple[int, Day]]:
    """``(weekday, day)`` of every simulated day: replication after replication, day by day."""
    horizon = result.scenario.horizon
    days: list[tuple[int, Day]] = []
    for replication in result.per_replication:
        rows = replication.get("by_day") or []
        if horizon.days > 1 and rows:
            days.extend((horizon.weekday(d), _day(row)) for d, row in enumerate(rows))
        else:
            days.append((horizon.weekday(0), _day(replication)))
    return days


def _day(period: dict[str, Any]) -> Day:
    """A day's overall KPIs with its channels' (a whole run's or a ``by_day`` row's scopes)."""
    return {**period["overall"], "by_channel": period["by_channel"]}


def distribution(values: Sequence[float]) -> dict[str, float | int | None]:
    """``days``, ``mean``, ``sd`` and ``pXX`` of the defined values (None when there are
    none; ``sd`` None for a single day)."""
    defined = np.array([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    out: dict[str, float | int | None] = {"days": len(defined)}
    if not len(defined):
        return {**out, "mean": None, "sd": None, **{f"p{p}": None for p in PERCENTILES}}
    out["mean"] = float(defined.mean())
    out["sd"] = float(defined.std(ddof=1)) if len(defined) > 1 else None
    for p, value in zip(PERCENTILES, np.percentile(defined, PERCENTILES), strict=True):
        out[f"p{p}"] = float(value)
    return out


def _kpis(
    days: Sequence[Day],
    pick: Callable[[Day], dict[str, Any] | None],
    kpis: Sequence[str] = DAY_KPIS,
) -> dict[str, Any]:
    picked = [found for day in days if (found := pick(day)) is not None]
    return {kpi: distribution([_number(row.get(kpi)) for row in picked]) for kpi in kpis}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def across_days(result: RunResult) -> dict[str, Any]:
    """The spread of each day's KPIs over every simulated day (see the module docstring)."""
    tagged = simulated_days(result)
    days = [day for _weekday, day in tagged]
    channels = list(result.scenario.channels)
    out: dict[str, Any] = {
        "days": len(days),
        "percentiles": list(PERCENTILES),
        "overall": _kpis(days, lambda day: day, OVERALL_DAY_KPIS),
        "by_channel": {
            name: _kpis(days, lambda day, name=name: day.get("by_channel", {}).get(name))
            for name in channels
        },
    }
    if result.scenario.horizon.days > 1:
        weekdays = sorted({weekday for weekday, _day in tagged})
        out["by_weekday"] = {
            WEEKDAYS[w]: _kpis(
                [day for weekday, day in tagged if weekday == w], lambda day: day, OVERALL_DAY_KPIS
            )
            for w in weekdays
        }
    return out


def share_of_days_meeting(values: Sequence[float | None], meets: Callable[[float], bool]) -> float:
    """The share of days whose value meets a target (a day with nothing measured meets it,
    as an interval with no contacts does in ``cxsim staff``)."""
    if not values:
        return math.nan
    return sum(1 for v in values if v is None or math.isnan(v) or meets(v)) / len(values)
