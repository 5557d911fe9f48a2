"""From a call log to fitted parameters (:func:`calibrate`) and a loadable scenario (YAML).

The scenario is complete by default: one synchronous channel ``voice`` whose patience,
arrivals, intents and handle times are fitted, served by one agent group whose schedule is
calibrated (``--staffing fit-sl``, the default) or inferred from the log. It runs as a plain
queueing model (``frustration: {enabled: false}``, no retrials), the model a call log can
calibrate: the log tells nothing about journeys.
"""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from simulator.calibrate import CalibrationError
from simulator.calibrate.columns import CallLog
from simulator.calibrate.fits import (
    HANDLE_FITS,
    KaplanMeier,
    LognormalFit,
    PatienceFit,
    fit_lognormal,
    fit_patience,
    kaplan_meier,
    verdict,
)
from simulator.calibrate.profile import (
    FITTED_KPI,
    STAFFING,
    Grid,
    Observed,
    agents_schedule,
    choose_grid,
    observe,
)
from simulator.units import format_clock, format_duration

CHANNEL = "voice"
GROUP = "agents"
#: Call types with fewer served calls than this share one intent and the pooled handle time.
MIN_TYPE_CALLS = 50
OTHER = "other"
DEFAULT_INTENT = "general"
_RESERVED = frozenset({"default", "by_channel"})
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")


@dataclass
class Calibration:
    """Everything fitted or inferred from one call log, ready for the fragment and the report."""

    source: str
    days: str
    log: CallLog  # the calls of the selected days, at every hour
    observed: Observed
    handle: LognormalFit
    handle_by_intent: dict[str, LognormalFit]
    intents: dict[str, float]
    types_of_intent: dict[str, list[str]]
    patience: PatienceFit
    km: KaplanMeier
    patience_given: float | None  # seconds from --patience (inf for none), None when fitted
    heads: np.ndarray  # whole heads, or fractional for workload and fit-* staffing
    staffing: str
    handle_fit: str = "moments"  # how the scenario's lognormals are set (HANDLE_FITS)
    excluded: dict[str, int] = field(default_factory=dict)

    @property
    def grid(self) -> Grid:
        return self.observed.grid

    @property
    def patience_mean(self) -> float:
        return self.patience_given if self.patience_given is not None else self.patience.mean

    @property
    def handle_mean(self) -> float:
        """The scenario's mean handle time: the intents' means weighted by their shares."""
        return scenario_handle_mean(
            self.intents, self.handle, self.handle_by_intent, self.handle_fit
        )

    @property
    def fitted_kpi(self) -> str | None:
        """The check's KPI the staffing was calibrated to (None when inferred from the log)."""
        return FITTED_KPI.get(self.staffing)


def calibrate(
    log: CallLog,
    days: str,
    interval: float,
    threshold: float,
    hours: str | None = None,
    staffing: str = "fit-sl",
    patience: float | None = None,
    handle_fit: str = "moments",
) -> Calibration:
    """Fit arrivals, handle times and patience on the calls of the selected days.

    ``log`` must already hold only those days (see :func:`~simulator.calibrate.profile.
    select_days`). Fits use the calls that arrived within the horizon, the calls the simulated
    scenario will have; staffing uses every call, since one that arrived before the horizon
    opened can keep an agent busy after. ``staffing`` is a key of
    :data:`~simulator.calibrate.profile.STAFFING`, ``handle_fit`` one of :data:`~simulator.
    calibrate.fits.HANDLE_FITS`.
    """
    if staffing not in STAFFING:
        raise CalibrationError(f"--staffing: unknown method {staffing!r}")
    if handle_fit not in HANDLE_FITS:
        raise CalibrationError(f"--handle-fit: unknown method {handle_fit!r}")
    n_days = len(np.unique(log.day))
    grid = choose_grid(log, interval, hours, n_days)
    observed = observe(log, grid, threshold)
    inside = log.subset(grid.index(log.arrival) >= 0)
    if len(inside) == 0:
        raise CalibrationError(
            f"{log.source}: no calls between {format_clock(grid.start)} and "
            f"{format_clock(grid.end)} on the selected days (--hours)"
        )
    overall, unusable = _fit_served_handles(inside)
    served = ~inside.abandoned
    intents, types_of_intent, by_intent = _intents(inside, served & np.isfinite(inside.handle))
    fit = _fit_patience_unless_given(inside, patience)
    excluded = {
        "filtered by --where": log.rows_filtered,
        "outside the horizon": len(log) - len(inside),
        "served without a handle time > 0": unusable,
    }
    patience_mean = patience if patience is not None else fit.mean
    handle_mean = scenario_handle_mean(intents, overall, by_intent, handle_fit)
    return Calibration(
        source=log.source,
        days=days,
        log=log,
        observed=observed,
        handle=overall,
        handle_by_intent=by_intent,
        intents=intents,
        types_of_intent=types_of_intent,
        patience=fit,
        km=kaplan_meier(inside.wait, inside.abandoned),
        patience_given=patience,
        heads=agents_schedule(observed, staffing, handle_mean, patience_mean),
        staffing=staffing,
        handle_fit=handle_fit,
        excluded=excluded,
    )


