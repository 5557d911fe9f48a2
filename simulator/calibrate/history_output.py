"""A fitted arrival history as a scenario's ``arrivals:`` block and as a short Markdown report.

The block is in the scenario language (docs/reference.md, ``arrivals``)::

    arrivals:
      per_interval: [...]                       # the mean over every day: the other days
      by_day:                                   # each weekday with enough days, its own
        mon: {per_interval: [...]}
      uncertainty: {day_cv: 0.063, interval_cv: 0.043, interval_correlation: 0.77}

Lists hold expected arrivals per interval of the history's span (a comment names the horizon
they fit). Weekdays the history does not have (a weekend the center is closed) take the
default: set them in the scenario (``sat: {rate: 0}``). ``interval_cv`` and
``interval_correlation`` are the generator's: log-AR(1) multipliers, each day rescaled to keep
its total (:mod:`simulator.calibrate.history_fit`); they are left out when no noise is found.
Both texts are pure functions of the fit, so the same history gives the same bytes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from simulator.calibrate.history_fit import HistoryFit, Ranged
from simulator.calibrate.profile import WEEKDAYS
from simulator.units import format_clock, format_duration

WIDTH = 98


def arrivals_yaml(fit: HistoryFit) -> str:
    """The ``arrivals:`` block, with comments saying where it comes from and its horizon."""
    history = fit.history
    interval = format_duration(history.interval_s)
    start, end = format_clock(history.first_clock_s), format_clock(history.end_clock_s)
    lines = [
        *_wrapped_comment(f"Fitted from {Path(history.source).name}: {_days_text(fit)}."),
        f"# Expected arrivals per {interval} interval, for "
        f'horizon: {{start: "{start}", end: "{end}", interval: {interval}}}.',
        *_wrapped_comment(_uncertainty_text(fit)),
        "arrivals:",
    ]
    lines.extend(_flow_list("  per_interval: ", fit.default))
    if fit.by_weekday and fit.profiles:
        lines.append("  by_day:")
        for day, profile in fit.profiles.items():
            lines.append(f"    {day}:")
            lines.extend(_flow_list("      per_interval: ", profile))
    parts = [f"day_cv: {fit.day_cv.value:.3f}"]
    # No noise found (a CV that rounds to 0) means no correlation either: the language
    # refuses interval_correlation without interval_cv.
    noise = fit.interval_cv is not None and round(fit.interval_cv.value, 3) > 0
    if noise and fit.interval_cv is not None and fit.interval_correlation is not None:
        parts.append(f"interval_cv: {fit.interval_cv.value:.3f}")
        parts.append(f"interval_correlation: {fit.interval_correlation.value:.2f}")
    lines.append(f"  uncertainty: {{{', '.join(parts)}}}")
    return "\n".join(lines) + "\n"


def fit_report(fit: HistoryFit) -> str:
    """A short Markdown report: what was read, daily volume per weekday, the uncertainty."""
    sections = [_source_section(fit), _volume_section(fit), _uncertainty_section(fit)]
    return "\n\n".join(sections) + "\n"


def _days_text(fit: HistoryFit) -> str:
    dates = fit.history.dates
    weekdays = ", ".join(f"{day} {n}" for day, n in fit.days_per_weekday.items())
    return f"{len(dates)} days from {dates[0]} to {dates[-1]} ({weekdays})"


def _flow_list(prefix: str, values: Sequence[float]) -> list[str]:
    """``prefix[a, b, ...]`` wrapped to the width, continuation lines indented past the key."""
    text = "[" + ", ".join(f"{v:.1f}" for v in values) + "]"
    indent = " " * (len(prefix) - len(prefix.lstrip()) + 2)
    return textwrap.wrap(
        text, WIDTH, initial_indent=prefix, subsequent_indent=indent, break_long_words=False
    )


def _wrapped_comment(text: str) -> list[str]:
    return ["# " + line for line in textwrap.wrap(text, WIDTH - 2)]


def _ranged(estimate: Ranged, digits: int) -> str:
    return f"{estimate.value:.{digits}f} ({estimate.low:.{digits}f}-{estimate.high:.{digits}f})"


def _uncertainty_text(fit: HistoryFit) -> str:
    level = f"{fit.confidence:.0%}"
    text = f"day_cv {_ranged(fit.day_cv, 3)}"
    if fit.interval_cv is not None and fit.interval_correlation is not None:
        text += f", interval_cv {_ranged(fit.interval_cv, 3)}"
        text += f", interval_correlation {_ranged(fit.interval_correlation, 2)}"
    return f"Estimates with their {level} bootstrap intervals: {text}."


def _source_section(fit: HistoryFit) -> str:
    history = fit.history
    lines = [
        "# Arrival history fit",
        "",
        f"`{Path(history.source).name}`: {_days_text(fit)}; "
        f"{format_duration(history.period_s)} periods summed into "
        f"{format_duration(history.interval_s)} intervals, {history.hours()}.",
    ]
    if history.notes:
        lines += ["", *[f"- {note}" for note in history.notes]]
    return "\n".join(lines)


def _volume_section(fit: HistoryFit) -> str:
    history = fit.history
    totals, weekdays = history.counts.sum(axis=1), history.weekdays
    rows = [
        "## Daily volume",
        "",
        "| weekday | days | mean per day | CV of daily totals | busiest interval | profile |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for w in np.unique(weekdays):
        day = WEEKDAYS[w]
        own = day in fit.profiles
        profile = fit.profiles[day] if own else fit.default
        label = "its own" if own else "default"
        rows.append(_volume_row(fit, day, totals[weekdays == w], profile, label))
    rows.append(_volume_row(fit, "all", totals, fit.default, "default"))
    return "\n".join(rows)


def _volume_row(
    fit: HistoryFit, name: str, totals: np.ndarray, profile: Sequence[float], label: str
) -> str:
    cv = f"{totals.std(ddof=1) / totals.mean():.1%}" if len(totals) > 1 else "-"
    busiest = int(np.argmax(profile))
    start = fit.history.first_clock_s + busiest * fit.history.interval_s
    peak = f"{format_clock(start)}-{format_clock(start + fit.history.interval_s)}"
    return f"| {name} | {len(totals)} | {totals.mean():,.0f} | {cv} | {peak} | {label} |"


def _uncertainty_section(fit: HistoryFit) -> str:
    level = f"{fit.confidence:.0%}"
    basis = "its weekday's profile" if fit.by_weekday else "the pooled profile"
    rows = [
        "## Uncertainty",
        "",
        f"| parameter | estimate | {level} interval | meaning |",
        "| --- | ---: | --- | --- |",
        _uncertainty_row(
            "day_cv", fit.day_cv, 3, f"CV of a day's volume beyond Poisson, relative to {basis}"
        ),
    ]
    noise = (
        fit.interval_cv,
        fit.interval_correlation,
        fit.measured_interval_cv,
        fit.measured_interval_correlation,
    )
    if all(noise):
        cv, correlation, measured_cv, measured_correlation = noise
        rows += [
            _uncertainty_row(
                "interval_cv", cv, 3, "CV of the log-AR(1) interval multipliers, before rescaling"
            ),
            _uncertainty_row(
                "interval_correlation", correlation, 2, "their lag-1 correlation (of the logs)"
            ),
            _uncertainty_row(
                "measured interval CV", measured_cv, 3, "CV of the intervals around their day"
            ),
            _uncertainty_row(
                "measured correlation", measured_correlation, 2, "of neighbouring deviations"
            ),
        ]
    rows += [
        "",
        f"The daily totals vary with a CV of {fit.daily_total_cv:.1%} over all days; a Poisson "
        f"process with a known rate would give {fit.poisson_cv:.2%}. Intervals: percentiles of "
        f"{fit.resamples} bootstrap resamples of the days, within each weekday.",
    ]
    return "\n".join(rows)


def _uncertainty_row(name: str, estimate: Ranged, digits: int, meaning: str) -> str:
    interval = f"{estimate.low:.{digits}f}-{estimate.high:.{digits}f}"
    return f"| `{name}` | {estimate.value:.{digits}f} | {interval} | {meaning} |"
