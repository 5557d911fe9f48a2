"""What ``cxsim staff`` writes: staffing.json, staffing.csv, staffing.png, the variant overlay, a
ready-to-compare staffed scenario, and the terminal table.

Nothing here simulates: every function reads a :class:`~simulator.staffing.plan.
StaffingResult`. The JSON document holds no timings, so the same scenario, targets, seed and
replications give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from simulator import __version__
from simulator.experiment.stats import Estimate
from simulator.report.files import write_atomic
from simulator.report.plots import chart_figure, figure_title, png_bytes
from simulator.scenario import effective_dict
from simulator.scenario.schema import Horizon
from simulator.staffing.plan import Row, StaffingResult
from simulator.staffing.risk import risk_json, risk_lines
from simulator.staffing.targets import QUEUE_KPIS, Target
from simulator.units import format_clock, format_duration

#: The variant name in staffing.variant.yaml.
VARIANT = "recommended"

RULES = {
    "required": (
        "agents on the phones (taking contacts) in the interval: the fewest that meet every "
        "target on the mean over replications, found by whole-day simulation from Erlang seeds"
    ),
    "heads": (
        "scheduled heads that give the required agents on the phones: the engine puts "
        "round_half_up(heads * (1 - shrinkage)) on the phones"
    ),
    "erlang_c": "agents on the phones by Erlang C (no abandonment) for the group's offered load",
    "erlang_a": "agents on the phones by Erlang A (abandonment at 1 / mean patience); "
    "empty without patience",
    "queue targets": (
        "measured on the contacts that arrived in the interval in the group's skill queues, "
        "merged (whoever answered them), and on the group's own occupancy"
    ),
    "journey targets": "measured on the customers whose first contact arrived in the interval",
    "cost": "operating cost: scheduled heads x interval hours x the group's agent_hour (costs "
    "block); the customer value at risk (churn above base, word of mouth) is never added to it: "
    "`cxsim compare` of the scenario and scenario.staffed.yaml reports it beside the operating "
    "cost",
}


def _finite(x: float | None) -> float | None:
    """JSON has no NaN or infinity: undefined values (and the infinite occupancy of a group with
    contacts but no agents) are written as null."""
    return x if x is not None and math.isfinite(x) else None


def _est(e: Estimate) -> dict[str, float | None]:
    return {"mean": _finite(e.mean), "ci_low": _finite(e.ci_low), "ci_high": _finite(e.ci_high)}


def schedule_of(heads: list[int], horizon: Horizon) -> int | dict[str, int]:
    """A per-interval head count in the scenario language: a number, or a schedule with steps
    only where the count changes (clock times for a clock horizon, offsets otherwise)."""
    steps: dict[str, int] = {}
    last = None
    for i, value in enumerate(heads):
        if value != last:
            t = i * horizon.interval
            key = format_clock(horizon.start + t) if horizon.clock else format_duration(t)
            steps[key] = value
            last = value
    if len(steps) == 1:
        return heads[0]
    return steps


def recommended_heads(result: StaffingResult) -> dict[str, list[int]]:
    """Scheduled heads per searched group, interval by interval."""
    heads: dict[str, list[int]] = {}
    for row in result.rows:
        heads.setdefault(row.group, []).append(row.heads)
    return heads


def variant_overlay(result: StaffingResult) -> dict[str, Any]:
    """``{"variants": {"recommended": {"agents.G.count": schedule, ...}}}``."""
    horizon = result.scenario.horizon
    overlay = {
        f"agents.{group}.count": schedule_of(heads, horizon)
        for group, heads in recommended_heads(result).items()
    }
    return {"variants": {VARIANT: overlay}}


def variant_yaml(result: StaffingResult, staffed_file: str) -> str:
    """staffing.variant.yaml: the overlay, with how to use it."""
    import yaml

    source = result.scenario.source or "SCENARIO.yaml"
    header = (
        f"# Recommended staffing for {result.scenario.name} found by `cxsim staff`\n"
        f"# ({', '.join(t.describe() for t in result.targets)}).\n"
        "# Counts are scheduled heads (before shrinkage), as in the scenario's agents block.\n"
        "# To compare it with the current staffing, either paste the entry under `recommended:`\n"
        f"# into the `variants:` block of {source} and run\n"
        f"#   cxsim compare {source} --variants {VARIANT}\n"
        f"# or compare the staffed scenario written next to this file:\n"
        f"#   cxsim compare {source} {staffed_file}\n"
    )
    lines = ["variants:", f"  {VARIANT}:"]
    for key, count in variant_overlay(result)["variants"][VARIANT].items():
        if isinstance(count, int):
            lines.append(f"    {key}: {count}")
            continue
        # One flow mapping per group, clock times quoted (an unquoted 10:00 is a number in
        # YAML 1.1), wrapped like the bundled scenarios' schedules.
        items = [f"{json.dumps(t)}: {heads}" for t, heads in count.items()]
        prefix = f"    {key}: {{"
        indent = " " * len(prefix)
        line = prefix
        for k, item in enumerate(items):
            piece = item + (", " if k + 1 < len(items) else "}")
            if len(line) + len(piece.rstrip()) > 100 and line.strip() != prefix.strip():
                lines.append(line.rstrip())
                line = indent
            line += piece
        lines.append(line)
    text = "\n".join(lines) + "\n"
    assert yaml.safe_load(text) == variant_overlay(result), "the overlay must read back as built"
    return header + text


def staffed_yaml(result: StaffingResult) -> str:
    """scenario.staffed.yaml: the whole scenario with the recommended staffing, every default
    written out; it describes the same demand, so `cxsim compare` pairs its customers."""
    import yaml

    data = effective_dict(result.recommended)
    data["description"] = f"{result.scenario.name} staffed by cxsim staff for " + ", ".join(
        t.describe() for t in result.targets
    )
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _target_json(t: Target) -> dict[str, Any]:
    return {
        "target": t.text,
        "kpi": t.kpi,
        "op": t.op,
        "value": t.value,
        "threshold_s": t.threshold_s,
        "group": t.group,
        "column": t.column,
        "applies_to": "customers arriving in each interval"
        if t.journey
        else (f"group {t.group}" if t.group else "each searched group's queues"),
    }


def _row_json(row: Row) -> dict[str, Any]:
    return {
        "interval": row.label,
        "group": row.group,
        "offered_load_erlangs": row.load_erlangs,
        "erlang_c": row.erlang_c,
        "erlang_a": row.erlang_a,
        "required": row.required,
        "heads": row.heads,
        "current_agents": row.current_agents,
        "current_heads": row.current_heads,
        "cost": row.cost,
        "current_cost": row.current_cost,
        "meets": not row.misses,
        "misses": row.misses,
        "settled": row.settled,
        "kpis": {key: _est(value) for key, value in row.kpis.items()},
    }


def totals(result: StaffingResult) -> dict[str, dict[str, float]]:
    """Per group: agent-hours on the phones, scheduled head-hours and cost, recommended and now."""
    out: dict[str, dict[str, float]] = {}
    for row in result.rows:
        t = out.setdefault(
            row.group,
            {
                "required_agent_hours": 0.0,
                "head_hours": 0.0,
                "current_head_hours": 0.0,
                "cost": 0.0,
                "current_cost": 0.0,
            },
        )
        t["required_agent_hours"] += row.required * row.hours
        t["head_hours"] += row.heads * row.hours
        t["current_head_hours"] += row.current_heads * row.hours
        t["cost"] += row.cost
        t["current_cost"] += row.current_cost
    return out


def staffing_document(result: StaffingResult) -> dict[str, Any]:
    """staffing.json: targets, method, search statistics, one row per interval and group."""
    return {
        "cxsim_version": __version__,
        "scenario": result.scenario.name,
        "seed": result.seed,
        "replications": result.replications,
        "targets": [_target_json(t) for t in result.targets],
        "service_level_thresholds_s": {
            name: ch.sl_threshold for name, ch in result.measured.channels.items()
        },
        "definitions": RULES,
        "search": {
            "passes": result.passes,
            "candidates": result.candidates,
            "simulations": result.simulations,
            "customers": result.customers,
            "settled": result.settled,
            "history": result.history,
        },
        "groups": {
            name: {
                "searched": info.searched,
                "reason": info.reason or None,
                "skills": list(info.queues),
                "concurrency": info.concurrency,
                "shrinkage": info.shrinkage,
                "agent_hour": info.hourly,
                "targets": [t.text for t in info.targets] if info.searched else [],
            }
            for name, info in result.groups.items()
        },
        "notes": result.notes,
        **({"risk": risk_json(result.risk)} if result.risk is not None else {}),
        "rows": [_row_json(r) for r in result.rows],
        "totals": totals(result),
        "variant": variant_overlay(result)["variants"],
    }


def _number(x: float | None, digits: int = 6) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return ""
    if isinstance(x, int):
        return str(x)
    return f"{x:.{digits}g}"


def staffing_csv(result: StaffingResult) -> str:
    """staffing.csv: one row per interval and group; each KPI as mean and CI bounds."""
    columns: list[str] = []
    for row in result.rows:
        for key in row.kpis:
            if key not in columns:
                columns.append(key)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    head = [
        "interval",
        "group",
        "offered_load_erlangs",
        "erlang_c",
        "erlang_a",
        "required",
        "heads",
        "current_agents",
        "current_heads",
        "cost",
        "current_cost",
        "meets",
        "settled",
    ]
    for key in columns:
        head += [key, f"{key}_ci_low", f"{key}_ci_high"]
    writer.writerow(head)
    for row in result.rows:
        line = [
            row.label,
            row.group,
            _number(row.load_erlangs),
            _number(row.erlang_c),
            _number(row.erlang_a),
            row.required,
            row.heads,
            row.current_agents,
            _number(row.current_heads),
            _number(row.cost),
            _number(row.current_cost),
            "yes" if not row.misses else "no",
            "yes" if row.settled else "no",
        ]
        for key in columns:
            e = row.kpis.get(key)
            line += [_number(e.mean), _number(e.ci_low), _number(e.ci_high)] if e else ["", "", ""]
        writer.writerow(line)
    return buffer.getvalue()


def staffing_plot(result: StaffingResult) -> bytes:
    """Current vs required agents on the phones by interval, with the Erlang C and A estimates,
    one panel per group. Deterministic bytes (no metadata that changes between runs)."""
    groups = _rows_by_group(result.rows)
    height = 1.0 + 2.6 * max(len(groups), 1)
    with chart_figure((10.0, height)) as fig:
        axes = fig.subplots(max(len(groups), 1), 1, squeeze=False)[:, 0]
        for ax, (group, rows) in zip(axes, groups.items(), strict=False):
            _draw_group_staffing(ax, group, rows)
            if ax is axes[0]:
                ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
        targets = ", ".join(t.describe() for t in result.targets)
        figure_title(fig, f"{result.scenario.name}: staffing for {targets}", fontsize=11)
        return png_bytes(fig)


def _rows_by_group(rows: list[Row]) -> dict[str, list[Row]]:
    """The rows of each group in time order, groups in the order their first row comes (the
    order of the result's rows), for one panel or one table per group."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    return groups


def _draw_group_staffing(ax: Axes, group: str, rows: list[Row]) -> None:
    """One group's panel: current and required agents as steps (what a planner schedules is
    constant over an interval), the Erlang estimates as dashed lines (Erlang A only where a
    channel has a patience), interval labels thinned to about sixteen."""
    x = list(range(len(rows)))
    ax.step(
        x, [r.current_agents for r in rows], where="mid", color="#9aa5b1", lw=2, label="current"
    )
    ax.step(
        x,
        [r.required for r in rows],
        where="mid",
        color="#2f6fde",
        lw=2.2,
        label="required (simulated)",
    )
    ax.plot(
        x,
        _gaps_for_none([r.erlang_c for r in rows]),
        color="#e07a1f",
        lw=1.2,
        ls="--",
        marker=".",
        label="Erlang C",
    )
    if any(r.erlang_a is not None for r in rows):
        ax.plot(
            x,
            _gaps_for_none([r.erlang_a for r in rows]),
            color="#0f9d8a",
            lw=1.2,
            ls=":",
            marker=".",
            label="Erlang A",
        )
    ax.set_title(f"{group}: agents on the phones")
    ax.set_ylim(bottom=0)
    step = max(1, math.ceil(len(rows) / 16))
    ticks = list(range(0, len(rows), step))
    ax.set_xticks(ticks, [rows[i].label for i in ticks], rotation=45, ha="right")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))


