"""How a sweep is shown: ``sweep.csv``, ``sweep.json``, one PNG per swept parameter, a table.

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
from simulator.experiment.replicate import to_jsonable
from simulator.experiment.stats import Estimate
from simulator.experiment.sweep import SweepResult, curves
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

#: Short column titles of the terminal table and plot panels.
LABELS: dict[str, str] = {
    "journey.repeats_per_100": "repeats/100",
    "journey.fcr": "FCR",
    "overall.service_level": "service level",
    "overall.abandon_rate": "abandonment",
    "journey.churn_rate": "churn",
    "journey.frustration.mean_final": "final frustration",
    "costs.total": "total cost",
    "overall.asa_s": "ASA",
    "overall.occupancy": "occupancy",
}

#: KPIs that are shares (0-1), drawn on a percent axis.
SHARES = ("service_level", "abandon_rate", "fcr", "churn_rate", "occupancy")

EXPLANATION = (
    "Every point ran the same replications with the same seed, so replication r of every point "
    "saw the same customers (common random numbers): differences between points come from the "
    "parameters, not from the dice. Intervals are 95 % Student t intervals across replications."
)

#: Line colors for the values of the other parameter (cycled when there are more values).
PALETTE = (BLUE, ORANGE, TEAL, RED, PURPLE, GREY, "#3fa34d", "#b8336a")


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
        "headline_kpis": list(sweep.kpis),
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
    ``<kpi>_ci_high`` for each headline KPI (6 significant digits; undefined values empty), the
    same conventions as ``intervals.csv``."""
    sweep = result.sweep
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = [a.key for a in sweep.axes]
    for kpi in sweep.kpis:
        header += [kpi, f"{kpi}_ci_low", f"{kpi}_ci_high"]
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
    header = [_short_key(a.key) for a in sweep.axes] + [LABELS.get(k, k) for k in sweep.kpis]
    rows = [header]
    for point in sweep.points:
        cells = list(point.labels(sweep.axes).values())
        for kpi in sweep.kpis:
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


def plot_name(key: str) -> str:
    """``sweep_agents.chat_support.count.png``: the key, made safe for every file system."""
    return f"sweep_{re.sub(r'[^A-Za-z0-9._-]', '_', key)}.png"


def sweep_plots(result: SweepResult) -> dict[str, bytes]:
    """One PNG per swept parameter: a panel per headline KPI, mean line and shaded 95 % CI.

    With two parameters each panel has one line per value of the other; with more, each line
    is the KPI averaged over the other parameters (see :func:`~simulator.experiment.sweep.
    curves`), and the title says so.
    """
    sweep = result.sweep
    plots = {}
    for a, axis in enumerate(sweep.axes):
        kpis = sweep.kpis
        columns = 2 if len(kpis) > 3 else 1
        rows = math.ceil(len(kpis) / columns)
        with chart_figure((10.0, 2.4 * rows + 0.8)) as fig:
            grid = fig.subplots(rows, columns, squeeze=False)
            note = ""
            for k, kpi in enumerate(kpis):
                ax = grid[k // columns][k % columns]
                lines, note = curves(result, kpi, a)
                for i, line in enumerate(lines):
                    color = PALETTE[i % len(PALETTE)]
                    xs = _x(axis.values, line.positions, axis.numeric)
                    alpha = 0.18 if len(lines) == 1 else 0.1  # overlapping bands stay readable
                    _band(ax, xs, line.estimates, color, line.label, kpi, alpha)
                unit = " (s)" if kpi.endswith("_s") else ""
                ax.set_title(LABELS.get(kpi, kpi) + unit)
                if kpi.rsplit(".", 1)[-1] in SHARES:
                    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))
                if not axis.numeric:
                    ax.set_xticks(range(len(axis.labels)), axis.labels)
                    ax.set_xlim(-0.5, len(axis.labels) - 0.5)
                elif len(axis.values) <= 12:
                    ax.set_xticks([float(v) for v in axis.values], axis.labels)
                elif all(isinstance(v, int) for v in axis.values):
                    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
                if len(lines) > 1 and k == 0:
                    ax.legend(fontsize=8, loc="best")
            for k in range(len(kpis), rows * columns):
                grid[k // columns][k % columns].set_axis_off()
            for column in range(columns):  # under the lowest panel of each column
                last = max(k for k in range(len(kpis)) if k % columns == column)
                grid[last // columns][column].set_xlabel(axis.key)
            extra = f"; {note}" if note else ""
            figure_title(
                fig,
                f"{sweep.base.name}: KPIs against {axis.key}\n"
                f"mean of {sweep.replications} replications, shaded: 95 % CI{extra}",
                fontsize=11,
            )
            plots[plot_name(axis.key)] = png_bytes(fig)
    return plots


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
    if kpi.rsplit(".", 1)[-1] in SHARES:
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


def _show(kpi: str, value: float) -> str:
    leaf = kpi.rsplit(".", 1)[-1]
    if leaf == "total":
        return "-" if math.isnan(value) else f"{value:,.0f}"
    return fmt(leaf, value)


def _num(x: float) -> str:
    return "" if x is None or math.isnan(x) else f"{x:.6g}"
