"""PNG charts of a results document (``results.json``), for the HTML report and for slides.

Every function takes the results document as a plain dict (as written by
:func:`simulator.report.document.results_document` or read back from ``results.json``) and
returns PNG bytes. Nothing here simulates: a report can be redrawn from a results folder alone.

Output is deterministic: figures are drawn with the Agg canvas directly (no pyplot, so the
caller's interactive backend is left alone), with matplotlib's default style re-applied inside
an ``rc_context`` (a user's matplotlibrc cannot change a chart), fixed sizes and dpi, and no
``Software`` metadata in the PNG. The same document gives byte-identical files.

Whatever the document lacks (no journeys, no bots, no channel switches, a single replication
without confidence intervals) gives an informative empty chart rather than an error.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from simulator.report.files import write_atomic

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

DPI = 100
WIDE = (10.0, 4.2)
TALL = (10.0, 5.6)

#: Colors shared with the HTML page (simulator/report/html.py uses the same values).
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#e4e7eb"
BLUE = "#2f6fde"
TEAL = "#0f9d8a"
ORANGE = "#e07a1f"
RED = "#d64545"
PURPLE = "#7b5cd6"
GREY = "#9aa5b1"
#: Colors of several lines in one panel (agent groups), cycled.
PALETTE = (BLUE, ORANGE, TEAL, RED, PURPLE, GREY)
#: Frustration states, calm green to furious red (thresholds come from the scenario).
STATE_COLORS = {
    "calm": "#3fa34d",
    "irritated": "#e9b824",
    "angry": "#ee7b30",
    "furious": "#d64545",
}

_STYLE: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs everywhere
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelcolor": INK,
    "axes.edgecolor": GREY,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "text.color": INK,
    "legend.frameon": False,
    "svg.hashsalt": "cxsim",
    "path.simplify": True,
    "text.parse_math": False,  # names are user input: "$" must not start math mode
}

Estimate = Mapping[str, Any]


# --------------------------------------------------------------------------------------------
# The public API


#: The bars of each channel's panel in :func:`waits_plot`: KPI, label, colour.
_WAIT_BARS = (
    ("mean_wait_s", "mean", BLUE),
    ("asa_s", "ASA", TEAL),
    ("wait_p50_s", "p50", GREY),
    ("wait_p90_s", "p90", ORANGE),
    ("wait_p95_s", "p95", RED),
)


def waits_plot(document: Mapping[str, Any]) -> bytes:
    """Waits by channel: mean wait, ASA and the p50/p90/p95 waits, with 95 % CI whiskers.

    The document stores percentiles, not the wait histograms, so this is a bar chart of the
    stored statistics; one panel per channel, each on its own time scale, with the channel's
    service-level threshold as a dashed line.
    """
    channels = _metrics(document).get("by_channel") or {}
    thresholds = document.get("service_level_thresholds_s") or {}
    names = [name for name in channels if _mean(channels[name].get("offered")) > 0]
    with chart_figure(WIDE) as fig:
        if not names:
            empty_chart(fig, "Waits by channel", "No contacts reached a channel queue in this run.")
            return png_bytes(fig)
        axes = fig.subplots(1, len(names), squeeze=False)[0]
        for ax, name in zip(axes, names, strict=True):
            _draw_channel_waits(ax, name, channels[name], thresholds.get(name))
        figure_title(fig, "Waits by channel (mean per replication, 95 % CI whiskers)")
        return png_bytes(fig)


def _draw_channel_waits(ax: Axes, name: str, kpis: Mapping[str, Any], raw_threshold: Any) -> None:
    """One channel's panel of :func:`waits_plot`, on the time unit its longest wait (or its
    threshold, when that is on the same scale) reads best in."""
    ests = [_triple(kpis.get(key)) for key, _, _ in _WAIT_BARS]
    data_top = max(
        [hi for _, _, hi in ests if _finite(hi)] + [m for m, _, _ in ests if _finite(m)] + [0.0]
    )
    threshold = float(raw_threshold) if _finite(raw_threshold) else None
    # A target far above every wait (email's 24 h) would flatten the bars: note it instead.
    on_scale = threshold is not None and threshold <= 3 * max(data_top, 1.0)
    top = max(data_top, threshold if threshold is not None and on_scale else 0.0, 1.0)
    scale, unit = _time_unit(top)
    x = np.arange(len(_WAIT_BARS))
    means = [m / scale if _finite(m) else 0.0 for m, _, _ in ests]
    ax.bar(x, means, color=[c for _, _, c in _WAIT_BARS], width=0.7, zorder=2)
    ci_whiskers(ax, x, ests, scale=scale, floor=0.0)
    _label_wait_bars(ax, x, ests, scale)
    if threshold is not None:
        _mark_wait_threshold(ax, threshold, scale, on_scale)
    ax.set_ylim(0, top / scale * 1.15)
    ax.set_xticks(x, [label for _, label, _ in _WAIT_BARS])
    ax.set_ylabel(f"wait ({unit})")
    ax.set_title(f"{name}: {_count(_mean(kpis.get('offered')))} offered")
    ax.grid(axis="x", visible=False)


def _label_wait_bars(
    ax: Axes, x: np.ndarray, ests: list[tuple[float, float, float]], scale: float
) -> None:
    """Each bar's wait written above its whisker ("n/a", muted, where there is no value)."""
    for xi, (m, _, hi) in zip(x, ests, strict=True):
        y = max(m, hi if _finite(hi) else m) if _finite(m) else 0.0
        ax.annotate(
            _duration(m, compact=True) if _finite(m) else "n/a",
            xy=(xi, y / scale),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            color=INK if _finite(m) else MUTED,
        )


