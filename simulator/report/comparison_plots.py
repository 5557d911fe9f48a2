"""PNG charts of a what-if comparison, for ``comparison.html``, ``comparison.md`` and slides.

Five charts tell the story of a comparison at a glance:

* ``headline_kpis.png``: the customer-journey KPIs and the cost of the summary sentence
  (:data:`~simulator.experiment.compare.HEADLINE`), one panel each, the base and every variant
  as bars with 95 % CI whiskers and, over each variant, its paired difference colored by verdict;
* ``channels.png``: the same per channel, one row of panels per channel (service level,
  abandonment, ASA), so a variant that helps one channel and hurts another shows both sides.
  Waits are never blended across channels: voice seconds and e-mail hours do not average;
* ``teams.png``: the occupancy of every agent group, one panel per team;
* ``frustration.png``: how frustrated customers end (and how frustrated they get at worst),
  one step line per scenario, with the scenario's "angry" threshold marked;
* ``costs.png``: the operating cost and the customer value at risk, in two rows that are never
  added: each stacked by component per scenario, and each variant's change against the base
  with its paired CI. Left out when no scenario has a ``costs`` block.

The charts use the style and helpers of :mod:`simulator.report.plots` (same colors, fonts,
deterministic PNG bytes). The whiskers on the bars are each scenario's own 95 % CI; the verdicts
come from the *paired* differences, which are much sharper (common random numbers), so two
overlapping whiskers can still be a significant difference. The captions say so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from simulator.experiment.compare import CHANNEL_HEADLINE, HEADLINE, Comparison
from simulator.experiment.replicate import RunResult
from simulator.experiment.stats import Estimate
from simulator.experiment.verdicts import (
    BETTER,
    CHANNEL,
    GROUP,
    RUN,
    WORSE,
    Difference,
    scoped_path,
    style_of,
)
from simulator.report.comparison import (
    CAPTIONS,
    CHANNELS_PNG,
    COSTS_PNG,
    FRUSTRATION_PNG,
    HEADLINE_PNG,
    NO_COSTS,
    TEAMS_PNG,
)
from simulator.report.files import write_atomic
from simulator.report.plots import (
    BLUE,
    GREY,
    INK,
    MUTED,
    ORANGE,
    PURPLE,
    RED,
    STATE_COLORS,
    TEAL,
    chart_figure,
    ci_whiskers,
    empty_chart,
    figure_title,
    png_bytes,
)
from simulator.units import format_duration

__all__ = [
    "CAPTIONS",
    "CHANNELS_PNG",
    "COSTS_PNG",
    "FRUSTRATION_PNG",
    "HEADLINE_PNG",
    "NO_COSTS",
    "TEAMS_PNG",
    "channels_plot",
    "comparison_plots",
    "costs_plot",
    "frustration_plot",
    "has_costs",
    "headline_plot",
    "teams_plot",
    "write_comparison_plots",
]

#: The base is neutral grey; variants get the report's accent colors, in order.
BASE_COLOR = "#7b8794"
VARIANT_COLORS = (BLUE, TEAL, PURPLE, ORANGE, "#c2185b", "#5d4037", "#00838f", "#827717")
#: Verdict colors, as in the HTML tables: green better, red worse, grey no significant change.
VERDICT_COLORS = {BETTER: "#2b7a37", WORSE: "#b42323"}

#: The two money rows of ``costs.png``, never added: (key of the sum, title, its parts as
#: (key in the ``costs`` block, label, color)).
COST_ROWS = (
    (
        "operating",
        "Operating cost",
        (
            ("agents", "agents", BLUE),
            ("overtime", "overtime", "#1c4f9c"),
            ("bots", "bots", PURPLE),
            ("platform", "platform", TEAL),
        ),
    ),
    (
        "value_at_risk",
        "Customer value at risk (model)",
        (
            ("churn_above_base", "churn above base", RED),
            ("word_of_mouth", "word of mouth", ORANGE),
        ),
    ),
)

#: Panel titles, by KPI (whole-run paths, and keys inside a channel or a team).
TITLES = {
    "journey.repeats_per_100": "Repeats per 100 customers",
    "journey.fcr": "First-contact resolution",
    "journey.churn_rate": "Expected churn",
    "journey.frustration.mean_final": "Final frustration (0-100)",
    "costs.operating": "Operating cost per run",
    "costs.value_at_risk": "Value at risk per run (model)",
    "service_level": "service level",
    "abandon_rate": "abandonment",
    "asa_s": "ASA (answered)",
    "occupancy": "occupancy",
}

#: What the colored numbers over the variants' bars are.
DELTA_KEY = (
    "Colored numbers: paired difference vs base",
    "green better, red worse, grey not significant",
    "pts: percentage points; %: relative change",
)
#: How the legend of each frustration panel says "angry or worse".
ANGRY_WORDS = ("ended angry or worse", "were angry at some point")
HEADLINE_SIZE = (12.0, 6.6)
PANEL_HEIGHT = 3.1
FRUSTRATION_SIZE = (12.0, 5.0)
#: Ticks of the square-root frustration axis, in percent of customers.
SQRT_TICKS = (0, 2, 5, 10, 20, 30, 40, 60, 80, 100)
COSTS_SIZE = (12.0, 8.4)
#: Most team panels side by side in ``teams.png``.
TEAM_COLUMNS = 4


@dataclass(frozen=True)
class Panel:
    """One bar panel: a KPI in a scope (the whole run, a channel or a team), and its title."""

    kpi: str
    scope: str = RUN
    name: str = ""
    title: str = ""


# --------------------------------------------------------------------------------------------
# The public API


def has_costs(c: Comparison) -> bool:
    """Whether any compared scenario prices something (a costs block with non-zero amounts)."""
    return any(
        _estimate(r, ("costs", key)).mean > 0
        for r in _results(c).values()
        for key in ("operating", "value_at_risk")
    )


def headline_plot(c: Comparison) -> bytes:
    """The journey KPIs and the cost: one panel per KPI, bars per scenario with deltas."""
    panels = [
        Panel(kpi, title=TITLES.get(kpi, kpi))
        for kpi, _, style in HEADLINE
        if style != "money" or has_costs(c)
    ]
    names = list(_results(c))
    # Fewer, wider panels when there are many scenarios, so that bar labels keep apart.
    columns = (4 if len(panels) > 6 else 3) if len(names) <= 3 else 3 if len(names) <= 4 else 2
    return _bar_chart(
        c,
        panels,
        columns,
        f"{c.base.scenario.name}: customer journeys, mean per replication with 95 % CI "
        f"({c.base.replications} paired replications)",
    )


def channels_plot(c: Comparison) -> bytes:
    """One row per channel: its service level, abandonment and ASA, bars with deltas."""
    panels = [
        Panel(kpi, CHANNEL, channel, _channel_title(c, channel, kpi))
        for channel in c.names(CHANNEL)
        for kpi in CHANNEL_HEADLINE
    ]
    return _bar_chart(
        c,
        panels,
        len(CHANNEL_HEADLINE),
        f"{c.base.scenario.name}: each channel against its own promise, mean per replication "
        f"with 95 % CI ({c.base.replications} paired replications)",
        legend_panel=False,
    )


def _channel_title(c: Comparison, channel: str, kpi: str) -> str:
    """``chat: service level (within 1m)``: each channel's level is against its own threshold."""
    title = f"{channel}: {TITLES.get(kpi, kpi)}"
    settings = c.base.scenario.channels.get(channel)
    if kpi == "service_level" and settings is not None:
        title += f" (within {format_duration(settings.sl_threshold)})"
    return title


