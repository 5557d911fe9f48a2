"""The fit report: ``calibration.md`` and its PNG plots.

The report says what was fitted on what (days, hours, calls kept and dropped), how well each
fit matches the data (KS distances, Kaplan-Meier against the exponential), what the log
observed per interval, and how the calibrated scenario compares when simulated. Plots share
the style of the run reports (:mod:`simulator.report.plots`), so they are deterministic too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.ticker import PercentFormatter
from scipy import stats

from simulator.calibrate.check import KPIS, Check, fmt, fmt_error, fmt_estimate, interval_rows
from simulator.calibrate.fits import (
    FAIR_KS,
    GOOD_KS,
    HANDLE_FITS,
    LognormalFit,
    patience_gap,
    verdict,
)
from simulator.calibrate.fragment import OTHER, Calibration, intent_name, staffing_comment
from simulator.report.files import write_atomic
from simulator.report.plots import (
    BLUE,
    GREY,
    INK,
    MUTED,
    ORANGE,
    RED,
    TALL,
    TEAL,
    WIDE,
    chart_figure,
    empty_chart,
    figure_title,
    png_bytes,
)
from simulator.units import format_clock, format_duration

PLOTS = ("arrivals.png", "handle_time.png", "patience.png", "kpis.png", "check.png")


def write_report(out: Path, cal: Calibration, fragment: str, check: Check | None) -> list[Path]:
    """Write fragment.yaml, calibration.md and the plots to ``out``, each atomically."""
    plots = {
        "arrivals.png": arrivals_plot(cal),
        "handle_time.png": handle_plot(cal),
        "patience.png": patience_plot(cal),
        "kpis.png": kpis_plot(cal),
    }
    if check is not None:
        plots["check.png"] = check_plot(cal, check)
    written = [write_atomic(out / "fragment.yaml", fragment)]
    written.append(write_atomic(out / "calibration.md", markdown(cal, check, list(plots))))
    written += [write_atomic(out / name, data) for name, data in plots.items()]
    return written


# --------------------------------------------------------------------------------------------
# calibration.md


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%" if math.isfinite(x) else "n/a"


def _secs(x: float) -> str:
    return f"{x:.1f}s" if math.isfinite(x) else "n/a"


def markdown(cal: Calibration, check: Check | None, plots: Sequence[str]) -> str:
    """The whole report as Markdown, one section after another."""
    sections = [
        _summary(cal),
        _arrivals(cal),
        _handle_time(cal),
        _patience(cal),
        _observed(cal),
        _check(check),
        _plots(plots),
    ]
    return "\n".join(line for section in sections for line in section)


def _summary(cal: Calibration) -> list[str]:
    """The title, what was fitted on (days, hours, rows kept and dropped, columns), and which
    parts of the scenario are fitted and which calibrated."""
    obs, grid = cal.observed, cal.grid
    return [
        f"# Calibration of {Path(cal.source).name}",
        "",
        f"Days: **{cal.days}**, {obs.n_days} day(s) in the log. Open hours (the horizon): "
        f"**{format_clock(grid.start)}-{format_clock(grid.end)}**, intervals of "
        f"{format_duration(grid.interval)}. Service level threshold: "
        f"{format_duration(obs.threshold)}.",
        "",
        f"Rows read: {cal.log.rows_read:,}. Calls on the selected days: {len(cal.log):,}. "
        "Not used for the fits: "
        + "; ".join(f"{n:,} {why}" for why, n in cal.excluded.items() if n)
        + ".",
        "",
        "Columns: " + ", ".join(f"`{name}={expr}`" for name, expr in cal.log.mapping.items()) + ".",
        "",
        "The scenario is in `fragment.yaml`. Arrivals, intents, handle times and patience are "
        "**fitted**; the agent schedule is "
        + (
            f"**calibrated** to the observed {KPIS[cal.fitted_kpi][0]} (`--staffing "
            f"{cal.staffing}`), so the check on that KPI is not independent."
            if cal.fitted_kpi
            else f"**inferred** from the log (`--staffing {cal.staffing}`)."
        ),
        "",
    ]


def _arrivals(cal: Calibration) -> list[str]:
    """## Arrivals: the mean offered calls a day and where the per-interval profile comes from."""
    return [
        "## Arrivals",
        "",
        f"Mean offered calls per day in the horizon: **{cal.observed.day['offered']:,.1f}**. The "
        "scenario's `arrivals.per_interval` is the mean count per interval over the selected "
        "days (`arrivals.png`: the mean and each day).",
        "",
    ]


