"""A synthetic call log with known parameters, for the calibration tests to recover.

The log is an M/G/c+M queue served first come, first served, simulated exactly in a few lines
(an arrival is served by the earliest free agent if its patience outlasts the wait): Poisson
arrivals with a known per-interval profile, lognormal handle times by call type, exponential
patience censored by the queue's own waits, a known constant staff. Tolerances are a few
standard errors of each estimator at the sample sizes drawn, stated where used.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from pathlib import Path

import numpy as np

START_H, INTERVAL_S = 8, 1800
PROFILE = [20, 40, 60, 60, 50, 40, 30, 20]  # expected calls per 30 min, 08:00-12:00
AGENTS = 6
PATIENCE_S = 300.0
TYPES = {"A": (0.7, 200.0, 150.0), "B": (0.3, 100.0, 60.0)}  # share, lognormal mean, sd
DAYS = 20  # weekdays: Mon 2024-01-01 onwards, weekends empty


def lognormal_params(mean: float, sd: float) -> tuple[float, float]:
    sigma = math.sqrt(math.log1p((sd / mean) ** 2))
    return math.log(mean) - sigma**2 / 2, sigma


def simulate_day(rng: np.random.Generator) -> list[tuple[float, float, bool, float, str]]:
    """One day of an FCFS M/G/c+M queue: (arrival s, wait, abandoned, handle, type) per call.

    FCFS makes the sequential rule exact: earlier callers are placed first, an abandoning
    caller never holds an agent, so each caller's wait is the earliest agent-free time after
    their arrival, unless their patience runs out first.
    """
    free = [0.0] * AGENTS
    calls = []
    for k, mean_count in enumerate(PROFILE):
        start = START_H * 3600 + k * INTERVAL_S
        times = np.sort(rng.uniform(start, start + INTERVAL_S, rng.poisson(mean_count)))
        for t in times:
            kind = "A" if rng.random() < TYPES["A"][0] else "B"
            mu, sigma = lognormal_params(*TYPES[kind][1:])
            handle = float(rng.lognormal(mu, sigma))
            patience = float(rng.exponential(PATIENCE_S))
            begin = max(free[0], t)
            if begin - t > patience:
                calls.append((t, patience, True, math.nan, kind))
                continue
            heapq.heapreplace(free, begin + handle)
            calls.append((t, begin - t, False, handle, kind))
    return calls


def write_log(path: Path, seed: int = 7, days: int = DAYS) -> Path:
    """A log with our default column names (arrival with its date, durations in seconds)."""
    rng = np.random.default_rng(seed)
    lines = ["arrival,wait,abandoned,handle,type"]
    day, written = dt.date(2024, 1, 1), 0
    while written < days:
        if day.weekday() < 5:
            for t, wait, gave_up, handle, kind in simulate_day(rng):
                stamp = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=t)
                handle_text = "" if math.isnan(handle) else f"{handle:.1f}"
                lines.append(
                    f"{stamp:%Y-%m-%d %H:%M:%S},{wait:.1f},{int(gave_up)},{handle_text},{kind}"
                )
            written += 1
        day += dt.timedelta(days=1)
    path.write_text("\n".join(lines) + "\n")
    return path