def _fit_served_handles(inside: CallLog) -> tuple[LognormalFit, int]:
    """The lognormal fit on every served call with a handle time above 0, and how many served
    calls had none (they are left out of the fits and counted in the report)."""
    handles = inside.handle[~inside.abandoned]
    usable = np.isfinite(handles) & (handles > 0)
    overall = fit_lognormal(handles[usable])
    if overall is None:
        raise CalibrationError(
            f"{inside.source}: fewer than 2 served calls with a handle time above 0 "
            f"({inside.mapping.get('handle', 'handle')}): handle time cannot be fitted"
        )
    return overall, int(np.count_nonzero(~usable))


def _fit_patience_unless_given(inside: CallLog, patience: float | None) -> PatienceFit:
    """The censored exponential fit of patience; without abandonments, patience must be given
    (``--patience``), and the error says how to check the mapping or give it."""
    fit = fit_patience(inside.wait, inside.abandoned)
    if fit.abandoned == 0 and patience is None:
        raise CalibrationError(
            f"{inside.source}: none of the {len(inside):,} calls in the horizon abandoned, so "
            "patience cannot be fitted (its estimate is total waiting time / abandonments). "
            "Check the abandoned= mapping (e.g. --columns abandoned=outcome==HANG) and that "
            "--where keeps abandoned calls; or give patience yourself with --patience 5m "
            "(or --patience none if callers never hang up)"
        )
    return fit


def _intents(
    calls: CallLog, served: np.ndarray
) -> tuple[dict[str, float], dict[str, list[str]], dict[str, LognormalFit]]:
    """Intent shares from the type mix of offered calls; a handle-time fit per big type.

    Types with fewer than :data:`MIN_TYPE_CALLS` served calls pool into ``other``, which uses
    the overall fit: a lognormal on a dozen calls is noise.
    """
    if not calls.typed:
        return {DEFAULT_INTENT: 1.0}, {DEFAULT_INTENT: []}, {}
    names = np.array([intent_name(str(t)) for t in calls.types], dtype=object)
    kinds, counts = np.unique(names, return_counts=True)
    served_counts = {str(k): int(np.count_nonzero(served & (names == k))) for k in kinds}
    big = {str(k) for k in kinds if served_counts[str(k)] >= MIN_TYPE_CALLS}
    other = OTHER if OTHER not in big else f"{OTHER}_types"
    shares: dict[str, float] = {}
    members: dict[str, list[str]] = {}
    for kind, count in zip(kinds, counts, strict=True):
        intent = str(kind) if str(kind) in big else other
        shares[intent] = shares.get(intent, 0.0) + count / len(calls)
        members.setdefault(intent, []).append(str(kind))
    fits = {}
    for intent in sorted(big):
        fitted = fit_lognormal(calls.handle[served & (names == intent)])
        if fitted is not None:
            fits[intent] = fitted
    return _round_shares(shares), members, fits


def scenario_handle_mean(
    intents: dict[str, float],
    overall: LognormalFit,
    by_intent: dict[str, LognormalFit],
    method: str,
) -> float:
    """The mean handle time the scenario will draw: each intent's mean by its share (intents
    without a fit of their own use the overall one). Staffing is sized on this workload."""
    return sum(
        share * by_intent.get(intent, overall).params(method)[0]
        for intent, share in intents.items()
    )