def teams_plot(c: Comparison) -> bytes:
    """The occupancy of every team (agent group), one panel each."""
    panels = [Panel("occupancy", GROUP, group, f"team {group}") for group in c.names(GROUP)]
    return _bar_chart(
        c,
        panels,
        min(TEAM_COLUMNS, max(len(panels), 1)),
        f"{c.base.scenario.name}: occupancy of each team, mean per replication with 95 % CI",
        legend_panel=False,
    )


def comparison_plots(c: Comparison) -> dict[str, bytes]:
    """Every chart as ``{file name: PNG bytes}``, in report order; no costs chart without
    costs, no team chart when the results carry no team figures."""
    plots = {HEADLINE_PNG: headline_plot(c), CHANNELS_PNG: channels_plot(c)}
    if c.names(GROUP):
        plots[TEAMS_PNG] = teams_plot(c)
    plots[FRUSTRATION_PNG] = frustration_plot(c)
    if has_costs(c):
        plots[COSTS_PNG] = costs_plot(c)
    return plots


def write_comparison_plots(
    c: Comparison, out_dir: str | Path, plots: Mapping[str, bytes] | None = None
) -> list[Path]:
    """Write the charts (drawn now unless ``plots`` are given) atomically into ``out_dir``."""
    plots = comparison_plots(c) if plots is None else plots
    return [write_atomic(Path(out_dir) / name, data) for name, data in plots.items()]