def _gaps_for_none(values: list[int | None]) -> list[float]:
    """Missing estimates as NaN, which matplotlib leaves as a gap in the line."""
    return [math.nan if v is None else float(v) for v in values]


def write_outputs(result: StaffingResult, out: Path) -> list[Path]:
    """Write every output file atomically; return their paths."""
    document = staffing_document(result)
    staffed = out / "scenario.staffed.yaml"
    return [
        write_atomic(out / "staffing.json", json.dumps(document, indent=2, allow_nan=False) + "\n"),
        write_atomic(out / "staffing.csv", staffing_csv(result)),
        write_atomic(out / "staffing.png", staffing_plot(result)),
        write_atomic(out / "staffing.variant.yaml", variant_yaml(result, str(staffed))),
        write_atomic(staffed, staffed_yaml(result)),
    ]


def _pct(e: Estimate | None, kind: str) -> str:
    """An achieved KPI with its CI; bounds clipped as in every table (see ``shown_bounds``)."""
    if e is None or not math.isfinite(e.mean):
        return "-"
    low, high = e.ci_low, e.ci_high
    if not math.isnan(low) and kind in ("share", "duration"):
        low = max(low, 0.0)  # never negative (a "number" may be: NPS)
        if kind == "share":
            high = min(high, 1.0)
    if kind == "share":
        text = f"{100 * e.mean:.1f}%"
        if not math.isnan(low):
            text += f" [{100 * low:.1f}, {100 * high:.1f}]"
        return text
    if kind == "duration":
        text = f"{e.mean:.0f}s"
        if not math.isnan(low):
            text += f" [{low:.0f}, {high:.0f}]"
        return text
    text = f"{e.mean:.3g}"
    if not math.isnan(low):
        text += f" [{low:.3g}, {high:.3g}]"
    return text