def _mark_wait_threshold(ax: Axes, threshold: float, scale: float, on_scale: bool) -> None:
    """The service-level threshold as a dashed line with its label, or, when it is far off the
    panel's scale, only the label in the corner."""
    if on_scale:
        ax.axhline(threshold / scale, color=INK, linestyle="--", linewidth=1)
    ax.annotate(
        f"SL target {_duration(threshold)}" + ("" if on_scale else " (off scale)"),
        xy=(1.0, threshold / scale) if on_scale else (0.98, 0.98),
        xycoords=("axes fraction", "data") if on_scale else "axes fraction",
        ha="right",
        va="bottom" if on_scale else "top",
        fontsize=8,
        color=INK,
    )


def service_plot(document: Mapping[str, Any]) -> bytes:
    """Service level and abandonment by interval of arrival, one panel per channel (each
    against its own threshold), with 95 % CI bands."""
    rows = _metrics(document).get("by_interval") or []
    thresholds = document.get("service_level_thresholds_s") or {}
    names = _interval_channels(rows)
    with chart_figure(_panels_size(len(names))) as fig:
        if not names:
            empty_chart(fig, "Service level and abandonment", "No contacts in any interval.")
            return png_bytes(fig)
        labels = [str(r.get("interval", i)) for i, r in enumerate(rows)]
        for ax, name in zip(_panels(fig, len(names)), names, strict=True):
            figures = [(r.get("by_channel") or {}).get(name) or {} for r in rows]
            _band(ax, [f.get("service_level") for f in figures], BLUE, "service level", (0, 1))
            _band(ax, [f.get("abandon_rate") for f in figures], RED, "abandonment", (0, 1))
            target = thresholds.get(name)
            within = f" within {_duration(float(target))}" if _finite(target) else ""
            ax.set_title(f"{name}: service level{within}, abandonment", fontsize=10)
            ax.set_ylim(0, 1.02)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            _interval_ticks(ax, labels)
        fig.axes[0].legend(loc="lower left", fontsize=8)
        figure_title(
            fig,
            "Service level and abandonment by interval of arrival, per channel (shaded: 95 % CI)",
        )
        return png_bytes(fig)