# --------------------------------------------------------------------------------------------
# Bar panels


def _bar_chart(
    c: Comparison, panels: Sequence[Panel], columns: int, title: str, legend_panel: bool = True
) -> bytes:
    """Panels of bars in a grid; the legend in a free panel if there is one, else below."""
    names = list(_results(c))
    colors = _colors(names)
    rows = max(1, math.ceil(len(panels) / columns))
    with chart_figure((HEADLINE_SIZE[0], PANEL_HEIGHT * rows + 0.9)) as fig:
        if not panels:
            empty_chart(fig, title, "The results carry no figures for this chart.")
            return png_bytes(fig)
        axes = fig.subplots(rows, columns, squeeze=False).ravel()
        for ax, panel in zip(axes, panels, strict=False):
            _bar_panel(ax, c, panel, names, colors)
        for ax in axes[len(panels) :]:
            ax.set_axis_off()
        handles = [Patch(color=colors[n], label=_legend_name(c, n)) for n in names]
        if legend_panel and len(panels) < len(axes):  # a free panel: the legend goes there
            axes[-1].legend(handles=handles, loc="upper center", fontsize=10, title="scenarios")
            axes[-1].text(
                0.5, 0.0, "\n".join(DELTA_KEY), ha="center", va="bottom", fontsize=8.5, color=MUTED
            )
        else:
            fig.legend(
                handles=handles,
                loc="outside lower center",
                ncols=min(len(handles), 5),
                fontsize=9,
                title="; ".join(DELTA_KEY),
                title_fontsize=8.5,
            )
        figure_title(fig, title)
        return png_bytes(fig)


def _bar_panel(
    ax: Any, c: Comparison, panel: Panel, names: Sequence[str], colors: Mapping[str, str]
) -> None:
    """One KPI: a bar per scenario with its CI whisker, its value, and each variant's delta."""
    results = _results(c)
    style = style_of(panel.kpi)
    scale = 100.0 if style == "points" else 1.0
    path = scoped_path(panel.kpi, panel.scope, panel.name)
    ests = [_estimate(results[name], path) for name in names]
    triples = [(e.mean * scale, e.ci_low * scale, e.ci_high * scale) for e in ests]
    means = [m if math.isfinite(m) else 0.0 for m, _, _ in triples]
    x = np.arange(len(names))
    ax.bar(x, means, color=[colors[n] for n in names], width=0.68, zorder=2)
    ci_whiskers(ax, x, triples, floor=0.0)
    top = max(
        means
        + [hi for _, _, hi in triples if math.isfinite(hi)]
        + [1.0]  # an all-zero KPI (no repeats anywhere) still gets a 0-1 axis
    )
    unit = _time_unit(top) if style == "time" else None
    for xi, name, (m, _, hi) in zip(x, names, triples, strict=True):
        y = max(m, hi) if math.isfinite(hi) else m
        difference = None if name == _BASE else _difference(c, name, panel)
        _label_bar(ax, xi, y if math.isfinite(y) else 0.0, panel, m, difference, unit)
    ax.set_ylim(0, top * 1.32)
    _scenario_ticks(ax, x, names)
    ax.set_title(panel.title or TITLES.get(panel.kpi, panel.kpi), fontsize=10.5)
    if style == "points":
        ax.yaxis.set_major_formatter(PercentFormatter(100.0, decimals=0 if top > 5 else 1))
    elif style == "money":
        ax.yaxis.set_major_formatter(FuncFormatter(_money_tick))
    elif unit is not None:
        seconds, suffix = unit
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v / seconds:g}{suffix}"))