def _handle_time(cal: Calibration) -> list[str]:
    """## Handle time: the two lognormal fits per type, how far the MLE's mean drifts from the
    observed one, and which intents share the fit on all calls."""
    lines = [
        "## Handle time",
        "",
        "Two lognormal fits per type. Method of moments: the observed mean and sd. Maximum "
        "likelihood (MLE): `mu` and `sigma` are the mean and standard deviation of the log "
        "handle times; its mean is not the observed one when the data are not exactly "
        "lognormal. KS = the largest gap between the observed and fitted CDFs; verdict good "
        f"below {GOOD_KS}, fair below {FAIR_KS}, else poor (with thousands of calls the KS "
        "test's p-value rejects gaps too small to matter). "
        f"**The scenario uses {HANDLE_FITS[cal.handle_fit]}** (`--handle-fit "
        f"{cal.handle_fit}`).",
        "",
    ]
    lines += _table(HANDLE_COLUMNS, _handle_rows(cal))
    lines += _handle_drift(cal)
    lines += _pooled_intents(cal)
    return lines


#: The handle-time table's columns.
HANDLE_COLUMNS = (
    "type",
    "share",
    "served",
    "observed mean",
    "observed sd",
    "KS moments",
    "MLE mean",
    "MLE sd",
    "mu",
    "sigma",
    "KS MLE",
)


def _handle_rows(cal: Calibration) -> list[list[str]]:
    """One row per fit: all calls, then each type with a fit of its own."""
    rows = []
    for name, fit in [("all calls", cal.handle), *cal.handle_by_intent.items()]:
        share = cal.intents.get(name)
        rows.append(
            [
                name,
                _pct(share) if share is not None else "",
                f"{fit.n:,}",
                _secs(fit.sample_mean),
                _secs(fit.sample_sd),
                f"{fit.ks_moments:.3f} ({verdict(fit.ks_moments)})",
                _secs(fit.mean),
                _secs(fit.sd),
                f"{fit.mu:.3f}",
                f"{fit.sigma:.3f}",
                f"{fit.ks:.3f} ({fit.verdict})",
            ]
        )
    return rows


def _handle_drift(cal: Calibration) -> list[str]:
    """A note when the MLE's mean is more than 5 % off the observed mean: a warning if the
    scenario uses it (the workload moves), a reassurance if it keeps the observed mean."""
    drift = cal.handle.mean / cal.handle.sample_mean - 1
    if cal.handle_fit == "mle" and abs(drift) > 0.05:
        return [
            f"Note: the MLE lognormal's mean is {100 * drift:+.0f} % off the observed mean "
            "(the data are not exactly lognormal), and the simulated workload moves with it. "
            "`--handle-fit moments` (the default) keeps the observed mean and sd.",
            "",
        ]
    if abs(drift) > 0.05:
        return [
            f"The MLE's mean is {100 * drift:+.0f} % off the observed mean; the scenario keeps "
            "the observed mean, so its workload (calls x mean handle time) is the log's.",
            "",
        ]
    return []


def _pooled_intents(cal: Calibration) -> list[str]:
    """Which intents (and, for the pooled 'other', which types) use the fit on all calls."""
    pooled = [i for i in cal.intents if i not in cal.handle_by_intent]
    if not (pooled and cal.handle_by_intent):
        return []
    members = {i: cal.types_of_intent.get(i, []) for i in pooled}
    return [
        "Intents without a fit of their own use the fit on all calls: "
        + ", ".join(
            f"{i} ({_pct(cal.intents[i])}"
            + (f": {', '.join(members[i])}" if i.startswith(OTHER) else "")
            + ")"
            for i in pooled
        )
        + ".",
        "",
    ]


