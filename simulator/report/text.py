"""The plain-text summary ``cxsim run`` prints: KPIs with 95 % confidence intervals."""

from __future__ import annotations

import math

from simulator.experiment.replicate import RunResult
from simulator.experiment.stats import Estimate
from simulator.units import format_duration

OVERALL_ROWS = (
    ("offered", "Offered contacts"),
    ("answered", "Answered"),
    ("abandoned", "Abandoned"),
    ("blocked", "Blocked (lines busy)"),
    ("in_system", "Still waiting at the end"),
    ("abandon_rate", "Abandonment rate"),
    ("service_level", "Service level"),
    ("asa_s", "ASA (answered)"),
    ("mean_wait_s", "Mean wait (all queued)"),
    ("wait_p90_s", "90th percentile wait"),
    ("occupancy", "Agent occupancy"),
    ("longest_queue", "Longest queue"),
)
CHANNEL_COLUMNS = (
    ("offered", "offered"),
    ("abandon_rate", "abandon"),
    ("service_level", "SL"),
    ("asa_s", "ASA"),
    ("wait_p90_s", "p90 wait"),
)


def fmt(kpi: str, value: float) -> str:
    """A KPI value in the unit a planner reads it in."""
    if value is None or math.isnan(value):
        return "-"
    if kpi.endswith("_rate") or kpi in ("service_level", "occupancy"):
        return f"{100 * value:.1f}%"
    if kpi.endswith("_s"):
        if value < 120:
            return f"{value:.1f}s"
        return format_duration(round(value))
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def fmt_estimate(kpi: str, est: Estimate) -> tuple[str, str]:
    if est.n < 2 or math.isnan(est.ci_low):
        return fmt(kpi, est.mean), ""
    return fmt(kpi, est.mean), f"[{fmt(kpi, est.ci_low)}, {fmt(kpi, est.ci_high)}]"


def summary_text(result: RunResult, outputs: list[str] | None = None) -> str:
    scenario = result.scenario
    overall = result.summary["overall"]
    lines = [
        f"{scenario.name}: {result.replications} replication(s), seed {result.seed}, "
        f"{result.customers:,} customers",
        "",
        f"  {'KPI (all channels)':<28}{'mean':>10}  95% CI",
    ]
    for kpi, label in OVERALL_ROWS:
        if kpi in ("blocked", "in_system") and overall[kpi].mean == 0:
            continue
        mean, ci = fmt_estimate(kpi, overall[kpi])
        lines.append(f"  {label:<28}{mean:>10}  {ci}")

    lines += ["", "  " + f"{'By channel':<14}" + "".join(f"{h:>12}" for _, h in CHANNEL_COLUMNS)]
    for name, kpis in result.summary["by_channel"].items():
        cells = "".join(f"{fmt(k, kpis[k].mean):>12}" for k, _ in CHANNEL_COLUMNS)
        lines.append(f"  {name:<14}{cells}")

    thresholds = ", ".join(
        f"{name} {format_duration(ch.sl_threshold)}" for name, ch in scenario.channels.items()
    )
    lines += [
        "",
        f"  Service level = answered within the channel's threshold / offered ({thresholds}).",
        "  Intervals are 95% Student t confidence intervals across replications.",
    ]
    if outputs:
        lines += ["", "  Wrote " + ", ".join(outputs)]
    return "\n".join(lines) + "\n"