def _kind(t: Target) -> str:
    if t.journey:
        name = t.path[-1]
        return "share" if ("share" in name or name.endswith("rate") or name == "fcr") else "number"
    return QUEUE_KPIS[t.kpi][1]


def summary_text(result: StaffingResult, written: list[str], elapsed_s: float | None = None) -> str:
    """The terminal table: per group, interval by interval, then totals and what was written."""
    lines = _summary_header(result, elapsed_s)
    by_group = _rows_by_group(result.rows)
    money = any(result.groups[g].hourly for g in by_group)
    day_totals = totals(result)
    for group, rows in by_group.items():
        lines.append("")
        lines.extend(_group_table(result, group, rows))
        lines.append(_day_line(day_totals[group], money))
    lines.append("")
    lines.extend(_summary_legend(result, money))
    if written:
        lines.append("")
        lines.append("Wrote " + ", ".join(written))
    return "\n".join(lines) + "\n"


def _summary_header(result: StaffingResult, elapsed_s: float | None) -> list[str]:
    """What was asked and how hard the search worked, then what a planner must know before
    reading the tables: thresholds, groups left out, notes, the risk found, an unsettled
    search."""
    lines = [
        f"{result.scenario.name}: staffing for " + ", ".join(t.describe() for t in result.targets)
    ]
    timing = f", {elapsed_s:.1f}s" if elapsed_s is not None else ""
    lines.append(
        f"{result.replications} replication(s) per candidate, seed {result.seed}; "
        f"{result.passes} pass(es), {result.candidates} candidate day(s), "
        f"{result.simulations} whole-day simulations{timing}"
    )
    if result.thresholds:
        lines.append(
            "Service level measured at "
            + ", ".join(f"{c} {format_duration(t)}" for c, t in result.thresholds.items())
        )
    skipped = [i for i in result.groups.values() if not i.searched]
    for info in skipped:
        lines.append(f"Not staffed: {info.name} ({info.reason})")
    lines.extend(f"Note: {note}" for note in result.notes)
    if result.risk is not None:
        lines.extend(risk_lines(result.risk))
    if not result.settled:
        lines.append(
            "warning: the search did not settle within its passes; rows marked '~' may not "
            "be minimal (raise --max-passes)"
        )
    return lines