def _patience(cal: Calibration) -> list[str]:
    """## Patience: the censored exponential MLE and Kaplan-Meier beside it, or the patience
    given with --patience."""
    patience = cal.patience
    lines = ["## Patience", ""]
    if patience.abandoned:
        low, high = patience.ci
        lines += [
            f"{patience.calls:,} calls, {patience.abandoned:,} abandoned, total waiting time "
            f"{patience.exposure:,.0f} s. Served calls are censored observations of patience (they "
            "would have waited longer), so the exponential MLE is total waiting time / "
            f"abandonments = **{patience.mean:.1f} s** (95 % CI {low:.1f}-{high:.1f} s).",
            "",
        ]
        median = cal.km.median()
        lines += [
            f"Kaplan-Meier (censored, non-parametric): median patience "
            f"{_secs(median) if math.isfinite(median) else 'not reached (over half still waiting)'}"
            f"; largest gap to the exponential where at least 30 calls still waited: "
            f"{_gap(cal)}. `patience.png` compares them.",
            "",
        ]
    if cal.patience_given is not None:
        given = "none" if math.isinf(cal.patience_given) else _secs(cal.patience_given)
        lines += [f"The scenario uses the patience given with --patience: **{given}**.", ""]
    return lines


#: The observed KPI table's columns.
OBSERVED_COLUMNS = (
    "interval",
    "offered/day",
    "abandonment",
    "service level",
    "mean wait",
    "busy agents",
    "agents while waiting",
    "handle",
    "heads",
)


def _observed(cal: Calibration) -> list[str]:
    """## Observed KPIs and staffing: the definitions, where the heads come from, and the log's
    KPIs per interval with the whole day last."""
    lines = [
        "## Observed KPIs and staffing",
        "",
        "Per interval of arrival, pooled over the days: abandonment = abandoned / offered; "
        "service level = answered within the threshold / offered; mean wait over answered "
        "and abandoned calls (cxsim's definitions). Busy agents = time-average calls in "
        "service; agents while waiting = calls in service while some call waited (everyone "
        "on duty is busy then); handle = mean handle time of the served calls; heads = the "
        "scenario's schedule (a fraction: one more agent for that part of the interval).",
        "",
        staffing_comment(cal),
        "",
    ]
    return lines + _table(OBSERVED_COLUMNS, _observed_rows(cal))


def _observed_rows(cal: Calibration) -> list[list[str]]:
    """One row per interval, then the whole day."""
    obs = cal.observed
    rows = [
        [
            label,
            f"{obs.offered[i]:.1f}",
            _pct(obs.abandon_rate[i]),
            _pct(obs.service_level[i]),
            _secs(obs.mean_wait[i]),
            f"{obs.busy[i]:.2f}",
            f"{obs.agents_waiting[i]:.2f}",
            _secs(obs.handle_mean[i]) if obs.handle_mean is not None else "",
            f"{cal.heads[i]:g}",
        ]
        for i, label in enumerate(cal.grid.labels)
    ]
    rows.append(
        [
            "**day**",
            f"{obs.day['offered']:.1f}",
            _pct(obs.day["abandon_rate"]),
            _pct(obs.day["service_level"]),
            _secs(obs.day["mean_wait"]),
            f"{obs.day['busy']:.2f}",
            "",
            _secs(cal.handle.sample_mean),
            "",
        ]
    )
    return rows


def _check(check: Check | None) -> list[str]:
    """## Check: the simulated scenario against the log, for the whole day and per interval."""
    lines = ["## Check: simulated vs observed", ""]
    if check is None:
        return [*lines, "Not run (--no-check).", ""]
    lines += [
        f"The scenario simulated {check.replications} time(s) (replications of one day). "
        "Whole day (observed; simulated mean with 95 % CI; mean absolute error over the "
        "intervals weighted by offered calls; the worst interval):",
        "",
    ]
    lines += _table(
        ["KPI", "observed", "simulated", "difference", "MAE per interval", "worst"],
        _check_day_rows(check),
    )
    if check.fitted is not None:
        lines += [
            f"(fitted): the staffing was calibrated to the observed {KPIS[check.fitted][0]} "
            "per interval (Erlang A), so agreement on it is by construction, up to the gap "
            "between Erlang A and the simulation; the other KPIs are the independent check.",
            "",
        ]
    header = ["interval", "offered/day"]
    for label, _, _ in KPIS.values():
        header += [f"{label} obs", f"{label} sim"]
    return lines + _table(header, interval_rows(check))


def _check_day_rows(check: Check) -> list[list[str]]:
    """One row per KPI: observed, simulated, their difference, the error per interval."""
    rows = []
    for key in KPIS:
        seen, sim = check.day[key]
        mae, worst, where = check.errors[key]
        rows.append(
            [
                check.label(key),
                fmt(key, seen),
                fmt_estimate(key, sim),
                fmt_error(key, sim.mean - seen),
                fmt_error(key, mae).lstrip("+"),
                f"{fmt_error(key, worst)} at {where}",
            ]
        )
    return rows