def waits_by_interval_plot(document: Mapping[str, Any]) -> bytes:
    """ASA and the 90th percentile wait by interval of arrival, one panel per channel, each on
    its own time scale with its service-level threshold: waits are never drawn across channels
    (an e-mail's hours would flatten a call's seconds)."""
    rows = _metrics(document).get("by_interval") or []
    thresholds = document.get("service_level_thresholds_s") or {}
    names = _interval_channels(rows)
    with chart_figure(_panels_size(len(names))) as fig:
        if not names:
            empty_chart(fig, "Waits by interval", "No contacts in any interval.")
            return png_bytes(fig)
        labels = [str(r.get("interval", i)) for i, r in enumerate(rows)]
        for ax, name in zip(_panels(fig, len(names)), names, strict=True):
            figures = [(r.get("by_channel") or {}).get(name) or {} for r in rows]
            asa = [f.get("asa_s") for f in figures]
            p90 = [f.get("wait_p90_s") for f in figures]
            top = max([_triple(e)[0] for e in asa + p90 if _finite(_triple(e)[0])] + [1.0])
            scale, unit = _time_unit(top)
            _band(ax, [_scaled(e, scale) for e in asa], TEAL, "ASA", (0, math.inf))
            _band(ax, [_scaled(e, scale) for e in p90], ORANGE, "p90 wait", (0, math.inf))
            target = thresholds.get(name)
            if _finite(target) and target <= 3 * top:
                ax.axhline(target / scale, color=INK, linestyle="--", linewidth=1)
            ax.set_ylim(bottom=0)
            ax.set_ylabel(f"wait ({unit})")
            ax.set_title(f"{name}: ASA and 90th percentile wait", fontsize=10)
            _interval_ticks(ax, labels)
        fig.axes[0].legend(loc="upper left", fontsize=8)
        figure_title(
            fig,
            "Waits by interval of arrival, per channel (dashed: service-level threshold)",
        )
        return png_bytes(fig)


def occupancy_plot(document: Mapping[str, Any]) -> bytes:
    """Each agent group's occupancy by interval, and its scheduled heads."""
    rows = _metrics(document).get("by_interval") or []
    names = list(dict.fromkeys(g for r in rows for g in (r.get("by_group") or {})))
    with chart_figure(TALL) as fig:
        if not names:
            empty_chart(fig, "Occupancy by agent group", "No agent group in this run.")
            return png_bytes(fig)
        labels = [str(r.get("interval", i)) for i, r in enumerate(rows)]
        top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
        x = np.arange(len(rows))
        for k, name in enumerate(names):
            color = PALETTE[k % len(PALETTE)]
            figures = [(r.get("by_group") or {}).get(name) or {} for r in rows]
            # Bands of more than two groups hide each other: lines only then.
            occupancy = [f.get("occupancy") for f in figures]
            _band(top, occupancy, color, name, (0, 1), shade=len(names) <= 2)
            heads = [_mean(f.get("heads")) for f in figures]
            bottom.step(x, heads, where="mid", color=color, linewidth=1.6, label=name)
        top.set_ylim(0, 1.02)
        top.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        top.set_title("Occupancy by agent group (busy / staffed slot-time)")
        top.legend(loc="lower left", fontsize=8, ncols=min(len(names), 4))
        bottom.set_ylim(bottom=0)
        bottom.set_title("Scheduled heads at the start of each interval")
        _interval_ticks(bottom, labels)
        bottom.set_xlabel("interval" + (" (shaded: 95 % CI)" if len(names) <= 2 else ""))
        return png_bytes(fig)


