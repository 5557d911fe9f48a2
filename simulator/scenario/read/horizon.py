"""The ``horizon`` block: simulated time, as a clock day (start + end) or a plain duration.

Its intervals are the planning grid of the rest of the file: per-interval arrival lists and
staffing schedules are checked against them (:func:`interval_lengths`, :func:`horizon_text`).
"""

from __future__ import annotations

from typing import Any

from simulator.scenario.read.block import Block
from simulator.scenario.read.context import ReadContext, read_fields
from simulator.scenario.read.jsonparts import closed_object, described, ref
from simulator.scenario.read.values import read_clock, read_date, read_duration
from simulator.scenario.schema import Horizon
from simulator.scenario.yamlsrc import Located
from simulator.units import format_clock, format_duration

DEFAULT_CLOCK_INTERVAL_S = 30 * 60.0
DEFAULT_DRAIN_S = 4 * 3600.0

HORIZON_KEYS = ("start", "end", "interval", "duration", "warmup", "drain", "date")


def read_horizon(reading: ReadContext, node: Located, path: str) -> Horizon:
    """``start`` + ``end`` (clock times) or ``duration``, with the optional interval, warmup,
    drain and date."""
    given = read_fields(reading, node, path, HORIZON_KEYS)
    example = "give start and end (clock times, e.g. start: '08:00', end: '20:00') or duration: 8h"
    if "duration" in given and ("start" in given or "end" in given):
        message = "give either start + end (a clock horizon) or duration, not both"
        reading.fail(given["duration"], given.path("duration"), message, example)
    if "duration" in given:
        duration = given.read("duration", read_duration, positive=True)
        start, clock, interval = 0.0, False, duration
    elif "start" in given or "end" in given:
        for k in ("start", "end"):
            if k not in given:
                hint = "a clock horizon needs start and end, e.g. start: '08:00', end: '20:00'"
                reading.fail(node, given.path(k), f"missing required key '{k}'", hint)
        start, end = given.read("start", read_clock), given.read("end", read_clock)
        if end <= start:
            message = f"end {format_clock(end)} must be after start {format_clock(start)}"
            hint = "for a horizon past midnight write the end as e.g. 30:00 (06:00 next day)"
            reading.fail(given["end"], given.path("end"), message, hint)
        duration, clock, interval = end - start, True, DEFAULT_CLOCK_INTERVAL_S
    else:
        reading.fail(node, path, "the horizon needs start and end, or duration", example)
    interval = given.read("interval", read_duration, interval, positive=True)
    warmup = given.read("warmup", read_duration, 0.0)
    if warmup >= duration:
        message = (
            f"warmup ({format_duration(warmup)}) must be shorter than the horizon "
            f"({format_duration(duration)})"
        )
        reading.fail(given["warmup"], given.path("warmup"), message)
    return Horizon(
        duration=duration,
        interval=interval,
        start=start,
        warmup=warmup,
        drain=given.read("drain", read_duration, DEFAULT_DRAIN_S),
        clock=clock,
        date=given.read("date", read_date),
    )


def horizon_text(horizon: Horizon) -> str:
    """ "the horizon runs from 08:00 to 20:00", for hints about times and intervals."""
    if horizon.clock:
        end = horizon.start + horizon.duration
        return f"the horizon runs from {format_clock(horizon.start)} to {format_clock(end)}"
    return f"the horizon runs from 0s to {format_duration(horizon.duration)}"


def interval_lengths(horizon: Horizon) -> list[float]:
    """The length in seconds of each horizon interval (the last may be shorter)."""
    n, step, total = horizon.n_intervals, horizon.interval, horizon.duration
    return [max(min(step, total - i * step), 1e-9) for i in range(n)]


_SCHEMA: dict[str, Any] = described(
    closed_object(
        {
            "start": described(ref("clock"), "Clock time the horizon starts (clock form)."),
            "end": described(
                ref("clock"),
                "Clock time the horizon ends, after start; past midnight write e.g. 30:00.",
            ),
            "duration": described(
                ref("duration"), "Length of the horizon (duration form, starting at 0)."
            ),
            "interval": described(
                ref("duration"),
                "Length of a planning interval (rates, reports). Default 30m for the clock form, "
                "the whole duration for the duration form.",
            ),
            "warmup": described(
                ref("duration"),
                "Statistics ignore customers arriving in the "
                "first warmup; must be shorter than the horizon.",
                "0s",
            ),
            "drain": described(
                ref("duration"),
                "After the end, time to finish the work in hand.",
                format_duration(DEFAULT_DRAIN_S),
            ),
            "date": described({"type": "string", "format": "date"}, "ISO date, e.g. 2026-11-23."),
        },
        keys=HORIZON_KEYS,
        oneOf=[
            {"required": ["start", "end"], "not": {"required": ["duration"]}},
            {
                "required": ["duration"],
                "not": {"anyOf": [{"required": ["start"]}, {"required": ["end"]}]},
            },
        ],
    ),
    "Simulated time: start + end (clock times) or duration.",
)

BLOCK = Block(
    "horizon",
    read_horizon,
    _SCHEMA,
    required=True,
    example="e.g. `horizon: {start: '08:00', end: '20:00'}` or `horizon: {duration: 8h}`",
)
