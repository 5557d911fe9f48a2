"""The plain-text summary ``cxsim run`` prints: KPIs with 95 % confidence intervals.

The table for all channels together has counts, rates and figures relative to each channel's
own promise only; waits are shown per channel (and per kind of channel when a scenario has
both), never blended (see :mod:`simulator.observe.scopes`). Money comes as two separate lines:
the operating cost, and the value at risk, which is a model's estimate and never added to it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from simulator.experiment.days import across_days
from simulator.experiment.stats import Estimate
from simulator.report.outcomes_text import outcome_lines
from simulator.units import format_duration

if TYPE_CHECKING:  # only its type: `cxsim report` reads files and never loads the engine
    from simulator.experiment.replicate import RunResult

#: The figures for all channels together: counts, rates and promise-relative shares. No wait:
#: a wait of voice and e-mail together describes no contact.
OVERALL_ROWS = (
    ("offered", "Offered contacts"),
    ("answered", "Answered"),
    ("abandoned", "Abandoned"),
    ("blocked", "Blocked (lines busy)"),
    ("closed", "Closed (outside hours)"),
    ("in_system", "Still waiting at the end"),
    ("abandon_rate", "Abandonment rate"),
    ("service_level", "Service level"),
    ("within_promise", "Answered within promise"),
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
#: The per-channel (and per-kind) table: each channel's waits in its own unit (the mean wait
#: and the other percentiles are in results.json, intervals.csv and the HTML report).
CHANNEL_COLUMNS = (
    ("offered", "offered"),
    ("abandon_rate", "abandon"),
    ("service_level", "SL"),
    ("asa_s", "ASA"),
    ("wait_p90_s", "p90 wait"),
)
#: The per-group table.
GROUP_COLUMNS = (
    ("occupancy", "occupancy"),
    ("answered", "answered"),
    ("mean_handle_time_s", "handle time"),
    ("staffed_slot_hours", "slot-hours"),
    ("overtime_hours", "overtime h"),
)
#: Counts shown only when some replication had one.
RARE = ("blocked", "closed", "in_system")
#: Width of a column of the per-channel and per-group tables (a CI such as ``[2,279, 2,376]``).
COLUMN = 16
#: The parts of each money line: (key in ``costs``, label).
OPERATING_PARTS = (
    ("agents", "agents"),
    ("overtime", "overtime"),
    ("bots", "bots"),
    ("platform", "platform"),
)
AT_RISK_PARTS = (("churn_above_base", "churn above base"), ("word_of_mouth", "word of mouth"))


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
        "within_promise",
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
    ("within_promise", "Answered within promise"),
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
    """The terminal summary: all channels together, the journeys, the money, then each channel
    (and kind of channel) with its waits and each agent group."""
    scenario = result.scenario
    summary = result.summary
    lines = [
        f"{scenario.name}: {result.replications} replication(s), seed {result.seed}, "
        f"{result.customers:,} customers",
        "",
        f"  {'All channels (no waits: see by channel)':<40}{'mean':>10}  95% CI",
    ]
    overall = summary["overall"]
    for kpi, label in OVERALL_ROWS:
        if kpi not in overall or (kpi in RARE and overall[kpi].mean == 0):
            continue
        mean, ci = fmt_estimate(kpi, overall[kpi])
        lines.append(f"  {label:<40}{mean:>10}  {ci}")
    lines += _journey_lines(summary)
    lines += outcome_lines(result)
    lines += _money_lines(summary.get("costs"))
    lines += _scope_table("By channel", summary["by_channel"], CHANNEL_COLUMNS)
    kinds = summary.get("by_kind") or {}
    if len(kinds) > 1:
        lines += _scope_table("By kind", kinds, CHANNEL_COLUMNS)
    groups = summary.get("by_group") or {}
    if groups:
        lines += _scope_table("By agent group", groups, GROUP_COLUMNS)
    lines += _interval_extremes(summary.get("by_interval") or [], scenario.horizon.label)
    if scenario.arrivals.uncertainty is not None:
        lines += ["", *across_days_lines(across_days(result))]
    thresholds = ", ".join(
        f"{name} {format_duration(ch.sl_threshold)}" for name, ch in scenario.channels.items()
    )
    lines += [
        "",
        f"  Service level = answered within the channel's threshold / offered ({thresholds});",
        "  within promise = the same over answered contacts. Waits are per channel only.",
        "  Intervals are 95% Student t confidence intervals across replications;",
        "  intervals.csv has every KPI per interval, channel, queue and group.",
    ]
    if outputs:
        lines += ["", "  Wrote " + ", ".join(outputs)]
    return "\n".join(lines) + "\n"


def _interval_extremes(rows: Sequence[Mapping[str, Any]], label: Any) -> list[str]:
    """Each channel's interval of lowest service level (with its ASA) and each group's busiest
    interval: the half hour a planner must look at, one channel or team at a time."""
    if len(rows) < 2:
        return []
    lines = ["", "  Weakest interval per channel (lowest service level):"]
    for name in rows[0].get("by_channel") or {}:
        figures = [(row["by_channel"][name], i) for i, row in enumerate(rows)]
        offered = [(f, i) for f, i in figures if f["offered"].mean > 0]
        if not offered:
            continue
        worst, i = min(offered, key=lambda pair: _mean_or_inf(pair[0]["service_level"]))
        level = worst["service_level"]
        lines.append(
            f"  {name:<16}{label(i):>12}  service level {fmt('service_level', level.mean)} "
            f"{compact_interval('service_level', level)}, ASA {fmt('asa_s', worst['asa_s'].mean)}"
        )
    if rows[0].get("by_group"):
        lines.append("  Busiest interval per agent group (highest occupancy):")
    for name in rows[0].get("by_group") or {}:
        figures = [(row["by_group"][name], i) for i, row in enumerate(rows)]
        staffed = [(f, i) for f, i in figures if not math.isnan(f["occupancy"].mean)]
        if not staffed:
            continue
        busiest, i = max(staffed, key=lambda pair: pair[0]["occupancy"].mean)
        occupancy = busiest["occupancy"]
        lines.append(
            f"  {name:<16}{label(i):>12}  occupancy {fmt('occupancy', occupancy.mean)} "
            f"{compact_interval('occupancy', occupancy)}, answered "
            f"{fmt('answered', busiest['answered'].mean)}"
        )
    return lines


def _mean_or_inf(est: Estimate) -> float:
    """A mean to take the smallest of, an undefined one never chosen."""
    return math.inf if math.isnan(est.mean) else est.mean


def _journey_lines(summary: Mapping[str, Any]) -> list[str]:
    journey = summary.get("journey")
    if not journey:
        return []
    lines = ["", f"  {'Customer journeys':<40}{'mean':>10}  95% CI"]
    for key, label in JOURNEY_ROWS:
        est: Any = journey
        for part in key.split("."):
            est = est[part]
        mean, ci = fmt_estimate(key, est)
        lines.append(f"  {label:<40}{mean:>10}  {ci}")
    for name, bot in summary.get("bots", {}).items():
        lines.append(
            f"  Bot {name}: {fmt('sessions', bot['sessions'].mean)} sessions, "
            f"{fmt('containment_rate', bot['containment_rate'].mean)} contained"
        )
    return lines


def compact_interval(kpi: str, est: Estimate) -> str:
    """A CI short enough for a table column: ``[72.1, 94.2]`` for a share (in %),
    ``[21.7m, 49.3m]`` for a long wait, ``[2,279, 2,376]`` for a count; clipped as every table
    is (:func:`shown_bounds`), empty without an interval."""
    if est.n < 2 or math.isnan(est.ci_low):
        return ""
    low, high = shown_bounds(kpi, est.ci_low, est.ci_high)
    if fmt(kpi, 1.0).endswith("%"):
        return f"[{100 * low:.1f}, {100 * high:.1f}]"
    if kpi.endswith("_s") and high >= 120:
        scale, unit = (3600.0, "h") if high >= 7200 else (60.0, "m")
        return f"[{low / scale:.1f}{unit}, {high / scale:.1f}{unit}]"
    return f"[{fmt(kpi, low)}, {fmt(kpi, high)}]"


def money(costs: Mapping[str, Estimate], key: str) -> str:
    """``12,345 [12,001, 12,689]``: an amount per run with its CI."""
    est = costs[key]
    if est.n < 2 or math.isnan(est.ci_low):
        return f"{est.mean:,.0f}"
    return f"{est.mean:,.0f} [{max(est.ci_low, 0.0):,.0f}, {est.ci_high:,.0f}]"


def _money_lines(costs: Mapping[str, Estimate] | None) -> list[str]:
    """Operating cost and value at risk, each on its own line with its parts; never a sum."""
    if not costs or not (costs["operating"].mean or costs["value_at_risk"].mean):
        return []
    operating = ", ".join(
        f"{label} {costs[key].mean:,.0f}" for key, label in OPERATING_PARTS if costs[key].mean
    )
    at_risk = ", ".join(
        f"{label} {costs[key].mean:,.0f}" for key, label in AT_RISK_PARTS if costs[key].mean
    )
    per_resolved = costs["operating_per_resolved_customer"].mean
    lines = ["", f"  Operating cost per run: {money(costs, 'operating')}"]
    if operating:
        lines[-1] += f" ({operating})"
    if not math.isnan(per_resolved):
        lines[-1] += f", {per_resolved:,.2f} per resolved customer"
    lines.append(f"  Customer value at risk per run (model): {money(costs, 'value_at_risk')}")
    if at_risk:
        lines[-1] += f" ({at_risk})"
    lines.append("  (value at risk is an estimate of future loss, never added to the cost)")
    return lines


def _scope_table(
    title: str, rows: Mapping[str, Mapping[str, Estimate]], columns: Sequence[tuple[str, str]]
) -> list[str]:
    """One row of means per channel, kind or group, and a row of their 95 % CIs under it."""
    columns = [(k, h) for k, h in columns if any(k in figures for figures in rows.values())]
    lines = ["", f"  {title:<16}" + "".join(f"{h:>{COLUMN}}" for _, h in columns)]
    for name, figures in rows.items():
        means, cis = [], []
        for kpi, _ in columns:
            est = figures.get(kpi)
            means.append(f"{fmt(kpi, est.mean) if est is not None else '-':>{COLUMN}}")
            cis.append(f"{compact_interval(kpi, est) if est is not None else '':>{COLUMN}}")
        lines.append(f"  {name:<16}" + "".join(means))
        if any(c.strip() for c in cis):
            lines.append(f"  {'':<16}" + "".join(cis))
    return lines