def frustration_plot(document: Mapping[str, Any]) -> bytes:
    """Mean final frustration and the share ending angry or worse, by interval of arrival."""
    rows = _metrics(document).get("by_interval") or []
    journeys = [(r.get("journey") or {}).get("frustration") for r in rows]
    with chart_figure(TALL) as fig:
        if not rows or not any(journeys):
            empty_chart(
                fig,
                "Frustration over the day",
                "No customer journeys in this results document.",
            )
            return png_bytes(fig)
        labels = [str(r.get("interval", i)) for i, r in enumerate(rows)]
        levels = _frustration_levels(document)
        top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
        finals = [(j or {}).get("mean_final") for j in journeys]
        highest = max([_triple(e)[2] for e in finals if _finite(_triple(e)[2])] + [0.0])
        highest = max(highest, max([_mean(e) for e in finals] + [0.0]))
        ceiling = min(100.0, max(levels["irritated"] * 1.2, highest * 1.25))
        edges = [0.0, levels["irritated"], levels["angry"], levels["furious"], 100.0]
        for (state, color), low, high in zip(
            STATE_COLORS.items(), edges[:-1], edges[1:], strict=True
        ):
            if low < ceiling:
                top.axhspan(low, min(high, ceiling), color=color, alpha=0.10, zorder=0, lw=0)
                top.text(
                    0.995,
                    min((low + min(high, ceiling)) / 2, ceiling * 0.97),
                    state,
                    transform=top.get_yaxis_transform(),
                    ha="right",
                    va="center",
                    fontsize=8,
                    color=color,
                    fontweight="bold",
                )
        _band(top, finals, INK, "mean final frustration", clip=(0, 100))
        top.set_ylim(0, ceiling)
        top.set_ylabel("frustration (0-100)")
        top.set_title("Mean final frustration of customers, by interval of arrival")
        shares = [(j or {}).get("share_angry_or_worse") for j in journeys]
        _band(bottom, shares, STATE_COLORS["angry"], "angry or worse", clip=(0, 1))
        bottom.set_ylim(bottom=0)
        bottom.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
        bottom.set_title("Share ending angry or worse")
        _interval_ticks(bottom, labels)
        bottom.set_xlabel("interval of arrival (shaded: 95 % CI)")
        return png_bytes(fig)


def funnel_plot(document: Mapping[str, Any]) -> bytes:
    """Journey outcomes: customers, bot sessions, agent contacts, resolved and gave up.

    Customers and their outcomes count people; bot sessions and agent contacts count
    contacts (one customer may make several), so the bars are labelled with their unit.
    """
    stages = _funnel_stages(_metrics(document))
    with chart_figure(WIDE if len(stages) <= 6 else TALL) as fig:
        if not stages or all(_mean(est) <= 0 for _, est, _ in stages):
            empty_chart(fig, "Journey outcomes", "No customers or contacts in this run.")
            return png_bytes(fig)
        _draw_funnel(fig.subplots(), stages)
        return png_bytes(fig)


def _funnel_stages(metrics: Mapping[str, Any]) -> list[tuple[str, Any, str]]:
    """The funnel's bars that the results hold, top to bottom: label, estimate, colour. A
    stage the run has no number for (no bots, say) is left out rather than drawn as zero."""
    journey = metrics.get("journey") or {}
    overall = metrics.get("overall") or {}
    bots = metrics.get("bots") or {}
    stages: list[tuple[str, Any, str]] = []
    if journey.get("customers") is not None:
        stages.append(("Customers", journey["customers"], BLUE))
    if bots:
        stages.append(("Bot sessions", _sum(b.get("sessions") for b in bots.values()), PURPLE))
        stages.append(
            ("↳ contained by a bot", _sum(b.get("contained") for b in bots.values()), PURPLE)
        )
        stages.append(
            ("↳ escalated to a person", _sum(b.get("escalated") for b in bots.values()), PURPLE)
        )
    if overall.get("offered") is not None:
        stages.append(("Agent contacts offered", overall["offered"], TEAL))
        if overall.get("answered") is not None:
            stages.append(("↳ answered by an agent", overall["answered"], TEAL))
        if overall.get("abandoned") is not None:
            stages.append(("↳ abandoned in queue", overall["abandoned"], ORANGE))
    if journey.get("resolved") is not None:
        stages.append(("Customers resolved", journey["resolved"], STATE_COLORS["calm"]))
    if journey.get("gave_up") is not None:
        stages.append(("Customers who gave up", journey["gave_up"], RED))
    if _mean(journey.get("in_system")) > 0:
        stages.append(("Customers still open at the end", journey["in_system"], GREY))
    return stages