def _label_bar(
    ax: Any,
    x: float,
    y: float,
    panel: Panel,
    mean: float,
    difference: Difference | None,
    unit: tuple[float, str] | None,
) -> None:
    """The bar's value over it and, for a variant, its paired difference colored by verdict."""
    style = style_of(panel.kpi)
    common = {"xy": (x, y), "textcoords": "offset points", "ha": "center", "va": "bottom"}
    value = _value(panel.kpi, mean, style == "points", unit)
    ax.annotate(value, xytext=(0, 3), fontsize=8.5, color=INK, **common)
    if difference is None:
        return
    ax.annotate(
        _short_delta(difference, style, unit),
        xytext=(0, 15),
        fontsize=8.5,
        fontweight="bold",
        color=VERDICT_COLORS.get(difference.verdict, MUTED),
        **common,
    )


def _scenario_ticks(ax: Any, x: np.ndarray, names: Sequence[str]) -> None:
    if len(names) > 8:  # very many scenarios: slanted one-line names do not collide
        ax.set_xticks(x, [_tick(n, 40) for n in names], fontsize=8, rotation=35, ha="right")
    else:
        ax.set_xticks(x, [_tick(n) for n in names], fontsize=8.5)
    ax.set_xlim(-0.6, len(names) - 0.4)
    ax.grid(axis="x", visible=False)


def _time_unit(top: float) -> tuple[float, str]:
    """Seconds, minutes or hours for a wait axis, by its largest value: e-mail waits read in
    hours, voice waits in seconds."""
    if top >= 3 * 3600:
        return 3600.0, "h"
    if top >= 3 * 60:
        return 60.0, "m"
    return 1.0, "s"


#: The two panels of :func:`frustration_plot`, in the order of the distributions' pairs.
_FRUSTRATION_PANELS = (
    "Final frustration: how customers end",
    "Peak frustration: the worst they felt",
)


def frustration_plot(c: Comparison) -> bytes:
    """Final and peak frustration distributions of every scenario, overlaid as step lines."""
    results = _results(c)
    names = list(results)
    colors = _colors(names)
    angry = float(c.base.scenario.frustration.angry)
    with chart_figure(FRUSTRATION_SIZE) as fig:
        distributions = {
            name: (_distribution(r, "final_distribution"), _distribution(r, "peak_distribution"))
            for name, r in results.items()
        }
        if not any(any(v > 0 for v in final) for final, _ in distributions.values()):
            empty_chart(fig, "Frustration of customers", "No customer finished a journey.")
            return png_bytes(fig)
        panels = fig.subplots(1, 2, sharey=True)
        top = 100.0 * max(max(v) for pair in distributions.values() for v in pair)
        for i, (ax, title) in enumerate(zip(panels, _FRUSTRATION_PANELS, strict=True)):
            for name in names:
                shares = distributions[name][i]
                angry_share = _angry_share(results[name], shares, angry, final=i == 0)
                label = f"{_legend_name(c, name)}: {100 * angry_share:.1f} % {ANGRY_WORDS[i]}"
                _draw_shares(ax, shares, colors[name], label, is_base=name == _BASE)
            _mark_angry_band(ax, angry)
            _frustration_axes(ax, title, top)
        panels[0].set_ylabel("share of customers (square-root scale)")
        figure_title(
            fig,
            f"{c.base.scenario.name}: frustration of all customers "
            f"(mean of {c.base.replications} replications)",
        )
        return png_bytes(fig)


def _angry_share(result: RunResult, shares: list[float], angry: float, final: bool) -> float:
    """The share angry or worse for a legend: at the end, the run's own KPI (exact); at the
    peak, read off the distribution's bands (the results hold no peak KPI)."""
    if final:
        return _estimate(result, "journey.frustration.share_angry_or_worse").mean
    return _share_from(shares, _band_edges(shares), angry)


