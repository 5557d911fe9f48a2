"""Per-interval views of a call log: which days, which hours, arrivals, KPIs and staffing.

Everything here is an average over the selected days of what happened in each interval of the
day, with intervals of arrival as the simulator reports them (docs/reference.md, KPIs): a call
counts in the interval in which it asked for an agent.

Staffing is not in a call log, only its traces. Two estimates from the log alone:

- **busy agents**: the time-average number of calls in service; a lower bound of staffing;
- **agents while calls waited**: in a center where no agent idles while a call waits (any
  single-pool ACD), everyone on duty is busy whenever the queue is not empty, so the number
  in service then *is* the number on duty. Averaged over the days; an interval-day without
  a queue contributes its peak number in service (a lower bound).

Both are biased as inputs to a one-queue scenario: agents kept for priority customers or other
skills idle while calls wait (too few), rounding to whole heads moves a 2-7 agent center by up
to 25 %, and the scenario has one intent mix for the whole day, so an interval whose calls were
shorter than the day's average gets too much work. Hence three more (:func:`agents_schedule`):

- **workload**: agents while calls waited x (scenario mean handle time / the interval's
  observed mean handle time), unrounded: the same load per agent as in the log, with the
  scenario's handle times. Still inferred from the log alone;
- **fit-sl** / **fit-abandonment**: the (fractional) agents for which Erlang A, with the
  fitted arrivals, handle time and patience, gives the interval's observed service level (or
  abandonment). Staffing is then *calibrated to* that KPI; the check on it is not independent.

Fractional heads become a schedule that has one more agent for part of the interval
(:mod:`simulator.calibrate.fragment`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from simulator.analytic import erlang_a
from simulator.calibrate import CalibrationError
from simulator.calibrate.columns import DAY_S, CallLog
from simulator.units import UnitError, format_clock, parse_clock

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_SETS = {
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
    "all": frozenset(range(7)),
}
#: Open hours, when not given: intervals whose mean arrivals reach this share of the busiest one.
OPEN_SHARE = 0.05
#: An interval-day needs this much queue time (s) for its "agents while calls waited" figure.
MIN_QUEUE_S = 30.0
#: ``--staffing`` methods and what each does, for help texts and reports.
STAFFING = {
    "fit-sl": "calibrated: Erlang A agents that give the observed service level",
    "fit-abandonment": "calibrated: Erlang A agents that give the observed abandonment",
    "workload": "agents while calls waited, scaled to the scenario's handle time",
    "waiting": "agents while calls waited, rounded",
    "busy": "time-average calls in service, rounded up",
}
#: The KPI (a key of the check's KPIS) each calibrated method is fitted to.
FITTED_KPI = {"fit-sl": "service_level", "fit-abandonment": "abandon_rate"}


def select_days(log: CallLog, days: str) -> tuple[CallLog, str]:
    """Keep the calls of the chosen days: ``weekdays`` (Mon-Fri), ``weekends``, ``all``, or a
    list of weekday names and ISO dates (``sun,mon,tue`` or ``1999-01-03,1999-01-04``)."""
    text = days.strip().lower()
    weekdays: frozenset[int]
    dates: frozenset[int]
    if text in DAY_SETS:
        weekdays, dates = DAY_SETS[text], frozenset()
    else:
        wanted_days, wanted_dates = set(), set()
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            if part[:3] in WEEKDAYS and _FULL_NAMES[WEEKDAYS.index(part[:3])].startswith(part):
                wanted_days.add(WEEKDAYS.index(part[:3]))
                continue
            try:
                wanted_dates.add(dt.date.fromisoformat(part).toordinal())
            except ValueError:
                raise CalibrationError(
                    f"--days: cannot read {part!r} (use weekdays, weekends, all, weekday names "
                    "such as sun,mon,tue, or dates such as 1999-01-04)"
                ) from None
        weekdays, dates = frozenset(wanted_days), frozenset(wanted_dates)
    weekday_of = (log.day - 1) % 7  # date.fromordinal(1) is a Monday
    keep = np.isin(weekday_of, list(weekdays)) | np.isin(log.day, list(dates))
    if not keep.any():
        present = sorted({WEEKDAYS[int(d)] for d in np.unique(weekday_of)}, key=WEEKDAYS.index)
        first, last = (dt.date.fromordinal(int(f(log.day))) for f in (np.min, np.max))
        span = f"{first} to {last}"
        raise CalibrationError(
            f"{log.source}: no calls on the selected days (--days {days}); the log has "
            f"{len(log):,} call(s) on {', '.join(present) or 'no days'} ({span})"
        )
    return log.subset(keep), text


@dataclass(frozen=True)
class Grid:
    """The horizon cut in intervals, in seconds after midnight."""

    start: float
    end: float
    interval: float

    @property
    def edges(self) -> np.ndarray:
        inner = np.arange(self.start, self.end, self.interval)
        return np.append(inner, self.end)

    @property
    def n(self) -> int:
        return len(self.edges) - 1

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.edges)

    @property
    def labels(self) -> list[str]:
        return [format_clock(t) for t in self.edges[:-1]]

    def index(self, seconds: np.ndarray) -> np.ndarray:
        """Interval of each time, -1 outside the horizon."""
        k = np.searchsorted(self.edges, seconds, side="right") - 1
        return np.where((seconds >= self.start) & (seconds < self.end), k, -1)


def choose_grid(log: CallLog, interval: float, hours: str | None, n_days: int) -> Grid:
    """The horizon: ``--hours HH:MM-HH:MM``, or the span of intervals whose mean arrivals reach
    :data:`OPEN_SHARE` of the busiest interval (a few night calls do not open the center)."""
    if hours:
        start_text, sep, end_text = hours.partition("-")
        try:
            start, end = parse_clock(start_text), parse_clock(end_text)
        except UnitError as error:
            raise CalibrationError(f"--hours: {error} (e.g. --hours 07:00-24:00)") from None
        if not sep or end <= start:
            raise CalibrationError(f"--hours: {hours!r} is not START-END with END after START")
        return Grid(start, end, interval)
    top = max(DAY_S, float(np.ceil((log.arrival.max() + 1) / interval) * interval))
    bins = np.arange(0.0, top + interval, interval)
    counts, _ = np.histogram(log.arrival, bins=bins)
    mean = counts / max(n_days, 1)
    open_ = np.nonzero(mean >= OPEN_SHARE * mean.max())[0]
    return Grid(float(bins[open_[0]]), float(bins[open_[-1] + 1]), interval)


@dataclass
class Observed:
    """What the log shows per interval (arrays of length ``grid.n``) and for the whole day.

    Counts are means per day; rates pool the selected days (ratio of sums, not mean of ratios).
    """

    grid: Grid
    n_days: int
    threshold: float
    counts: np.ndarray  # (days, intervals): arrivals per day and interval
    offered: np.ndarray
    answered: np.ndarray
    abandoned: np.ndarray
    abandon_rate: np.ndarray
    service_level: np.ndarray
    mean_wait: np.ndarray
    busy: np.ndarray
    agents_waiting: np.ndarray
    day: dict[str, float]
    handle_mean: np.ndarray | None = None  # mean handle time of the served calls, by interval


def observe(log: CallLog, grid: Grid, threshold: float) -> Observed:
    """KPIs per interval of arrival, as cxsim defines them (docs/reference.md), and staffing.

    ``log`` holds every call of the selected days; KPIs count those that arrived within the
    horizon, staffing uses them all (a call that arrived earlier can still be in service).
    """
    days, day_index = np.unique(log.day, return_inverse=True)
    n_days = len(days)
    k = grid.index(log.arrival)
    inside = k >= 0
    n = grid.n
    counts = np.zeros((n_days, n))
    np.add.at(counts, (day_index[inside], k[inside]), 1)

    def per_interval(mask: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        use = inside & mask
        w = None if weights is None else weights[use]
        return np.bincount(k[use], weights=w, minlength=n).astype(float)

    answered_mask = ~log.abandoned
    offered = per_interval(np.ones(len(log), dtype=bool))
    answered = per_interval(answered_mask)
    abandoned = per_interval(log.abandoned)
    within = per_interval(answered_mask & (log.wait <= threshold))
    waits = per_interval(np.ones(len(log), dtype=bool), log.wait)
    timed = answered_mask & np.isfinite(log.handle) & (log.handle > 0)
    handled = per_interval(timed, np.where(timed, log.handle, 0.0))
    with np.errstate(invalid="ignore", divide="ignore"):
        abandon_rate = abandoned / offered
        service_level = within / offered
        mean_wait = waits / offered
        handle_mean = handled / per_interval(timed)
    total = offered.sum()
    day = {
        "offered": total / n_days,
        "abandon_rate": abandoned.sum() / total if total else math.nan,
        "service_level": within.sum() / total if total else math.nan,
        "mean_wait": waits.sum() / total if total else math.nan,
    }
    busy, agents_waiting = staffing(log, grid, day_index, n_days)
    day["busy"] = float(np.sum(busy * grid.lengths) / np.sum(grid.lengths))
    return Observed(
        grid=grid,
        n_days=n_days,
        threshold=threshold,
        counts=counts,
        offered=offered / n_days,
        answered=answered / n_days,
        abandoned=abandoned / n_days,
        abandon_rate=abandon_rate,
        service_level=service_level,
        mean_wait=mean_wait,
        busy=busy,
        agents_waiting=agents_waiting,
        day=day,
        handle_mean=handle_mean,
    )


def staffing(
    log: CallLog, grid: Grid, day_index: np.ndarray, n_days: int
) -> tuple[np.ndarray, np.ndarray]:
    """Busy agents and agents-while-calls-waited per interval (see the module docstring).

    One sweep over every change of the queue and of the calls in service, all days at once:
    day ``d`` is shifted by ``2 d`` days so that nights crossing midnight never overlap.
    """
    n = grid.n
    shift = day_index * 2 * DAY_S
    served = ~log.abandoned & np.isfinite(log.handle) & (log.handle > 0)
    begin = log.arrival + log.wait
    queued = log.wait > 0
    edges = (np.arange(n_days)[:, None] * 2 * DAY_S + grid.edges[None, :]).ravel()
    times = np.concatenate(
        [
            (log.arrival + shift)[queued],
            (begin + shift)[queued],
            (begin + shift)[served],
            (begin + log.handle + shift)[served],
            edges,
        ]
    )
    dq = np.concatenate(
        [np.ones(queued.sum()), -np.ones(queued.sum()), np.zeros(2 * served.sum() + len(edges))]
    )
    ds = np.concatenate(
        [
            np.zeros(2 * queued.sum()),
            np.ones(served.sum()),
            -np.ones(served.sum()),
            np.zeros(len(edges)),
        ]
    )
    order = np.argsort(times, kind="stable")
    times, queue, service = times[order], np.cumsum(dq[order]), np.cumsum(ds[order])
    duration = np.diff(times)
    middle = times[:-1] + duration / 2
    day = np.floor(middle / (2 * DAY_S)).astype(int)
    k = grid.index(middle - day * 2 * DAY_S)
    use = (k >= 0) & (duration > 0)
    day, k, duration = day[use], k[use], duration[use]
    queue, service = queue[:-1][use], service[:-1][use]
    busy_time = np.zeros((n_days, n))
    np.add.at(busy_time, (day, k), service * duration)
    waiting = queue > 0
    queue_time = np.zeros((n_days, n))
    np.add.at(queue_time, (day[waiting], k[waiting]), duration[waiting])
    served_while_queue = np.zeros((n_days, n))
    np.add.at(served_while_queue, (day[waiting], k[waiting]), (service * duration)[waiting])
    peak = np.zeros((n_days, n))
    np.maximum.at(peak, (day, k), service)
    busy = busy_time.sum(axis=0) / (grid.lengths * n_days)
    with np.errstate(invalid="ignore", divide="ignore"):
        while_queue = served_while_queue / queue_time
    per_day = np.where(queue_time >= MIN_QUEUE_S, while_queue, peak)
    return busy, per_day.mean(axis=0)


def agents_schedule(
    observed: Observed,
    method: str,
    handle_mean: float = math.nan,
    patience_mean: float = math.inf,
) -> np.ndarray:
    """Heads per interval for the scenario, by ``method`` (:data:`STAFFING`).

    ``waiting`` rounds the agents while calls waited (half up) and ``busy`` rounds busy agents
    up: whole heads, never below busy agents rounded up. ``workload``, ``fit-sl`` and
    ``fit-abandonment`` are fractional and need the scenario's mean handle time (and the
    fitted patience for the fits). Always at least one agent where calls arrive, else every
    caller would abandon.
    """
    busy_up = np.ceil(np.round(observed.busy, 6))
    heads: np.ndarray
    if method == "busy":
        heads = busy_up
    elif method == "waiting":
        heads = np.maximum(np.floor(observed.agents_waiting + 0.5), busy_up)
    elif method == "workload":
        heads = workload_heads(observed, handle_mean)
    elif method in FITTED_KPI:
        heads = fitted_heads(observed, FITTED_KPI[method], handle_mean, patience_mean)
    else:
        raise ValueError(f"unknown staffing method {method!r}")
    heads = np.where(observed.offered > 0, np.maximum(heads, 1.0), heads)
    if method in ("busy", "waiting"):
        return heads.astype(int)
    return np.round(heads, 2)


def workload_heads(observed: Observed, handle_mean: float) -> np.ndarray:
    """Agents while calls waited x scenario mean handle / the interval's observed mean.

    The scenario draws every call's handle time from the whole day's mix; where the calls of
    an interval were shorter (or longer) than that, the log's agents carried less (more) work
    than the scenario's would. Scaling keeps the load per agent of the log. Intervals without
    a served call keep the unscaled figure.
    """
    ratio = np.ones(observed.grid.n)
    if observed.handle_mean is not None and math.isfinite(handle_mean):
        with np.errstate(invalid="ignore", divide="ignore"):
            scaled = handle_mean / observed.handle_mean
        ratio = np.where(np.isfinite(scaled) & (scaled > 0), scaled, 1.0)
    return np.maximum(observed.agents_waiting, observed.busy) * ratio


def fitted_heads(
    observed: Observed, kpi: str, handle_mean: float, patience_mean: float
) -> np.ndarray:
    """Per interval, the fractional agents for which Erlang A reproduces the observed ``kpi``.

    Erlang A (M/M/c+M, :func:`simulator.analytic.erlang_a`) with the interval's arrival rate,
    the scenario's mean handle time and the fitted patience, evaluated at whole ``c`` and
    interpolated linearly between the two that bracket the observed value. Where the KPI
    cannot identify staffing (nobody waited: any number of agents above some level gives
    it), and where the model cannot reach it, the interval keeps the ``workload`` estimate
    from the log. Never below the busy agents (a lower bound whatever the model).
    """
    if kpi == "abandon_rate" and not math.isfinite(patience_mean):
        raise CalibrationError(
            "--staffing fit-abandonment needs abandonments: with --patience none nobody "
            "abandons; use --staffing fit-sl or workload"
        )
    theta = 1.0 / patience_mean if math.isfinite(patience_mean) else 0.0
    mu = 1.0 / handle_mean
    target = observed.service_level if kpi == "service_level" else observed.abandon_rate
    fallback = workload_heads(observed, handle_mean)
    heads = fallback.copy()
    for i, (offered, goal) in enumerate(zip(observed.offered, target, strict=True)):
        lam = offered / observed.grid.lengths[i]
        if lam <= 0 or not math.isfinite(goal):
            continue

        def gap(c: int, lam: float = lam, goal: float = goal) -> float:
            """Positive while c agents do worse than observed."""
            model = erlang_a(lam, mu, theta, c)
            if kpi == "service_level":
                return goal - model.service_level(observed.threshold)
            return model.p_abandon - goal

        top = math.ceil(2 * lam / mu + 10 + 2 * fallback[i])
        c, before = 1, gap(1)
        if before <= 0:
            heads[i] = 1.0
            continue
        while c < top:
            after = gap(c + 1)
            if after <= 0:
                if before - after > 1e-9:
                    heads[i] = c + before / (before - after)
                break
            c, before = c + 1, after
    return np.maximum(heads, observed.busy)