def _draw_funnel(ax: Axes, stages: list[tuple[str, Any, str]]) -> None:
    """The stages as horizontal bars with CI whiskers, each labelled with its count and its
    share of the first stage."""
    y = np.arange(len(stages))
    ests = [_triple(est) for _, est, _ in stages]
    means = [m if _finite(m) else 0.0 for m, _, _ in ests]
    ax.barh(y, means, color=[c for _, _, c in stages], height=0.62, zorder=2)
    ci_whiskers(ax, y, ests, horizontal=True, floor=0.0)
    largest = max(max(means), max((hi for _, _, hi in ests if _finite(hi)), default=0.0))
    base = means[0] if means[0] > 0 else 1.0
    for yi, (m, _, hi) in zip(y, ests, strict=True):
        m = m if _finite(m) else 0.0
        right = max(m, hi) if _finite(hi) else m
        ax.annotate(
            f"{_count(m)}  ({100 * m / base:.0f}%)" if yi else _count(m),
            xy=(right, yi),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=9,
            color=INK,
        )
    ax.set_yticks(y, [label for label, _, _ in stages])
    ax.invert_yaxis()
    ax.set_xlim(0, largest * 1.25)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _count(v)))
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(
        f"mean per replication, 95 % CI whiskers; % of {stages[0][0].lower()} "
        "(contacts: per 100 customers)"
        if stages[0][0] == "Customers"
        else f"mean per replication, 95 % CI whiskers; % of {stages[0][0].lower()}"
    )
    ax.set_title("Journey outcome funnel: customers, bot and agent contacts, outcomes")


def switch_matrix_plot(document: Mapping[str, Any]) -> bytes:
    """Channel switches (from -> to) as a heatmap of the mean count per replication."""
    metrics = _metrics(document)
    switches = {
        key: est
        for key, est in (metrics.get("switches") or {}).items()
        if "->" in key and _mean(est) > 0
    }
    with chart_figure((7.0, 5.2)) as fig:
        if not switches:
            empty_chart(
                fig,
                "Channel switches",
                "No customer switched channel in this run:\n"
                "every repeat contact stayed in the channel it started in.",
            )
            return png_bytes(fig)
        pairs = [tuple(key.split("->", 1)) for key in switches]
        channels = list(metrics.get("by_channel") or {})
        for a, b in pairs:
            for c in (a, b):
                if c not in channels:
                    channels.append(c)
        used = {c for pair in pairs for c in pair}
        channels = [c for c in channels if c in used]
        index = {c: i for i, c in enumerate(channels)}
        grid = np.full((len(channels), len(channels)), np.nan)
        for (a, b), est in zip(pairs, switches.values(), strict=True):
            grid[index[a], index[b]] = _mean(est)
        ax = fig.subplots()
        peak = float(np.nanmax(grid))
        cmap = matplotlib.colormaps["Oranges"].with_extremes(bad="#f5f7fa")
        image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=0, vmax=peak, aspect="auto")
        for (a, b), est in zip(pairs, switches.values(), strict=True):
            m, lo, hi = _triple(est)
            text = _count(m)
            if _finite(lo) and _finite(hi):
                text += f"\n[{_count(max(lo, 0.0))}, {_count(hi)}]"
            ax.text(
                index[b],
                index[a],
                text,
                ha="center",
                va="center",
                fontsize=9,
                color="white" if m > 0.6 * peak else INK,
            )
        ax.set_xticks(range(len(channels)), channels)
        ax.set_yticks(range(len(channels)), channels)
        ax.set_xlabel("switched to")
        ax.set_ylabel("switched from")
        ax.grid(False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(True)
        colorbar = fig.colorbar(image, ax=ax, fraction=0.05, pad=0.03)
        colorbar.set_label("switches per replication (mean)")
        ax.set_title("Channel switches, from -> to (mean [95 % CI])")
        return png_bytes(fig)


#: File name -> chart, in the order the report shows them.
PLOTS: dict[str, Callable[[Mapping[str, Any]], bytes]] = {
    "waits.png": waits_plot,
    "service_by_interval.png": service_plot,
    "waits_by_interval.png": waits_by_interval_plot,
    "occupancy_by_interval.png": occupancy_plot,
    "frustration_by_interval.png": frustration_plot,
    "funnel.png": funnel_plot,
    "switch_matrix.png": switch_matrix_plot,
}


def all_plots(document: Mapping[str, Any]) -> dict[str, bytes]:
    """Every chart as ``{file name: PNG bytes}``, with stable names and order."""
    return {name: draw(document) for name, draw in PLOTS.items()}


def write_plots(
    document: Mapping[str, Any],
    out_dir: str | Path,
    plots: Mapping[str, bytes] | None = None,
) -> list[Path]:
    """Write the charts (drawn now unless ``plots`` are given) atomically into ``out_dir``."""
    plots = all_plots(document) if plots is None else plots
    return [write_atomic(Path(out_dir) / name, data) for name, data in plots.items()]


# --------------------------------------------------------------------------------------------
# Drawing helpers


@contextmanager
def chart_figure(size: tuple[float, float]) -> Iterator[Figure]:
    """A figure in the report style, isolated from the caller's matplotlib settings.

    Public so that other chart modules (the comparison report) look the same.
    """
    with matplotlib.rc_context():
        matplotlib.rcParams.update(matplotlib.rcParamsDefault)
        matplotlib.rcParams.update(_STYLE)
        fig = Figure(figsize=size, dpi=DPI, layout="constrained", facecolor="white")
        FigureCanvasAgg(fig)
        yield fig


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes, without metadata that would make equal charts differ."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def figure_title(fig: Figure, text: str, fontsize: float = 12) -> None:
    """The bold, left-aligned title every cxsim chart carries above its panels."""
    fig.suptitle(text, x=0.01, ha="left", fontsize=fontsize, fontweight="bold", color=INK)


def empty_chart(fig: Figure, title: str, message: str) -> None:
    """An informative chart that says why there is nothing to draw, instead of failing."""
    ax = fig.subplots()
    ax.set_axis_off()
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color=MUTED, wrap=True)


