"""The plain-text summary ``cxsim run`` prints: KPIs with 95 % confidence intervals."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from simulator.experiment.days import across_days
from simulator.experiment.stats import Estimate
from simulator.report.outcomes_text import outcome_lines
from simulator.units import format_duration

if TYPE_CHECKING:  # only its type: `cxsim report` reads files and never loads the engine
    from simulator.experiment.replicate import RunResult

OVERALL_ROWS = (
    ("offered", "Offered contacts"),
    ("answered", "Answered"),
    ("abandoned", "Abandoned"),
    ("blocked", "Blocked (lines busy)"),
    ("closed", "Closed (outside hours)"),
    ("in_system", "Still waiting at the end"),
    ("abandon_rate", "Abandonment rate"),
    ("service_level", "Service level"),
    ("asa_s", "ASA (answered)"),
    ("mean_wait_s", "Mean wait (all queued)"),
    ("wait_p90_s", "90th percentile wait"),
    ("occupancy", "Agent occupancy"),
    ("longest_queue", "Longest queue"),
)
JOURNEY_ROWS = (
    ("customers", "Customers"),
    ("fcr", "First-contact resolution"),
    ("resolution_rate", "Resolved in the end"),
    ("gave_up_rate", "Gave up"),
    ("contacts_per_resolution", "Contacts per resolution"),
    ("repeats_per_100", "Repeats per 100 customers"),
    ("transfers_per_100", "Transfers per 100"),
    ("switches_per_100", "Channel switches per 100"),
    ("mean_time_to_resolution_s", "Time to resolution"),
    ("frustration.mean_final", "Final frustration (0-100)"),
    ("frustration.share_angry_or_worse", "Ending angry or worse"),
    ("churn_rate", "Expected churn"),
    ("nps", "NPS (model)"),
    ("effort", "Effort score (1-7)"),
    ("word_of_mouth_reach", "People told about it"),
)
CHANNEL_COLUMNS = (
    ("offered", "offered"),
    ("abandon_rate", "abandon"),
    ("service_level", "SL"),
    ("asa_s", "ASA"),
    ("wait_p90_s", "p90 wait"),
)


def state_at(value: float, levels: Mapping[str, float]) -> str:
    """The frustration state of ``value``: the last state of ``levels`` whose level it reaches.

    ``levels`` maps each state, in order, to the level from which it holds (the results
    document's ``frustration_states``, a traced journey's ``state_levels``). Below every level,
    the first state; ``""`` for an undefined value (NaN) or no states at all.
    """
    state = next(iter(levels), "")
    if math.isnan(value):
        return ""
    for name, level in levels.items():
        if value < level:
            break
        state = name
    return state


def fmt(kpi: str, value: float) -> str:
    """A KPI value in the unit a planner reads it in."""
    if value is None or math.isnan(value):
        return "-"
    if kpi.endswith(
        ("_rate", "share", "share_angry_or_worse", "fcr", "promoters", "detractors")
    ) or kpi in (
        "service_level",
        "occupancy",
    ):
        return f"{100 * value:.1f}%"
    if kpi.endswith("_s"):
        if value < 120:
            return f"{value:.1f}s"
        return format_duration(round(value))
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


#: KPIs that can be negative; every other one is a count, a time or a share (>= 0).
SIGNED = frozenset({"nps"})


def shown_bounds(kpi: str, low: float, high: float) -> tuple[float, float]:
    """A confidence interval as a planner should read it: clipped to the values the KPI can take.

    A t-interval over a few replications of a share near 0 % or 100 % can reach past it
    ("85.7 % [60.6, 110.8]"); no replication can, so the bound past the limit says nothing. The
    mean and the stored, unclipped bounds (JSON, CSV) are untouched.
    """
    if kpi not in SIGNED:
        low = max(low, 0.0)
    if fmt(kpi, 1.0).endswith("%"):
        high = min(high, 1.0)
    return low, high


def fmt_estimate(kpi: str, est: Estimate) -> tuple[str, str]:
    if est.n < 2 or math.isnan(est.ci_low):
        return fmt(kpi, est.mean), ""
    low, high = shown_bounds(kpi, est.ci_low, est.ci_high)
    return fmt(kpi, est.mean), f"[{fmt(kpi, low)}, {fmt(kpi, high)}]"


#: The spread across simulated days shown when arrivals are uncertain: KPI and label.
DAY_ROWS = (
    ("offered", "Offered contacts"),
    ("service_level", "Service level"),
    ("abandon_rate", "Abandonment rate"),
    ("asa_s", "ASA (answered)"),
    ("occupancy", "Agent occupancy"),
)


def across_days_lines(spread: Mapping[str, object]) -> list[str]:
    """How the simulated days spread (``across_days`` of the results document): percentiles
    of each day's KPIs, for arrivals whose forecast is uncertain."""
    overall = spread["overall"]
    assert isinstance(overall, Mapping)
    columns = ("p5", "p10", "p50", "p90", "p95")
    lines = [
        f"  {'Across ' + str(spread['days']) + ' simulated days':<28}"
        + "".join(f"{c:>10}" for c in columns)
    ]
    for kpi, label in DAY_ROWS:
        row = overall[kpi]
        cells = "".join(f"{'-' if row[c] is None else fmt(kpi, row[c]):>10}" for c in columns)
        lines.append(f"  {label:<28}{cells}")
    return lines


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
        if kpi in ("blocked", "closed", "in_system") and overall[kpi].mean == 0:
            continue
        mean, ci = fmt_estimate(kpi, overall[kpi])
        lines.append(f"  {label:<28}{mean:>10}  {ci}")

    journey = result.summary.get("journey")
    if journey:
        lines += ["", f"  {'Customer journeys':<28}{'mean':>10}  95% CI"]
        for key, label in JOURNEY_ROWS:
            est = journey
            for part in key.split("."):
                est = est[part]
            mean, ci = fmt_estimate(key, est)
            lines.append(f"  {label:<28}{mean:>10}  {ci}")
        for name, bot in result.summary.get("bots", {}).items():
            lines.append(
                f"  Bot {name}: {fmt('sessions', bot['sessions'].mean)} sessions, "
                f"{fmt('containment_rate', bot['containment_rate'].mean)} contained"
            )
        lines += outcome_lines(result)

    costs = result.summary.get("costs")
    if costs and costs["total"].mean:
        parts = ", ".join(
            f"{label} {costs[key].mean:,.0f}"
            for key, label in (
                ("agents", "agents"),
                ("bots", "bots"),
                ("platform", "platform"),
                ("churn", "churn"),
                ("word_of_mouth", "word of mouth"),
            )
            if costs[key].mean
        )
        lines += [
            "",
            f"  Costs per run: {parts}; total {costs['total'].mean:,.0f}, "
            f"{costs['per_resolved_customer'].mean:,.2f} per resolved customer",
        ]

    lines += ["", "  " + f"{'By channel':<14}" + "".join(f"{h:>12}" for _, h in CHANNEL_COLUMNS)]
    for name, kpis in result.summary["by_channel"].items():
        cells = "".join(f"{fmt(k, kpis[k].mean):>12}" for k, _ in CHANNEL_COLUMNS)
        lines.append(f"  {name:<14}{cells}")

    if scenario.arrivals.uncertainty is not None:
        lines += ["", *across_days_lines(across_days(result))]

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