def intent_name(raw: str) -> str:
    """The intent a call type becomes: ``default`` and ``by_channel`` are handle_time keywords."""
    name = raw.strip() or "unknown"
    return f"type_{name}" if name in _RESERVED else name


def _round_shares(shares: dict[str, float]) -> dict[str, float]:
    """Shares rounded to 6 decimals that still add up to 1 (the largest absorbs the rest)."""
    rounded = {k: round(float(v), 6) for k, v in sorted(shares.items())}
    largest = max(rounded, key=lambda k: rounded[k])
    rounded[largest] = round(rounded[largest] + 1.0 - sum(rounded.values()), 6)
    return rounded


# --------------------------------------------------------------------------------------------
# The scenario


def scenario_name(source: str) -> str:
    stem = Path(source).stem or "calls"
    return f"{stem}-calibrated"


def _seconds(value: float) -> str:
    """Seconds, one decimal: ``209.2s`` (one unit throughout, easy to compare by eye)."""
    return f"{round(value, 1):g}s"


def _lognormal(fit: LognormalFit, method: str) -> dict[str, Any]:
    """The lognormal of ``method`` (moments, mle or mle-shape: :data:`HANDLE_FITS`)."""
    mean, sd = fit.params(method)
    return {"lognormal": {"mean": _seconds(mean), "sd": _seconds(sd)}}


def agents_count(grid: Grid, heads: np.ndarray) -> dict[str, int]:
    """The schedule for ``agents.<group>.count``: a step wherever the heads change.

    Fractional heads ``h`` (e.g. 4.4) become ``ceil(h)`` agents for the first ``frac(h)`` of
    the interval, rounded to whole minutes, then ``floor(h)``: the interval's agent-time is
    ``h`` x its length, without rounding a 2-7 agent center by up to 25 %.
    """
    steps: list[tuple[float, int]] = []
    for start, length, value in zip(grid.edges[:-1], grid.lengths, heads, strict=True):
        low = math.floor(float(value) + 1e-9)
        minutes = round((float(value) - low) * length / 60)
        if minutes * 60 >= length:
            steps.append((start, low + 1))
        elif minutes > 0:
            steps += [(start, low + 1), (start + 60 * minutes, low)]
        else:
            steps.append((start, low))
    schedule: dict[str, int] = {}
    last = None
    for start, count in steps:
        if count != last:
            schedule[format_clock(start)] = int(count)
            last = count
    return schedule


def scenario_data(cal: Calibration) -> dict[str, Any]:
    """The scenario as plain data, in the order a person would write it."""
    grid = cal.grid
    if cal.patience_given is not None and math.isinf(cal.patience_given):
        patience: Any = "none"
    else:
        patience = {"exponential": {"mean": _seconds(cal.patience_mean)}}
    schedule = agents_count(grid, cal.heads)
    handle: dict[str, Any] = {"default": _lognormal(cal.handle, cal.handle_fit)}
    for intent, fit in cal.handle_by_intent.items():
        handle[intent] = _lognormal(fit, cal.handle_fit)
    data: dict[str, Any] = {
        "scenario": scenario_name(cal.source),
        "description": (
            f"Calibrated by cxsim calibrate from {Path(cal.source).name} "
            f"({cal.days}, {cal.observed.n_days} day(s))"
        ),
        "seed": 1,
        "horizon": {
            "start": format_clock(grid.start),
            "end": format_clock(grid.end),
            "interval": format_duration(grid.interval),
        },
    }
    if len(cal.intents) > 1 or DEFAULT_INTENT not in cal.intents:
        data["customers"] = {"intents": cal.intents}
    data["arrivals"] = {"per_interval": [round(float(x), 2) for x in cal.observed.offered]}
    data["channels"] = {
        CHANNEL: {
            "kind": "synchronous",
            "patience": patience,
            "service_level": _seconds(cal.observed.threshold),
        }
    }
    data["agents"] = {GROUP: {"skills": [CHANNEL], "count": schedule}}
    data["handle_time"] = handle
    data["frustration"] = {"enabled": False}
    return data


