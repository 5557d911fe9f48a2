"""A JSON Schema (draft 2020-12) of the scenario language, for editor completion and checks.

Point an editor at it, e.g. with the YAML language server::

    # yaml-language-server: $schema=./cxsim-scenario.schema.json

The schema describes shapes, units, defaults and unknown keys; cross-references (a route to a
skill that exists, shares summing to 1, list lengths matching the horizon) are checked by the
loader, which also gives the file:line:col of each problem.
"""

from __future__ import annotations

import copy
from typing import Any

from simulator.scenario.load import (
    DEFAULT_ASYNC_RESPONSE_S,
    DEFAULT_CONCURRENCY,
    DEFAULT_EMPATHY,
    DEFAULT_INTENT,
    DEFAULT_PRIORITY,
    DEFAULT_SEED,
    DEFAULT_SEGMENT,
    DEFAULT_SHRINKAGE,
    DEFAULT_SYNC_RESPONSE_S,
)
from simulator.scenario.schema import ASYNC_BY_NAME, DEFAULT_SL_THRESHOLD_S
from simulator.units import format_duration

SCHEMA_ID = "https://cxsim.invalid/schemas/scenario-v1.json"


def _ci(word: str) -> str:
    """A case-insensitive regex for ``word`` (ECMA-262 patterns have no inline flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" for c in word)


_UNITS = "|".join(_ci(u) for u in ("ms", "sec", "s", "min", "m", "hr", "h", "d"))
_NUMBER = r"\d+(\.\d+)?"
DURATION_PATTERN = rf"^\s*(({_NUMBER}\s*({_UNITS})\s*)+|[-+]?{_NUMBER}([eE][-+]?\d+)?)\s*$"
RATE_PATTERN = rf"^\s*{_NUMBER}\s*(/\s*({_UNITS})\s*)?$"
CLOCK_PATTERN = r"^\s*\d{1,2}:\d{2}(:\d{2})?\s*$"
# Schedule keys: clock times (clock horizons), durations (duration horizons), or the digits a
# YAML 1.1 parser makes of an unquoted 14:00 (the sexagesimal integer 840) once JSON-encoded.
SCHEDULE_KEY_PATTERN = rf"({CLOCK_PATTERN})|({DURATION_PATTERN})"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _described(schema: dict[str, Any], description: str, default: Any = None) -> dict[str, Any]:
    out = {"description": description, **schema}
    if default is not None:
        out["default"] = default
    return out


def _obj(
    properties: dict[str, Any], required: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    out.update(extra)
    return out


def _dist_kind(kind: str, body: dict[str, Any], description: str) -> dict[str, Any]:
    return _obj({kind: body}, [kind], description=description)


_NAME = {"type": "string", "minLength": 1}
_NAMES = {"anyOf": [_NAME, {"type": "array", "items": _NAME, "minItems": 1}]}

_DEFS: dict[str, Any] = {
    "duration": {
        "description": "A duration: 45s, 4m, 1h30m, 2.5h, 250ms, 1d, or a number of seconds.",
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": DURATION_PATTERN},
        ],
    },
    "rate": {
        "description": "A rate: 600/h, 10/min, 2/s, 5000/d, or a number (per hour).",
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": RATE_PATTERN},
        ],
    },
    "clock": {
        "description": "A clock time such as '08:00' or '17:30:15' (up to 48:00). Quote it: YAML "
        "1.1 reads an unquoted 14:00 as the number 840 (the loader still understands it).",
        "anyOf": [{"type": "string", "pattern": CLOCK_PATTERN}, {"type": "integer", "minimum": 0}],
    },
    "share": {"type": "number", "minimum": 0, "maximum": 1},
    "distribution": {
        "description": "A probability distribution of a duration: a bare duration (a constant), "
        "or one of exponential, lognormal, gamma, uniform, constant, empirical.",
        "anyOf": [
            _ref("duration"),
            _dist_kind(
                "exponential",
                _obj({"mean": _ref("duration")}, ["mean"]),
                "Exponential with the given mean (> 0), e.g. {exponential: {mean: 6m}}.",
            ),
            _dist_kind(
                "lognormal",
                _obj({"mean": _ref("duration"), "sd": _ref("duration")}, ["mean", "sd"]),
                "Lognormal by its own mean (> 0) and standard deviation, e.g. "
                "{lognormal: {mean: 4m, sd: 3m}}.",
            ),
            _dist_kind(
                "gamma",
                {
                    "anyOf": [
                        _obj({"mean": _ref("duration"), "sd": _ref("duration")}, ["mean", "sd"]),
                        _obj(
                            {
                                "shape": {"type": "number", "exclusiveMinimum": 0},
                                "scale": _ref("duration"),
                            },
                            ["shape", "scale"],
                        ),
                    ]
                },
                "Gamma by mean and sd (both > 0), or by shape and scale.",
            ),
            _dist_kind(
                "uniform",
                _obj({"low": _ref("duration"), "high": _ref("duration")}, ["low", "high"]),
                "Uniform between low and high (low <= high).",
            ),
            _dist_kind("constant", _ref("duration"), "Always the same duration."),
            _dist_kind(
                "empirical",
                {"type": "array", "items": _ref("duration"), "minItems": 1},
                "Resamples the listed durations with equal weight.",
            ),
        ],
    },
}

_HORIZON = _described(
    {
        "type": "object",
        "properties": {
            "start": _described(_ref("clock"), "Clock time the horizon starts (clock form)."),
            "end": _described(
                _ref("clock"),
                "Clock time the horizon ends, after start; past midnight write e.g. 30:00.",
            ),
            "duration": _described(
                _ref("duration"), "Length of the horizon (duration form, starting at 0)."
            ),
            "interval": _described(
                _ref("duration"),
                "Length of a planning interval (rates, reports). Default 30m for the clock form, "
                "the whole duration for the duration form.",
            ),
            "warmup": _described(
                _ref("duration"),
                "Statistics ignore customers arriving in the "
                "first warmup; must be shorter than the horizon.",
                "0s",
            ),
            "drain": _described(
                _ref("duration"),
                "After the end, time to finish the work in hand.",
                format_duration(4 * 3600),
            ),
            "date": _described({"type": "string", "format": "date"}, "ISO date, e.g. 2026-11-23."),
        },
        "additionalProperties": False,
        "oneOf": [
            {"required": ["start", "end"], "not": {"required": ["duration"]}},
            {
                "required": ["duration"],
                "not": {"anyOf": [{"required": ["start"]}, {"required": ["end"]}]},
            },
        ],
    },
    "Simulated time: start + end (clock times) or duration.",
)

_SEGMENT = _obj(
    {
        "share": _described(_ref("share"), "Fraction of customers (shares sum to 1)."),
        "patience_scale": _described(
            {"type": "number", "exclusiveMinimum": 0}, "Multiplies channel patience.", 1
        ),
        "reach": _described(
            {"type": "number", "minimum": 0}, "People who hear about a bad experience.", 0
        ),
    }
)

_CUSTOMERS = _described(
    _obj(
        {
            "segments": _described(
                {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {"anyOf": [_ref("share"), _SEGMENT]},
                },
                "Customer segments: name -> share, or {share, patience_scale, reach}.",
                {DEFAULT_SEGMENT: {"share": 1}},
            ),
            "intents": _described(
                {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {
                        "anyOf": [_ref("share"), _obj({"share": _ref("share")})]
                    },
                },
                "Contact reasons: name -> share (or {share}).",
                {DEFAULT_INTENT: {"share": 1}},
            ),
        }
    ),
    "Who the customers are and why they get in touch.",
)

_PER_INTERVAL = {"type": "array", "items": {"type": "number", "minimum": 0}, "minItems": 1}

_ARRIVALS = _described(
    {
        "type": "object",
        "properties": {
            "rate": _described(
                {"anyOf": [_ref("rate"), {"type": "array", "items": _ref("rate"), "minItems": 1}]},
                "Poisson arrival rate, constant or one per interval.",
            ),
            "per_interval": _described(
                _PER_INTERVAL, "Expected arrivals in each horizon interval."
            ),
            "daily_total": _described(
                {"type": "number", "minimum": 0}, "Expected arrivals over the whole horizon."
            ),
            "profile": _described(
                _PER_INTERVAL, "Weights spreading daily_total over the intervals (normalised)."
            ),
            "first_channel": _described(
                {"type": "object", "additionalProperties": _ref("share")},
                "Channel customers try first: name -> share. Optional with a single channel.",
            ),
        },
        "additionalProperties": False,
        "oneOf": [
            {"required": ["rate"]},
            {"required": ["per_interval"]},
            {"required": ["daily_total"]},
        ],
        "dependentRequired": {"profile": ["daily_total"]},
    },
    "How many customers arrive: exactly one of rate, per_interval, daily_total (+ profile).",
)

_CHANNEL = {
    "type": ["object", "null"],
    "properties": {
        "kind": _described(
            {"enum": ["synchronous", "asynchronous"]},
            "synchronous (voice, chat: customers wait and may abandon) or asynchronous (worked "
            f"from a backlog). Default asynchronous for {', '.join(sorted(ASYNC_BY_NAME))}, else "
            "synchronous.",
        ),
        "expected_response": _described(
            _ref("duration"),
            f"Response time customers expect. Default {format_duration(DEFAULT_SYNC_RESPONSE_S)} "
            f"synchronous, {format_duration(DEFAULT_ASYNC_RESPONSE_S)} asynchronous.",
        ),
        "patience": _described(
            {"anyOf": [_ref("distribution"), {"const": "none"}, {"type": "null"}]},
            "How long customers wait before abandoning (synchronous only); none = never.",
            "none",
        ),
        "lines": _described(
            {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]},
            "Trunk capacity: contacts waiting + in service (synchronous only).",
        ),
        "service_level": _described(
            _ref("duration"),
            f"Service-level threshold. Default {format_duration(DEFAULT_SL_THRESHOLD_S)} "
            "synchronous, expected_response asynchronous.",
        ),
    },
    "additionalProperties": False,
    "if": {
        "type": "object",
        "properties": {"kind": {"const": "asynchronous"}},
        "required": ["kind"],
    },
    "then": {
        "properties": {
            "patience": {"anyOf": [{"const": "none"}, {"type": "null"}]},
            "lines": {"type": "null"},
        }
    },
}

_SCHEDULE = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": {"pattern": SCHEDULE_KEY_PATTERN},
    "additionalProperties": {"type": "integer", "minimum": 0},
    "description": "Heads by time: {'08:00': 12, '14:00': 9} for clock horizons, {0h: 12, 6h: 9} "
    "for duration horizons; times inside the horizon.",
}

_AGENT_GROUP = _obj(
    {
        "skills": _described(_NAMES, "Skill queues the group serves. Default: the group name."),
        "count": _described(
            {"anyOf": [{"type": "integer", "minimum": 0}, _SCHEDULE]},
            "Scheduled heads, or a schedule of heads by time.",
        ),
        "concurrency": _described(
            {"type": "integer", "minimum": 1},
            "Contacts an agent works at once.",
            DEFAULT_CONCURRENCY,
        ),
        "shrinkage": _described(
            {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
            "Share of scheduled heads away from the phones (breaks, training, absence).",
            DEFAULT_SHRINKAGE,
        ),
        "wrap_up": _described(_ref("distribution"), "After-contact work.", "0s"),
        "empathy": _described(
            {"type": "number", "minimum": 0, "maximum": 1}, "Soft-skill level.", DEFAULT_EMPATHY
        ),
    },
    ["count"],
)

_HANDLE_TIME = _described(
    {
        "type": "object",
        "properties": {
            "default": _described(
                _ref("distribution"),
                "Used when nothing more specific is given (required unless every intent has its "
                "own).",
            ),
            "by_channel": _described(
                {"type": "object", "additionalProperties": _ref("distribution")},
                "Channel-level defaults: channel -> distribution.",
            ),
        },
        "additionalProperties": {
            "description": "Per intent: a distribution, or {default: D, <channel>: D}.",
            "anyOf": [
                _ref("distribution"),
                {"type": "object", "additionalProperties": _ref("distribution")},
            ],
        },
    },
    "Handle time by intent and channel; the most specific entry wins.",
)

_RULE = _obj(
    {
        "when": _described(
            _obj({"channel": _NAMES, "intent": _NAMES, "segment": _NAMES}),
            "Conditions, each a name or a list of names; all must hold. Absent: matches all.",
        ),
        "to": _described(_NAME, "The skill queue (a skill some agent group has)."),
        "priority": _described({"type": "integer"}, "Higher is served first.", DEFAULT_PRIORITY),
    },
    ["to"],
)

_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "cxsim scenario",
    "description": "A contact-center scenario for the cxsim simulator (language v1).",
    "type": "object",
    "properties": {
        "scenario": _described(_NAME, "The scenario's name."),
        "description": _described({"type": ["string", "null"]}, "Free text.", ""),
        "seed": _described({"type": "integer", "minimum": 0}, "Random seed.", DEFAULT_SEED),
        "horizon": _HORIZON,
        "customers": _CUSTOMERS,
        "arrivals": _ARRIVALS,
        "channels": _described(
            {"type": "object", "minProperties": 1, "additionalProperties": _CHANNEL},
            "Contact channels by name.",
        ),
        "agents": _described(
            {"type": ["object", "null"], "additionalProperties": _AGENT_GROUP},
            "Agent groups by name (may be empty).",
        ),
        "handle_time": _HANDLE_TIME,
        "routing": _described(
            {"type": ["array", "null"], "items": _RULE},
            "Rules tried in order; the first match sends the contact to its skill queue. Default: "
            "each channel to the skill of the same name.",
        ),
    },
    "required": ["scenario", "horizon", "arrivals", "channels", "agents", "handle_time"],
    "additionalProperties": False,
    "$defs": _DEFS,
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario language (a fresh copy; safe to modify)."""
    return copy.deepcopy(_SCHEMA)