def _band(
    ax: Any,
    estimates: Sequence[Estimate | None],
    color: str,
    label: str,
    clip: tuple[float, float],
    shade: bool = True,
) -> None:
    """A mean line with markers and, where replications allow (and ``shade``), a shaded 95 %
    CI band."""
    x = np.arange(len(estimates))
    triples = np.array([_triple(e) for e in estimates], dtype=float)
    means, lows, highs = triples[:, 0], triples[:, 1], triples[:, 2]
    ax.plot(x, means, color=color, marker="o", markersize=3.5, linewidth=1.8, label=label)
    ok = np.isfinite(lows) & np.isfinite(highs) & shade
    if len(x) == 1 and ok[0]:  # a band needs two points: one interval gets a whisker
        low, high = np.clip([lows[0], highs[0]], *clip)
        err = [[max(means[0] - low, 0.0)], [max(high - means[0], 0.0)]]
        ax.errorbar(x, means, yerr=err, fmt="none", ecolor=color, capsize=4, lw=1.2)
    elif ok.any():
        ax.fill_between(
            x,
            np.clip(np.where(ok, lows, means), *clip),
            np.clip(np.where(ok, highs, means), *clip),
            where=ok,
            color=color,
            alpha=0.18,
            linewidth=0,
            interpolate=False,
        )
    ax.set_xlim(-0.5, max(len(estimates) - 0.5, 0.5))


def ci_whiskers(
    ax: Any,
    positions: Iterable[float],
    ests: Sequence[tuple[float, float, float]],
    scale: float = 1.0,
    floor: float | None = None,
    horizontal: bool = False,
) -> None:
    """95 % CI whiskers of ``(mean, low, high)`` triples; NaN bounds (one replication) draw
    none, and ``floor`` clips the low end of quantities that cannot be negative."""
    for pos, (m, lo, hi) in zip(positions, ests, strict=True):
        if not (_finite(m) and _finite(lo) and _finite(hi)):
            continue
        if floor is not None:
            lo = max(lo, floor)
        err = [[max(m - lo, 0.0) / scale], [max(hi - m, 0.0) / scale]]
        if horizontal:
            ax.errorbar(m / scale, pos, xerr=err, fmt="none", ecolor=INK, capsize=3, lw=1, zorder=3)
        else:
            ax.errorbar(pos, m / scale, yerr=err, fmt="none", ecolor=INK, capsize=3, lw=1, zorder=3)


