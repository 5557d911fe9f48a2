"""The check: simulate the calibrated scenario and compare it with what the log observed.

A calibration is only as good as the day it reproduces. The fitted parameters can each be
right and the whole still wrong (priorities, several queues, agents doing other work, patience
that is not exponential): comparing abandonment, service level and mean wait, per interval and
for the whole day, shows whether the model explains the log.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.calibrate.fragment import Calibration
from simulator.experiment.replicate import RunResult, run_replications
from simulator.experiment.stats import Estimate
from simulator.report.text import shown_bounds
from simulator.scenario.schema import Scenario

#: KPI key in the results -> (label, attribute of Observed, is a rate).
KPIS = {
    "abandon_rate": ("abandonment", "abandon_rate", True),
    "service_level": ("service level", "service_level", True),
    "mean_wait_s": ("mean wait", "mean_wait", False),
}


@dataclass
class Check:
    """Observed and simulated KPIs side by side.

    ``simulated[kpi]`` holds one :class:`Estimate` per interval and ``day[kpi]`` the whole-day
    pair ``(observed, simulated)``. ``errors[kpi]`` summarises simulated - observed over the
    intervals: the mean absolute error weighted by offered calls, and the largest one.
    ``fitted`` is the KPI the staffing was calibrated to (``--staffing fit-*``): agreement on
    it is by construction (up to the model), not evidence, so the tables mark it.
    """

    replications: int
    labels: list[str]
    offered: np.ndarray
    observed: dict[str, np.ndarray]
    simulated: dict[str, list[Estimate]]
    day: dict[str, tuple[float, Estimate]]
    errors: dict[str, tuple[float, float, str]]
    result: RunResult
    fitted: str | None = None

    def label(self, key: str) -> str:
        """The KPI's name, with ``(fitted)`` if staffing was calibrated to it."""
        name = KPIS[key][0]
        return f"{name} (fitted)" if key == self.fitted else name


def run_check(
    cal: Calibration, scenario: Scenario, replications: int = 5, workers: int = 1
) -> Check:
    """Simulate ``replications`` days of the calibrated scenario and compare."""
    result = run_replications(scenario, replications, workers=workers)
    # The calibrated scenario has the log's one channel: its figures, waits included (the
    # results give waits per channel only).
    channel = next(iter(scenario.channels))
    rows: list[dict[str, Any]] = [
        row["by_channel"][channel] for row in result.summary["by_interval"]
    ]
    overall: dict[str, Any] = result.summary["by_channel"][channel]
    obs = cal.observed
    observed: dict[str, np.ndarray] = {}
    simulated: dict[str, list[Estimate]] = {}
    day: dict[str, tuple[float, Estimate]] = {}
    errors: dict[str, tuple[float, float, str]] = {}
    weights = np.nan_to_num(obs.offered)
    for key, (_, attribute, _) in KPIS.items():
        seen = np.asarray(getattr(obs, attribute), dtype=float)
        sim = [row[key] for row in rows]
        observed[key] = seen
        simulated[key] = sim
        day[key] = (obs.day[attribute], overall[key])
        diff = np.array([s.mean for s in sim]) - seen
        ok = np.isfinite(diff) & (weights > 0)
        if ok.any():
            mae = float(np.average(np.abs(diff[ok]), weights=weights[ok]))
            worst = int(np.flatnonzero(ok)[np.argmax(np.abs(diff[ok]))])
            errors[key] = (mae, float(diff[worst]), obs.grid.labels[worst])
        else:
            errors[key] = (math.nan, math.nan, "")
    return Check(
        replications=replications,
        labels=obs.grid.labels,
        offered=obs.offered,
        observed=observed,
        simulated=simulated,
        day=day,
        errors=errors,
        result=result,
        fitted=cal.fitted_kpi,
    )


def fmt(key: str, value: float) -> str:
    """A KPI value as the tables show it: rates in %, waits in seconds."""
    if not math.isfinite(value):
        return "n/a"
    return f"{100 * value:.1f}%" if KPIS[key][2] else f"{value:.1f}s"


def fmt_error(key: str, value: float) -> str:
    """A difference: percentage points for rates, seconds for waits."""
    if not math.isfinite(value):
        return "n/a"
    return f"{100 * value:+.1f} pts" if KPIS[key][2] else f"{value:+.1f}s"


def fmt_estimate(key: str, est: Estimate) -> str:
    """Mean and CI, the bounds clipped to the possible values as in every readable table."""
    text = fmt(key, est.mean)
    if math.isfinite(est.ci_low) and math.isfinite(est.ci_high):
        low, high = shown_bounds(key, est.ci_low, est.ci_high)
        return f"{text} [{fmt(key, low)}, {fmt(key, high)}]"
    return text


def summary_lines(check: Check) -> list[str]:
    """The whole-day comparison and the per-interval error summary, as plain text lines."""
    lines = [
        f"Check: the calibrated scenario simulated {check.replications} time(s) vs the log",
        f"  {'KPI':<24}{'observed':>10}  {'simulated (95% CI)':<28}"
        f"{'MAE/interval':>14}  worst interval",
    ]
    for key in KPIS:
        seen, sim = check.day[key]
        mae, worst, where = check.errors[key]
        lines.append(
            f"  {check.label(key):<24}{fmt(key, seen):>10}  {fmt_estimate(key, sim):<28}"
            f"{fmt_error(key, mae).lstrip('+'):>14}  {fmt_error(key, worst)} at {where}"
        )
    lines.append(
        "  MAE/interval: mean absolute error over the intervals, weighted by offered calls."
    )
    if check.fitted is not None:
        lines.append(
            f"  (fitted): staffing was calibrated to the observed {KPIS[check.fitted][0]}, so "
            "that row is not an independent check; the others are."
        )
    return lines


def interval_rows(check: Check) -> list[list[str]]:
    """One row per interval: offered, then observed | simulated for each KPI."""
    rows = []
    for i, label in enumerate(check.labels):
        row = [label, f"{check.offered[i]:.1f}"]
        for key in KPIS:
            row += [fmt(key, check.observed[key][i]), fmt(key, check.simulated[key][i].mean)]
        rows.append(row)
    return rows
