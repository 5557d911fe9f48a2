"""How a sweep is shown: ``sweep.csv``, ``sweep.json``, two PNGs per swept parameter, a table.

Every output carries each channel's KPIs (service level against the channel's own threshold,
abandonment, ASA, p90 wait) and each team's occupancy beside the whole-run figures; waits are
never given for all channels together, since voice seconds and e-mail hours do not average.

Nothing here depends on how the sweep ran (in one go or resumed, on one worker or many): every
output is a function of the :class:`~simulator.experiment.sweep.SweepResult` alone, with no
timings or dates, so an interrupted-then-resumed sweep writes byte-identical files.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import re
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.ticker import MaxNLocator, PercentFormatter

from simulator import __version__
from simulator.experiment.compare import HEADLINE
from simulator.experiment.replicate import to_jsonable
from simulator.experiment.stats import Estimate
from simulator.experiment.sweep import KpiPath, Sweep, SweepResult, curves, kpi_parts
from simulator.report.files import write_atomic
from simulator.report.plots import (
    BLUE,
    GREY,
    ORANGE,
    PURPLE,
    RED,
    TEAL,
    chart_figure,
    figure_title,
    png_bytes,
)
from simulator.report.text import fmt
from simulator.scenario import effective_dict

#: Short titles of the whole-run KPIs, for the terminal table and plot panels.
LABELS: dict[str, str] = {
    "journey.repeats_per_100": "repeats/100",
    "journey.fcr": "FCR",
    "overall.service_level": "service level (all)",
    "overall.abandon_rate": "abandonment (all)",
    "journey.churn_rate": "churn",
    "journey.frustration.mean_final": "final frustration",
    "costs.operating": "operating cost",
    "costs.value_at_risk": "value at risk",
    "overall.occupancy": "occupancy (all)",
}
#: Short titles of the KPIs of a channel or a team.
SCOPED_LABELS: dict[str, str] = {
    "service_level": "SL",
    "abandon_rate": "abandon",
    "asa_s": "ASA",
    "wait_p90_s": "p90 wait",
    "occupancy": "occupancy",
}
#: Panel titles of those, longer.
PANEL_TITLES: dict[str, str] = {
    "service_level": "service level",
    "abandon_rate": "abandonment",
    "asa_s": "ASA (answered)",
    "wait_p90_s": "90th percentile wait",
    "occupancy": "occupancy",
}

#: The whole-run plot: journeys and cost (each team's occupancy is added).
RUN_PLOT_KPIS = tuple(kpi for kpi, _, _ in HEADLINE)
#: The per-channel plot: one row per KPI, one column per channel.
CHANNEL_PLOT_KPIS = ("service_level", "abandon_rate", "asa_s")
#: The terminal table: each channel's service level and abandonment, then these.
TABLE_RUN_KPIS = (
    "journey.fcr",
    "journey.repeats_per_100",
    "journey.churn_rate",
    "costs.operating",
    "costs.value_at_risk",
)
TABLE_CHANNEL_KPIS = ("service_level", "abandon_rate")

#: KPIs that are shares (0-1), drawn on a percent axis.
SHARES = ("service_level", "abandon_rate", "fcr", "churn_rate", "occupancy")

EXPLANATION = (
    "Every point ran the same replications with the same seed, so replication r of every point "
    "saw the same customers (common random numbers): differences between points come from the "
    "parameters, not from the dice. Intervals are 95 % Student t intervals across replications."
)

#: Line colors for the values of the other parameter (cycled when there are more values).
PALETTE = (BLUE, ORANGE, TEAL, RED, PURPLE, GREY, "#3fa34d", "#b8336a")
#: Panel size, in inches.
PANEL_WIDTH, PANEL_HEIGHT = 5.0, 2.4


def sweep_document(result: SweepResult) -> dict[str, Any]:
    """``sweep.json``: the grid, and each point's full KPI summary with 95 % CIs."""
    sweep = result.sweep
    return {
        "cxsim_version": __version__,
        "scenario": sweep.base.name,
        "file": sweep.source,
        "seed": sweep.seed,
        "replications": sweep.replications,
        "parameters": [{"key": a.key, "values": list(a.values)} for a in sweep.axes],
        "headline_kpis": [".".join(kpi) for kpi in sweep.kpis],
        "channels": list(sweep.channels),
        "groups": list(sweep.groups),
        "explanation": EXPLANATION,
        "points": [
            {"parameters": point.values(sweep.axes), "kpis": _metrics(result, point.index)}
            for point in sweep.points
        ],
        "effective_scenario": effective_dict(dataclasses.replace(sweep.base, seed=sweep.seed)),
    }


def _metrics(result: SweepResult, index: int) -> dict[str, Any]:
    """A point's KPI summary shaped like the ``metrics`` of a results document."""
    metrics = to_jsonable(result.summaries[index])
    horizon = result.sweep.points[index].scenario.horizon
    for i, row in enumerate(metrics.get("by_interval") or []):
        metrics["by_interval"][i] = {"interval": horizon.label(i), **row}
    return metrics