def _interval_channels(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The channels that had contacts in some interval, in the results' order."""
    names: dict[str, None] = {}
    for row in rows:
        for name, figures in (row.get("by_channel") or {}).items():
            if _mean(figures.get("offered")) > 0:
                names[name] = None
    return list(names)


def _panels_size(n: int) -> tuple[float, float]:
    """A figure for ``n`` panels, two per row: each panel about 5 x 2.8 inches, plus the title."""
    rows = max(1, math.ceil(n / 2))
    return (10.0, 1.4 + 2.8 * rows)


def _panels(fig: Figure, n: int) -> list[Any]:
    """``n`` panels, two per row (one row of one for a single channel); spare ones removed."""
    columns = 1 if n == 1 else 2
    axes = list(fig.subplots(max(1, math.ceil(n / columns)), columns, squeeze=False).flat)
    for spare in axes[n:]:
        spare.remove()
    return axes[:n]


def _scaled(est: Estimate | None, scale: float) -> dict[str, float]:
    """An estimate in another unit (seconds to minutes or hours), NaN kept as NaN."""
    mean, low, high = _triple(est)
    return {"mean": mean / scale, "ci_low": low / scale, "ci_high": high / scale}


def _interval_ticks(ax: Any, labels: Sequence[str]) -> None:
    """Label at most ~16 intervals so the x axis stays readable with 15-minute intervals."""
    step = max(1, math.ceil(len(labels) / 16))
    ticks = list(range(0, len(labels), step))
    ax.set_xticks(ticks, [labels[i] for i in ticks])
    if len(ticks) > 10 or max((len(labels[i]) for i in ticks), default=0) > 6:
        for tick in ax.get_xticklabels():
            tick.set_rotation(45)
            tick.set_ha("right")
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))


def _frustration_levels(document: Mapping[str, Any]) -> dict[str, float]:
    params = (document.get("effective_scenario") or {}).get("frustration") or {}
    levels = {"irritated": 25.0, "angry": 50.0, "furious": 75.0}
    for key in levels:
        value = params.get(key)
        if isinstance(value, int | float) and 0 < value <= 100:
            levels[key] = float(value)
    return levels


# --------------------------------------------------------------------------------------------
# Reading estimates


def _metrics(document: Mapping[str, Any]) -> Mapping[str, Any]:
    return document.get("metrics") or {}


def _triple(est: Estimate | None) -> tuple[float, float, float]:
    """``(mean, ci_low, ci_high)`` with missing values (null in JSON) as NaN."""
    if not isinstance(est, Mapping):
        return math.nan, math.nan, math.nan
    return tuple(_float(est.get(k)) for k in ("mean", "ci_low", "ci_high"))  # type: ignore[return-value]


def _mean(est: Estimate | None) -> float:
    m = _triple(est)[0]
    return m if _finite(m) else 0.0


def _sum(estimates: Any) -> dict[str, float | None]:
    """Bots' estimates added up; the CI of a sum is not the sum of CIs, so it is dropped
    unless there is a single bot."""
    ests = [e for e in estimates if isinstance(e, Mapping)]
    if len(ests) == 1:
        return dict(ests[0])
    return {"mean": sum(_mean(e) for e in ests), "ci_low": None, "ci_high": None}


def _float(x: Any) -> float:
    try:
        return float(x) if x is not None else math.nan
    except (TypeError, ValueError):
        return math.nan


def _finite(x: Any) -> TypeGuard[float]:
    return isinstance(x, int | float) and math.isfinite(x)


def _count(x: float) -> str:
    if not _finite(x):
        return "-"
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:.1f}"


def _time_unit(top: float) -> tuple[float, str]:
    if top >= 2 * 3600:
        return 3600.0, "h"
    if top >= 120:
        return 60.0, "min"
    return 1.0, "s"


def _duration(seconds: float, compact: bool = False) -> str:
    """``"20s"``, ``"1m"``, ``"24h"``; ``compact`` rounds any value to a short label."""
    if compact:
        if seconds < 100:
            return f"{seconds:.1f}s" if seconds < 10 else f"{seconds:.0f}s"
        if seconds < 6000:
            return f"{seconds / 60:.1f}m"
        return f"{seconds / 3600:.1f}h"
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:.0f}h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:.0f}m"
    return f"{seconds:g}s"