def _plots(plots: Sequence[str]) -> list[str]:
    """## Plots: the PNG files written beside the report."""
    return ["## Plots", "", *(f"- `{name}`" for name in plots), ""]


def _gap(cal: Calibration) -> str:
    gap = patience_gap(cal.km, cal.patience)
    return f"{gap:.3f}" if math.isfinite(gap) else "n/a"


# --------------------------------------------------------------------------------------------
# Plots


def _interval_ticks(ax: Any, labels: Sequence[str]) -> None:
    """At most ~16 interval labels, rotated when crowded (as the run report's plots)."""
    step = max(1, math.ceil(len(labels) / 16))
    ticks = list(range(0, len(labels), step))
    ax.set_xticks(ticks, [labels[i] for i in ticks])
    if len(ticks) > 10:
        for tick in ax.get_xticklabels():
            tick.set_rotation(45)
            tick.set_ha("right")


def _pdf(mean_sd: tuple[float, float], x: np.ndarray) -> np.ndarray:
    """Density of the lognormal with this mean and sd (the scenario language's parameters)."""
    mean, sd = mean_sd
    sigma = max(math.sqrt(math.log1p((sd / mean) ** 2)), 1e-12)
    return stats.lognorm.pdf(x, s=sigma, scale=mean * math.exp(-(sigma**2) / 2))


def arrivals_plot(cal: Calibration) -> bytes:
    """Mean calls per interval (bars) with each selected day (thin lines): the profile."""
    obs = cal.observed
    with chart_figure(WIDE) as fig:
        ax = fig.subplots()
        x = np.arange(obs.grid.n)
        for day in obs.counts:
            ax.plot(x, day, color=GREY, linewidth=0.6, alpha=0.5, zorder=1)
        ax.bar(x, obs.offered, color=BLUE, width=0.8, alpha=0.85, zorder=2, label="mean")
        ax.set_title(
            f"Arrivals per {format_duration(obs.grid.interval)} interval: mean of "
            f"{obs.n_days} day(s) (bars) and each day (grey)"
        )
        ax.set_ylabel("calls")
        _interval_ticks(ax, obs.grid.labels)
        return png_bytes(fig)


def handle_plot(cal: Calibration) -> bytes:
    """Histograms of handle time with the fitted lognormal density, for the biggest types."""
    fits: list[tuple[str, LognormalFit]] = [("all calls", cal.handle)]
    biggest = sorted(cal.handle_by_intent.items(), key=lambda kv: -kv[1].n)[:3]
    fits += biggest
    obs = cal.log.subset(cal.grid.index(cal.log.arrival) >= 0)
    served = ~obs.abandoned & np.isfinite(obs.handle) & (obs.handle > 0)
    names = np.array([intent_name(str(t)) for t in obs.types], dtype=object)
    with chart_figure(TALL) as fig:
        axes = fig.subplots(1, len(fits), squeeze=False)[0]
        for ax, (name, fit) in zip(axes, fits, strict=True):
            mine = served if name == "all calls" else served & (names == name)
            values = obs.handle[mine]
            top = float(np.quantile(values, 0.99)) if len(values) else 1.0
            bins = np.linspace(0, top, 40)
            ax.hist(values, bins=bins, density=True, color=BLUE, alpha=0.6, label="observed")
            grid = np.linspace(top / 400, top, 400)
            ax.plot(grid, fit.pdf(grid), color=RED, linewidth=1.6, label="lognormal MLE")
            ax.plot(
                grid,
                _pdf(fit.params("moments"), grid),
                color=TEAL,
                linewidth=1.6,
                linestyle="--",
                label="lognormal, observed mean and sd",
            )
            ax.set_title(f"{name}: n={fit.n:,}\nKS MLE {fit.ks:.3f}, moments {fit.ks_moments:.3f}")
            ax.set_xlabel("handle time (s)")
            ax.set_yticks([])
        axes[0].legend(loc="upper right")
        figure_title(
            fig, "Handle time: observed histogram and fitted lognormals (up to the 99th percentile)"
        )
        return png_bytes(fig)