def sweep_json(result: SweepResult) -> str:
    return json.dumps(sweep_document(result), indent=2, allow_nan=False) + "\n"


def sweep_csv(result: SweepResult) -> str:
    """One row per point: the swept values as given, then ``<kpi>``, ``<kpi>_ci_low`` and
    ``<kpi>_ci_high`` for each KPI of :attr:`Sweep.kpis` (the whole run, then
    ``by_channel.<channel>.<kpi>`` and ``by_group.<group>.<kpi>``; 6 significant digits,
    undefined values empty), the same conventions as ``intervals.csv``."""
    sweep = result.sweep
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = [a.key for a in sweep.axes]
    for kpi in sweep.kpis:
        name = ".".join(kpi)
        header += [name, f"{name}_ci_low", f"{name}_ci_high"]
    writer.writerow(header)
    for point in sweep.points:
        row: list[str] = list(point.labels(sweep.axes).values())
        for kpi in sweep.kpis:
            e = result.estimate(point.index, kpi)
            row += [_num(e.mean), _num(e.ci_low), _num(e.ci_high)]
        writer.writerow(row)
    return out.getvalue()


def sweep_text(result: SweepResult, outputs: Sequence[str] = ()) -> str:
    """A short terminal table: each point's KPI means (the CIs are in the files)."""
    sweep = result.sweep
    resumed = f", {result.reused} reused from an earlier run" if result.reused else ""
    lines = [
        f"{sweep.base.name}: sweep of {len(sweep.points)} point(s) x {sweep.replications} "
        f"replication(s), seed {sweep.seed}{resumed}",
        "",
    ]
    columns = _table_columns(result)
    header = [_short_key(a.key) for a in sweep.axes] + [label for label, _ in columns]
    rows = [header]
    for point in sweep.points:
        cells = list(point.labels(sweep.axes).values())
        for _, kpi in columns:
            cells.append(_show(kpi, result.estimate(point.index, kpi).mean))
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for row in rows:
        lines.append("  " + "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    lines += ["", "  Means over replications; 95 % CIs are in sweep.csv and sweep.json."]
    lines += textwrap.wrap(EXPLANATION, width=96, initial_indent="  ", subsequent_indent="  ")
    if outputs:
        lines += ["", "  Wrote " + ", ".join(outputs)]
    return "\n".join(lines) + "\n"


def _table_columns(result: SweepResult) -> list[tuple[str, KpiPath]]:
    """(title, KPI) of the terminal table: each channel's service level and abandonment (a
    single channel needs no name), then the journeys and the cost."""
    sweep = result.sweep
    named = len(sweep.channels) > 1
    columns = [
        (f"{channel} {SCOPED_LABELS[k]}" if named else SCOPED_LABELS[k], ("by_channel", channel, k))
        for channel in sweep.channels
        for k in TABLE_CHANNEL_KPIS
    ]
    run = set(sweep.run_kpis)
    columns += [(LABELS[k], kpi_parts(k)) for k in TABLE_RUN_KPIS if kpi_parts(k) in run]
    return columns


def plot_name(key: str) -> str:
    """``sweep_agents.chat_support.count.png``: the key, made safe for every file system."""
    return f"sweep_{re.sub(r'[^A-Za-z0-9._-]', '_', key)}.png"


def channels_plot_name(key: str) -> str:
    """``sweep_agents.chat_support.count_channels.png``: the per-channel plot of a parameter."""
    return plot_name(key).removesuffix(".png") + "_channels.png"


def sweep_plots(result: SweepResult) -> dict[str, bytes]:
    """Two PNGs per swept parameter, each panel a mean line with a shaded 95 % CI band:

    * ``sweep_<key>.png``: the journeys and the cost, and each team's occupancy;
    * ``sweep_<key>_channels.png``: one column per channel, one row per KPI (service level,
      abandonment, ASA), so each channel is read against its own promise.

    With two parameters each panel has one line per value of the other; with more, each line
    is the KPI averaged over the other parameters (see :func:`~simulator.experiment.sweep.
    curves`), and the title says so.
    """
    plots = {}
    for a, axis in enumerate(result.sweep.axes):
        plots[plot_name(axis.key)] = _figure(
            result, a, run_panels(result.sweep), f"KPIs against {axis.key}"
        )
        plots[channels_plot_name(axis.key)] = _figure(
            result, a, channel_panels(result.sweep), f"each channel against {axis.key}"
        )
    return plots


Panels = list[list[tuple[str, KpiPath]]]


def run_panels(sweep: Sweep) -> Panels:
    """Rows of (title, KPI) of ``sweep_<key>.png``: journeys, cost, each team's occupancy."""
    run = set(sweep.run_kpis)
    panels = [(LABELS.get(k, k), kpi_parts(k)) for k in RUN_PLOT_KPIS if kpi_parts(k) in run]
    panels += [(f"team {g}: occupancy", ("by_group", g, "occupancy")) for g in sweep.groups]
    columns = 2 if len(panels) > 3 else 1
    return [panels[i : i + columns] for i in range(0, len(panels), columns)]


def channel_panels(sweep: Sweep) -> Panels:
    """Rows of (title, KPI) of ``sweep_<key>_channels.png``: a row per KPI, a column per
    channel."""
    return [
        [
            (f"{channel}: {PANEL_TITLES[k]}", ("by_channel", channel, k))
            for channel in sweep.channels
        ]
        for k in CHANNEL_PLOT_KPIS
    ]


def _figure(result: SweepResult, a: int, grid: Panels, title: str) -> bytes:
    """Panels in rows (``grid``: rows of (title, KPI)), the parameter on every x axis."""
    sweep = result.sweep
    axis = sweep.axes[a]
    columns = max(len(row) for row in grid)
    width = max(10.0, PANEL_WIDTH * columns)
    with chart_figure((width, PANEL_HEIGHT * len(grid) + 0.8)) as fig:
        axes = fig.subplots(len(grid), columns, squeeze=False)
        note = ""
        for r, row in enumerate(grid):
            for k in range(columns):
                ax = axes[r][k]
                if k >= len(row):
                    ax.set_axis_off()
                    continue
                panel_title, kpi = row[k]
                note = _panel(ax, result, a, kpi, panel_title, legend=(r, k) == (0, 0))
                if r == len(grid) - 1 or k >= len(grid[r + 1]):  # the lowest of its column
                    ax.set_xlabel(axis.key)
        extra = f"; {note}" if note else ""
        figure_title(
            fig,
            f"{sweep.base.name}: {title}\n"
            f"mean of {sweep.replications} replications, shaded: 95 % CI{extra}",
            fontsize=11,
        )
        return png_bytes(fig)


def _panel(ax: Any, result: SweepResult, a: int, kpi: KpiPath, title: str, legend: bool) -> str:
    """One KPI against parameter ``a``: a line per curve with its band; returns the curves' note."""
    axis = result.sweep.axes[a]
    lines, note = curves(result, kpi, a)
    for i, line in enumerate(lines):
        color = PALETTE[i % len(PALETTE)]
        xs = _x(axis.values, line.positions, axis.numeric)
        alpha = 0.18 if len(lines) == 1 else 0.1  # overlapping bands stay readable
        _band(ax, xs, line.estimates, color, line.label, kpi[-1], alpha)
    unit = " (s)" if kpi[-1].endswith("_s") else ""
    ax.set_title(title + unit)
    if kpi[-1] in SHARES:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
    if not axis.numeric:
        ax.set_xticks(range(len(axis.labels)), axis.labels)
        ax.set_xlim(-0.5, len(axis.labels) - 0.5)
    elif len(axis.values) <= 12:
        ax.set_xticks([float(v) for v in axis.values], axis.labels)
    elif all(isinstance(v, int) for v in axis.values):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(lines) > 1 and legend:
        ax.legend(fontsize=8, loc="best")
    return note


def write_sweep(out: Path, result: SweepResult) -> tuple[list[Path], str]:
    """Write every output atomically; the written paths and the ``sweep.json`` text."""
    text = sweep_json(result)
    written = [
        write_atomic(out / "sweep.csv", sweep_csv(result)),
        write_atomic(out / "sweep.json", text),
    ]
    written += [write_atomic(out / name, png) for name, png in sweep_plots(result).items()]
    return written, text


def _band(
    ax: Any,
    xs: Sequence[float],
    estimates: Sequence[Estimate],
    color: str,
    label: str | None,
    kpi: str,
    alpha: float,
) -> None:
    """A mean line with markers and a shaded 95 % CI band (a whisker for a single value)."""
    means = np.array([e.mean for e in estimates], dtype=float)
    lows = np.array([e.ci_low for e in estimates], dtype=float)
    highs = np.array([e.ci_high for e in estimates], dtype=float)
    ax.plot(xs, means, color=color, marker="o", markersize=3.5, linewidth=1.8, label=label)
    ok = np.isfinite(lows) & np.isfinite(highs)
    if kpi in SHARES:
        lows, highs = np.clip(lows, 0.0, 1.0), np.clip(highs, 0.0, 1.0)
    if len(xs) == 1 and ok[0]:
        err = [[max(means[0] - lows[0], 0.0)], [max(highs[0] - means[0], 0.0)]]
        ax.errorbar(xs, means, yerr=err, fmt="none", ecolor=color, capsize=4, lw=1.2)
    elif ok.any():
        ax.fill_between(xs, lows, highs, where=ok, color=color, alpha=alpha, linewidth=0)


def _x(values: Sequence[Any], positions: Sequence[int], numeric: bool) -> list[float]:
    return [float(values[i]) if numeric else float(i) for i in positions]


def _short_key(key: str) -> str:
    """The last two segments of a long key (``chat_support.count``), for narrow columns."""
    parts = key.split(".")
    return ".".join(parts[-2:]) if len(key) > 24 and len(parts) > 2 else key


def _show(kpi: KpiPath, value: float) -> str:
    leaf = kpi[-1]
    if kpi[0] == "costs":
        return "-" if math.isnan(value) else f"{value:,.0f}"
    return fmt(leaf, value)


def _num(x: float) -> str:
    return "" if x is None or math.isnan(x) else f"{x:.6g}"