def _group_table(result: StaffingResult, group: str, rows: list[Row]) -> list[str]:
    """One group's title and its table, a line per interval: load, the staffing now, the
    Erlang seeds, the agents needed and heads to schedule, and each target's KPI achieved;
    columns aligned to their widest cell."""
    info = result.groups[group]
    conc = f", concurrency {info.concurrency}" if info.concurrency > 1 else ""
    lines = [f"{group} (shrinkage {100 * info.shrinkage:.0f}%{conc}): agents on the phones"]
    kpi_targets = [*info.targets, *(t for t in result.targets if t.journey)]
    header = ["interval", "load", "now", "Erl C", "Erl A", "need", "heads"]
    header += [t.label for t in kpi_targets]
    table = [header]
    for row in rows:
        mark = "" if row.settled else "~"
        miss = " !" if row.misses else ""
        line = [
            row.label,
            f"{row.load_erlangs:.1f}",
            str(row.current_agents),
            "-" if row.erlang_c is None else str(row.erlang_c),
            "-" if row.erlang_a is None else str(row.erlang_a),
            f"{row.required}{mark}{miss}",
            str(row.heads),
        ]
        line += [_pct(row.kpis.get(t.column), _kind(t)) for t in kpi_targets]
        table.append(line)
    widths = [max(len(r[k]) for r in table) for k in range(len(header))]
    for r in table:
        cells = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
        ]
        lines.append("  " + "  ".join(cells))
    return lines