def _band_edges(shares: list[float]) -> np.ndarray:
    """The edges of a distribution's equal bands over 0-100 frustration."""
    return np.linspace(0.0, 100.0, len(shares) + 1)


def _draw_shares(ax: Any, shares: list[float], color: str, label: str, is_base: bool) -> None:
    """One scenario's distribution as a step line; the base is also filled, faintly, so the
    variants read as changes against it."""
    edges = _band_edges(shares)
    values = 100.0 * np.asarray(shares)
    if is_base:
        ax.stairs(values, edges, color=color, alpha=0.25, fill=True, zorder=1)
        ax.stairs(values, edges, color=color, linewidth=1.6, label=label)
    else:
        ax.stairs(values, edges, color=color, linewidth=2.0, label=label)


def _mark_angry_band(ax: Any, angry: float) -> None:
    """The angry band shaded from its threshold to 100, the threshold dashed and named."""
    ax.axvspan(angry, 100.0, color=STATE_COLORS["angry"], alpha=0.10, lw=0, zorder=0)
    ax.axvline(angry, color=STATE_COLORS["angry"], linestyle="--", linewidth=1.2)
    ax.annotate(
        f"angry from {angry:g}",
        xy=(angry, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, -4),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=8.5,
        color=STATE_COLORS["angry"],
        fontweight="bold",
    )


def _frustration_axes(ax: Any, title: str, top: float) -> None:
    """A panel's axes: frustration in 10-point bands across, shares up on a square-root scale
    shared by both panels (``top``: the largest share in %), and the legend."""
    ax.set_xlim(0, 100)
    ax.set_xticks(np.arange(0, 101, 10))
    ax.set_xlabel("frustration (0 calm - 100 furious), 10-point bands")
    ax.set_title(title, fontsize=10.5)
    # A square-root scale: the few customers in the angry tail stay visible next to
    # the calm majority, and the axis still reads in plain percentages.
    ax.set_yscale("function", functions=(_sqrt, np.square))
    ax.set_ylim(0, top * 1.05)
    ax.set_yticks([t for t in SQRT_TICKS if t <= top * 1.05])
    ax.yaxis.set_major_formatter(FuncFormatter(_percent_tick))
    ax.legend(loc="center right", fontsize=8.5)


def costs_plot(c: Comparison) -> bytes:
    """Two rows, never added: the operating cost and the customer value at risk. In each,
    stacked components per scenario (left) and each variant's change with its paired CI
    (right)."""
    with chart_figure(COSTS_SIZE) as fig:
        if not has_costs(c):
            empty_chart(fig, "Costs per run", NO_COSTS)
            return png_bytes(fig)
        axes = fig.subplots(2, 2, gridspec_kw={"width_ratios": [3, 2]})
        for (left, right), (key, title, parts) in zip(axes, COST_ROWS, strict=True):
            _cost_components(left, c, key, title, parts)
            _cost_changes(right, c, key, title)
        figure_title(
            fig,
            f"{c.base.scenario.name}: money per run, operating cost and value at risk kept "
            f"apart (mean of {c.base.replications} replications)",
        )
        return png_bytes(fig)