def patience_plot(cal: Calibration) -> bytes:
    """P(patience > t): Kaplan-Meier (censored by service) against the fitted exponential."""
    km, fit = cal.km, cal.patience
    with chart_figure(WIDE) as fig:
        if not fit.abandoned:
            empty_chart(fig, "Patience", "No abandonments in the log: patience was not fitted.")
            return png_bytes(fig)
        ax = fig.subplots()
        enough = km.times[km.at_risk >= 30]
        top = float(enough[-1]) if len(enough) else float(km.times[-1])
        top = max(top, 1.0)
        t = np.concatenate([[0.0], km.times[km.times <= top]])
        s = np.concatenate([[1.0], km.survival[km.times <= top]])
        ax.step(t, s, where="post", color=BLUE, linewidth=1.8, label="Kaplan-Meier (censored)")
        grid = np.linspace(0, top, 300)
        ax.plot(
            grid,
            np.exp(-grid / fit.mean),
            color=RED,
            linewidth=1.6,
            linestyle="--",
            label=f"exponential, mean {fit.mean:.0f}s (censored MLE)",
        )
        ax.set_ylim(0, 1.02)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel("waiting time (s), while at least 30 calls still waited")
        ax.set_ylabel("still willing to wait")
        ax.set_title("Patience: share of callers still willing to wait after t")
        ax.legend(loc="upper right")
        return png_bytes(fig)


def kpis_plot(cal: Calibration) -> bytes:
    """Observed offered calls, abandonment and service level, mean wait and staffing."""
    obs = cal.observed
    x = np.arange(obs.grid.n)
    with chart_figure((10.0, 7.5)) as fig:
        axes = fig.subplots(2, 2, sharex=True).ravel()
        axes[0].bar(x, obs.offered, color=BLUE, width=0.8)
        axes[0].set_title("Offered calls per day")
        axes[1].plot(x, obs.service_level, color=BLUE, marker="o", markersize=3, label="SL")
        axes[1].plot(x, obs.abandon_rate, color=RED, marker="o", markersize=3, label="abandon")
        axes[1].set_ylim(0, 1.02)
        axes[1].yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes[1].set_title(
            f"Service level (within {format_duration(obs.threshold)}) and abandonment"
        )
        axes[1].legend(loc="lower left")
        axes[2].plot(x, obs.mean_wait, color=ORANGE, marker="o", markersize=3)
        axes[2].set_title("Mean wait (s)")
        axes[3].step(x, cal.heads, where="mid", color=INK, linewidth=1.6, label="heads (scenario)")
        axes[3].plot(x, obs.agents_waiting, color=TEAL, linewidth=1.2, label="agents while waiting")
        axes[3].plot(x, obs.busy, color=MUTED, linewidth=1.2, linestyle="--", label="busy agents")
        axes[3].set_title("Staffing inferred from the log")
        axes[3].legend(loc="lower center", fontsize=8)
        for ax in axes[2:]:
            _interval_ticks(ax, obs.grid.labels)
        return png_bytes(fig)


def check_plot(cal: Calibration, check: Check) -> bytes:
    """Simulated (mean and 95 % CI band) vs observed, per interval, for each KPI."""
    x = np.arange(len(check.labels))
    with chart_figure((10.0, 8.0)) as fig:
        axes = fig.subplots(len(KPIS), 1, sharex=True)
        for ax, (key, (label, _, rate)) in zip(axes, KPIS.items(), strict=True):
            sim = check.simulated[key]
            means = np.array([e.mean for e in sim])
            lows = np.array([e.ci_low for e in sim])
            highs = np.array([e.ci_high for e in sim])
            ok = np.isfinite(lows) & np.isfinite(highs)
            if ok.any():
                ax.fill_between(
                    x,
                    np.where(ok, lows, means),
                    np.where(ok, highs, means),
                    color=BLUE,
                    alpha=0.18,
                    linewidth=0,
                )
            ax.plot(x, means, color=BLUE, marker="o", markersize=3, label="simulated")
            ax.plot(
                x,
                check.observed[key],
                color=INK,
                marker="s",
                markersize=3,
                linestyle="--",
                label="observed",
            )
            seen, day = check.day[key]
            ax.set_title(
                f"{label}: observed {fmt(key, seen)}, simulated {fmt(key, day.mean)} a day"
            )
            if rate:
                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
                ax.set_ylim(bottom=0)
            else:
                ax.set_ylabel("s")
        axes[0].legend(loc="upper right")
        _interval_ticks(axes[-1], check.labels)
        axes[-1].set_xlabel(
            f"interval of arrival (band: 95 % CI, {check.replications} replications)"
        )
        return png_bytes(fig)
