"""coverage.png: per rostered group, the heads required against the heads the roster has at
work, interval by interval over every day, with the surplus shaded.

Heads *at work* are on a shift and not on a break: what the roster puts on the phones before
the shrinkage breaks do not cover. Fractions appear where a break takes part of an interval
(a 15-minute break in a half hour takes half a head). The bytes are deterministic: the same
roster draws the same file.
"""

from __future__ import annotations

import numpy as np

from simulator.report.plots import chart_figure, figure_title, png_bytes
from simulator.staffing.schedule import ScheduleResult
from simulator.units import format_clock

REQUIRED = "#2f6fde"
ROSTERED = "#e07a1f"
SURPLUS = "#f6d7b8"


def coverage_plot(result: ScheduleResult) -> bytes:
    """One panel per rostered group: required vs rostered heads at work, days side by side."""
    from matplotlib.ticker import MaxNLocator  # with the figure: matplotlib loads slowly

    roster = result.roster
    calendar = roster.problem.calendar
    per_day, days = calendar.intervals_per_day, calendar.days
    x = np.arange(per_day * len(days) + 1)
    height = 1.2 + 2.4 * len(result.groups)
    width = min(6.0 + 2.2 * len(days), 18.0)
    with chart_figure((width, height)) as fig:
        axes = fig.subplots(len(result.groups), 1, squeeze=False)[:, 0]
        for ax, group in zip(axes, result.groups, strict=True):
            required = np.concatenate([roster.requirement(group, day) for day in days])
            at_work = np.concatenate([roster.coverage(group, day) for day in days])
            ax.fill_between(
                x,
                np.append(required, required[-1]),
                np.append(at_work, at_work[-1]),
                where=np.append(at_work >= required, False),
                step="post",
                color=SURPLUS,
                linewidth=0,
                label="surplus",
            )
            ax.step(
                x,
                np.append(required, required[-1]),
                where="post",
                color=REQUIRED,
                lw=2,
                label="required",
            )
            ax.step(
                x,
                np.append(at_work, at_work[-1]),
                where="post",
                color=ROSTERED,
                lw=1.6,
                label="rostered (at work, off breaks)",
            )
            for d in range(1, len(days)):
                ax.axvline(d * per_day, color="#9aa5b1", lw=0.8, ls=":")
            ax.set_title(f"{group}: heads at work")
            ax.set_ylim(bottom=0)
            ax.set_xlim(0, per_day * len(days))
            ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
            _ticks(ax, calendar, len(days))
            if ax is axes[0]:
                ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
        targets = ", ".join(t.describe() for t in result.targets)
        figure_title(
            fig,
            f"{result.scenario.name}: roster for {targets}\n"
            f"cost {result.cost:,.0f}, +{result.gap_pct:.1f} % over the interval lower bound",
            fontsize=10,
        )
        return png_bytes(fig)


def _ticks(ax, calendar, n_days: int) -> None:
    """Clock labels every few hours, the day's name at its first interval."""
    per_day = calendar.intervals_per_day
    step = max(1, round(4 * 3600 / calendar.interval_s)) if n_days > 1 else max(1, per_day // 12)
    ticks, labels = [], []
    for d in range(n_days):
        for k in range(0, per_day, step):
            ticks.append(d * per_day + k)
            clock = format_clock(calendar.clock_of(k))
            labels.append(f"{calendar.days[d]} {clock}" if k == 0 and n_days > 1 else clock)
    ax.set_xticks(ticks, labels, rotation=45, ha="right", fontsize=7)