_COMMENTS = {
    "horizon": "Open hours: {hours}.",
    "customers": "FITTED: intents are the call types, with their shares of offered calls{pooled}.",
    "arrivals": (
        "FITTED: expected calls per {interval} interval, averaged over {days} day(s) ({which})."
    ),
    "channels": "FITTED: {patience}; service level threshold {threshold}.",
    "agents": "{staffing}",
    "handle_time": (
        "FITTED: lognormal with {handle_fit}; default = all served calls{types}. KS distance {ks}."
    ),
    "frustration": "A call log calibrates the queue, not journeys: run as a plain queue model.",
}


def fragment_text(cal: Calibration) -> str:
    """The scenario as YAML, each block preceded by a comment saying where it comes from."""
    data = scenario_data(cal)
    grid = cal.grid
    pooled = cal.types_of_intent.get(OTHER) or cal.types_of_intent.get(f"{OTHER}_types")
    if cal.patience_given is None:
        low, high = cal.patience.ci
        patience = (
            f"exponential patience, censored MLE = total wait / abandonments = "
            f"{cal.patience.exposure:,.0f} s / {cal.patience.abandoned:,} "
            f"(95%-CI {low:.0f}-{high:.0f} s)"
        )
    else:
        patience = "patience GIVEN with --patience, not fitted"
    ks = ", ".join(
        f"{name} {_ks(fit, cal.handle_fit)}"
        for name, fit in [("all", cal.handle), *cal.handle_by_intent.items()]
    )
    values = {
        "hours": f"{format_clock(grid.start)}-{format_clock(grid.end)}",
        "pooled": (f"; {OTHER} pools the small types {', '.join(pooled)}" if pooled else ""),
        "interval": format_duration(grid.interval),
        "days": cal.observed.n_days,
        "which": cal.days,
        "patience": patience,
        "threshold": _seconds(cal.observed.threshold),
        "staffing": staffing_comment(cal),
        "types": "; one entry per call type with enough calls" if cal.handle_by_intent else "",
        "ks": ks,
        "handle_fit": f"{HANDLE_FITS[cal.handle_fit]} (--handle-fit {cal.handle_fit})",
    }
    lines = [
        f"# Calibrated by `cxsim calibrate` from {cal.source}",
        f"# ({cal.days}: {cal.observed.n_days} day(s), {len(cal.log):,} calls).",
        "# FITTED blocks come from the log by the estimators of docs/background.md; INFERRED",
        "# blocks are guesses from what the log shows; CALIBRATED blocks are chosen so that a",
        "# model reproduces an observed KPI. Fit report: calibration.md.",
    ]
    for key, value in data.items():
        comment = _COMMENTS.get(key)
        if comment:
            lines.append("")
            lines.extend(_wrap(comment.format(**values)))
        lines.append(_dump({key: value}).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _ks(fit: LognormalFit, method: str) -> str:
    ks = fit.ks_of(method)
    return f"{ks:.3f} ({verdict(ks)})" if math.isfinite(ks) else "n/a"


def staffing_comment(cal: Calibration) -> str:
    """Where the heads come from, said plainly: calibrated heads are not a measured schedule."""
    how = f"{STAFFING[cal.staffing]} (--staffing {cal.staffing})"
    if cal.fitted_kpi is not None:
        kpi = "service level" if cal.fitted_kpi == "service_level" else "abandonment"
        return (
            f"CALIBRATED, not observed: heads per interval are the agents for which Erlang A, "
            f"with the fitted arrivals, handle time and patience, gives the observed {kpi} "
            f"(--staffing {cal.staffing}). They absorb what the model lacks (priorities, skills, "
            f"an intent mix that changes through the day), so the check on {kpi} is not "
            "independent. Fractional heads alternate within the interval. Replace them with "
            "your real schedule if you have it."
        )
    return (
        f"INFERRED, not fitted: heads per interval from the log: {how}. Replace them with your "
        "real schedule if you have it."
    )


def _wrap(text: str, width: int = 98) -> list[str]:
    return ["# " + line for line in textwrap.wrap(text, width - 2)]


class _Dumper(yaml.SafeDumper):
    """Block style for mappings, flow style for lists of numbers (arrivals on a few lines),
    clock times quoted (YAML 1.1 would read an unquoted 07:00 as the number 420)."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "'" if _CLOCK.match(data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(x, int | float | str) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=98,
        default_flow_style=False,
    )