def _cost_components(
    ax: Any, c: Comparison, key: str, title: str, parts: Sequence[tuple[str, str, str]]
) -> None:
    """Stacked components of one sum per scenario, its 95 % CI and its value on top."""
    results = _results(c)
    names = list(results)
    x = np.arange(len(names))
    bottom = np.zeros(len(names))
    handles = []
    for part, label, color in parts:
        values = np.nan_to_num(
            np.array([_estimate(results[n], f"costs.{part}").mean for n in names])
        )
        if not values.any():
            continue
        ax.bar(x, values, bottom=bottom, color=color, width=0.62, zorder=2, label=label)
        bottom += values
        handles.append(Patch(color=color, label=label))
    sums = [_estimate(results[n], f"costs.{key}") for n in names]
    ci_whiskers(ax, x, [(e.mean, e.ci_low, e.ci_high) for e in sums], floor=0.0)
    for xi, e in zip(x, sums, strict=True):
        label_y = e.ci_high if math.isfinite(e.ci_high) else e.mean
        ax.annotate(
            _money(e.mean),
            xy=(xi, label_y if math.isfinite(label_y) else 0.0),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=9,
            fontweight="bold",
            color=INK,
        )
    highest = max(
        [float(bottom.max(initial=0.0))] + [e.ci_high for e in sums if math.isfinite(e.ci_high)]
    )
    ax.set_ylim(0, max(highest, 1.0) * 1.3)
    ax.set_xticks(x, [_tick(n) for n in names])
    ax.grid(axis="x", visible=False)
    ax.yaxis.set_major_formatter(FuncFormatter(_money_tick))
    ax.set_ylabel("per run (scenario currency)")
    ax.set_title(f"{title} per run, by component", fontsize=10.5)
    if handles:
        ax.legend(handles=handles, loc="upper center", ncols=len(handles), fontsize=8.5)


def _cost_changes(ax: Any, c: Comparison, key: str, title: str) -> None:
    """Each variant's paired change of one sum against the base, colored by its verdict."""
    variants = list(c.variants)
    y = np.arange(len(variants))
    diffs = [_difference(c, name, f"costs.{key}") for name in variants]
    triples = [
        (d.difference.mean, d.difference.ci_low, d.difference.ci_high)
        if d is not None
        else (math.nan, math.nan, math.nan)
        for d in diffs
    ]
    means = [m if math.isfinite(m) else 0.0 for m, _, _ in triples]
    bar_colors = [VERDICT_COLORS.get(d.verdict, GREY) if d else GREY for d in diffs]
    ax.barh(y, means, color=bar_colors, height=0.55, zorder=2)
    ci_whiskers(ax, y, triples, horizontal=True)
    ax.axvline(0.0, color=INK, linewidth=1)
    reach = max([abs(v) for t in triples for v in t if math.isfinite(v)] + [1.0])
    for yi, d, (m, lo, hi) in zip(y, diffs, triples, strict=True):
        if d is None or not math.isfinite(m):
            continue
        relative = d.relative.mean if d.relative is not None else math.nan
        text = (
            ("unchanged" if m == 0 and lo == hi else _money(m, signed=True))
            + (f" ({relative:+.1f} %)" if math.isfinite(relative) and m != 0 else "")
            + (
                f"\n95 % CI [{_money(lo, signed=True)}, {_money(hi, signed=True)}]"
                if math.isfinite(lo) and lo != hi
                else ""
            )
        )
        # On the empty side of zero, so the label never sits on its bar or whisker.
        ax.annotate(
            text,
            xy=(0.0, yi),
            xytext=(8 if m <= 0 else -8, 0),
            textcoords="offset points",
            ha="left" if m <= 0 else "right",
            va="center",
            fontsize=8.5,
            color=INK,
        )
    ax.set_xlim(-reach * 1.25, reach * 1.25)
    ax.set_yticks(y, [_tick(n) for n in variants])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(FuncFormatter(_money_tick))
    ax.set_xlabel(f"change in {title.lower()} per run vs base")
    ax.set_title(f"{title}: change vs base (paired 95 % CI)", fontsize=10.5)


# --------------------------------------------------------------------------------------------
# Helpers

_BASE = "\0base"  # key of the base among the scenarios (a variant cannot be named so)


def _results(c: Comparison) -> dict[str, RunResult]:
    return {_BASE: c.base, **c.variants}


def _colors(names: Sequence[str]) -> dict[str, str]:
    variants = [n for n in names if n != _BASE]
    colors = {n: VARIANT_COLORS[i % len(VARIANT_COLORS)] for i, n in enumerate(variants)}
    return {_BASE: BASE_COLOR, **colors}