def _day_line(day: dict[str, float], money: bool) -> str:
    """A group's day under its table: hours on the phones and scheduled, beside today's; the
    operating cost only when some group has an hourly cost."""
    text = (
        f"  Day: {day['required_agent_hours']:,.1f} agent-hours on the phones, "
        f"{day['head_hours']:,.1f} scheduled head-hours (now {day['current_head_hours']:,.1f})"
    )
    if money:
        text += f"; operating cost {day['cost']:,.0f} (now {day['current_cost']:,.0f})"
    return text


def _summary_legend(result: StaffingResult, money: bool) -> list[str]:
    """What the columns mean, below the tables; the risk and cost sentences only when the
    tables show them."""
    lines = [
        "need = the fewest agents on the phones that meet every target (on the mean over "
        "replications);",
        "heads = scheduled heads, shrinkage included; '!' = still misses a target.",
    ]
    if result.risk is not None:
        lines.append(
            f"With --on-share-of-days {result.risk.asked:g}: need = the plan whose targets hold "
            f"on that share of {result.risk.days} simulated days (each day's KPIs over the whole "
            "day); the KPIs below are means over those days."
        )
    lines.append("KPIs achieved with the recommended staffing: mean [95% CI].")
    if money:
        lines.append(
            "Operating cost = scheduled head-hours x agent_hour; the customer value at risk is "
            "not in it (cxsim compare the scenario with the staffed one to see both)."
        )
    return lines