def _tick(name: str, width: int = 11) -> str:
    """Axis label: "base", or the variant's name on lines of about ``width`` characters,
    broken after ``_``, ``-`` or a space, so neighbouring labels do not overlap."""
    if name == _BASE:
        return "base"
    lines = [""]
    for piece in re.findall(r"[^_\- ]+[_\- ]?|[_\- ]", name):
        if lines[-1] and len(lines[-1]) + len(piece) > width:
            lines.append("")
        lines[-1] += piece
    return "\n".join(line.rstrip() for line in lines)


def _legend_name(c: Comparison, name: str) -> str:
    return f"base ({c.base_label})" if name == _BASE else name


def _estimate(result: RunResult, path: str | Sequence[str]) -> Estimate:
    node: Any = result.summary
    for part in path.split(".") if isinstance(path, str) else path:
        if not isinstance(node, Mapping) or part not in node:
            return Estimate(math.nan, math.nan, math.nan, 0)
        node = node[part]
    return node if isinstance(node, Estimate) else Estimate(math.nan, math.nan, math.nan, 0)


def _distribution(result: RunResult, key: str) -> list[float]:
    frustration = (result.summary.get("journey") or {}).get("frustration") or {}
    values = [e.mean if isinstance(e, Estimate) else math.nan for e in frustration.get(key) or []]
    return [v if math.isfinite(v) else 0.0 for v in values] or [0.0] * 10


def _share_from(shares: Sequence[float], edges: np.ndarray, threshold: float) -> float:
    """Share of customers at or above ``threshold``, splitting the band it falls in evenly."""
    total = 0.0
    for share, low, high in zip(shares, edges[:-1], edges[1:], strict=True):
        if low >= threshold:
            total += share
        elif high > threshold:
            total += share * (high - threshold) / (high - low)
    return total


def _sqrt(x: np.ndarray) -> np.ndarray:
    return np.sqrt(np.clip(x, 0.0, None))


def _percent_tick(value: float, _position: int | None = None) -> str:
    return f"{value:g}%"


def _difference(c: Comparison, name: str, panel: Panel | str) -> Difference | None:
    """Variant ``name``'s difference for a panel (or a whole-run KPI path)."""
    if isinstance(panel, str):
        panel = Panel(panel)
    return next(
        (
            d
            for d in c.differences.get(name, [])
            if d.kpi == panel.kpi and d.scope == panel.scope and d.name == panel.name
        ),
        None,
    )


def _value(kpi: str, value: float, percent: bool, unit: tuple[float, str] | None) -> str:
    if not math.isfinite(value):
        return "n/a"
    if percent:
        return f"{value:.1f}%"
    if kpi.startswith("costs."):
        return _money(value)
    if unit is not None:
        return f"{value / unit[0]:,.1f}{unit[1]}"
    return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"


def _short_delta(d: Difference, style: str, unit: tuple[float, str] | None = None) -> str:
    """The paired difference in a few characters, in the unit of the summary sentence."""
    if style == "relative" and d.relative is not None and math.isfinite(d.relative.mean):
        return f"{d.relative.mean:+.0f} %"
    if style == "points":
        return f"{100 * d.difference.mean:+.1f} pts"
    if style == "money":
        return _money(d.difference.mean, signed=True)
    if unit is not None:
        return f"{d.difference.mean / unit[0]:+,.1f}{unit[1]}"
    return f"{d.difference.mean:+.1f}"


def _money_tick(value: float, _position: int | None = None) -> str:
    """Axis tick of an amount: ``0``, ``500``, ``40k``, ``-2.5k``."""
    if abs(value) < 1000:
        return f"{value:,.0f}"
    thousands = value / 1000
    return f"{thousands:,.0f}k" if thousands == round(thousands) else f"{thousands:,.1f}k"


def _money(value: float, signed: bool = False) -> str:
    """``12,300`` or ``-8.6k``: short enough for bar labels and axis ticks."""
    if not math.isfinite(value):
        return "n/a"
    sign = "+" if signed and value > 0 else ""
    if abs(value) >= 10_000:
        return (
            f"{sign}{value / 1000:,.0f}k"
            if abs(value) >= 100_000
            else f"{sign}{value / 1000:,.1f}k"
        )
    return f"{sign}{value:,.0f}"
