"""A JSON Schema (draft 2020-12) of the scenario language, for editor completion and checks.

Point an editor at it, e.g. with the YAML language server::

    # yaml-language-server: $schema=./cxsim-scenario.schema.json

The schema describes shapes, units, defaults and unknown keys; cross-references (a route to a
skill that exists, shares summing to 1, list lengths matching the horizon) are checked by the
loader, which also gives the file:line:col of each problem.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from simulator.scenario.effective import distribution as _dist_yaml
from simulator.scenario.frustration import FrustrationParams
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
    default_of,
)
from simulator.scenario.schema import (
    ASYNC_BY_NAME,
    DEFAULT_SL_THRESHOLD_S,
    AgentGroup,
    Bot,
    Callback,
    Context,
    Costs,
    Redirect,
    Retrial,
    Segment,
)
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
    "probability": {"type": "number", "minimum": 0, "maximum": 1},
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
        "sensitivity": _described(
            {"type": "number", "exclusiveMinimum": 0},
            "Multiplies every frustration increase (1 = average customer).",
            default_of(Segment, "sensitivity"),
        ),
        "churn_base": _described(
            _ref("probability"),
            "Churn probability of a customer who ends calm (frustration 0); <= churn_max.",
            default_of(Segment, "churn_base"),
        ),
        "churn_max": _described(
            _ref("probability"),
            "Churn probability of a customer who ends furious (frustration 100).",
            default_of(Segment, "churn_max"),
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
                "Customer segments: name -> share, or {share, patience_scale, reach, sensitivity, "
                "churn_base, churn_max}.",
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

_RESOLVES = {
    "type": "object",
    "properties": {"default": _described(_ref("probability"), "For intents not listed.")},
    "additionalProperties": _ref("probability"),
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
        "resolves": _described(
            _RESOLVES,
            "Probability that a contact served here is resolved: intent -> probability, "
            "default for the other intents.",
            {"default": default_of(AgentGroup, "resolves_default")},
        ),
        "transfers": _described(
            {
                "type": "object",
                "additionalProperties": _obj(
                    {
                        "to": _described(_NAME, "The skill queue (a skill some group has)."),
                        "probability": _described(_ref("probability"), "Chance of a transfer."),
                    },
                    ["to", "probability"],
                ),
            },
            "After service, intent (or default) -> {to: skill, probability}.",
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
        "to": _described(
            _NAME,
            "The skill queue (a skill some agent group has) or a bot. Exclusive with redirect.",
        ),
        "redirect": _described(
            {
                "anyOf": [
                    _NAME,
                    _obj(
                        {
                            "to": _described(_NAME, "The channel customers are asked to use."),
                            "follow": _described(
                                _ref("probability"),
                                "Share who do switch at once; the others may retry later.",
                                default_of(Redirect, "follow"),
                            ),
                        },
                        ["to"],
                    ),
                ]
            },
            "Ask the customer to use another channel: a channel name (everyone follows) or "
            "{to, follow}. Exclusive with to.",
        ),
        "priority": _described({"type": "integer"}, "Higher is served first.", DEFAULT_PRIORITY),
        "overflow": _described(
            _obj(
                {
                    "after": _described(_ref("duration"), "Wait after which the overflow opens."),
                    "to": _described(_NAME, "Another skill whose agents may then serve it."),
                },
                ["after", "to"],
            ),
            "After a wait, agents of another skill may serve the contact too (skill rules only).",
        ),
        "callback": _described(
            _obj(
                {
                    "threshold": _described(
                        _ref("duration"), "Expected wait above which a callback is offered."
                    ),
                    "accept": _described(
                        _ref("probability"),
                        "Share who accept the callback.",
                        default_of(Callback, "accept"),
                    ),
                },
                ["threshold"],
            ),
            "Virtual hold: keep the place in the queue without holding the line (skill rules on "
            "synchronous channels only).",
        ),
    },
    oneOf=[{"required": ["to"]}, {"required": ["redirect"]}],
    dependentSchemas={
        "redirect": {"not": {"anyOf": [{"required": ["overflow"]}, {"required": ["callback"]}]}}
    },
)

_BOT = _obj(
    {
        "channel": _described(_NAME, "The channel the bot works on (a declared channel)."),
        "duration": _described(_ref("distribution"), "Time one turn takes."),
        "resolves": _described(
            _RESOLVES,
            "Probability that one turn resolves the intent (containment): intent -> probability, "
            "default for the other intents.",
            {"default": default_of(Bot, "resolves_default")},
        ),
        "max_turns": _described(
            {"type": "integer", "minimum": 1},
            "Turns before the bot escalates; each failed turn after the first is a loop.",
            default_of(Bot, "max_turns"),
        ),
        "on_failure": _described(
            _obj(
                {
                    "to": _described(_NAME, "A skill queue (a skill some agent group has)."),
                    "redirect": _described(_NAME, "A channel the customer is asked to use."),
                    "passes_context": _described(
                        {"type": ["boolean", "null"]},
                        "Whether the transcript goes along. Absent: as the context block says.",
                    ),
                },
                oneOf=[{"required": ["to"]}, {"required": ["redirect"]}],
            ),
            "Where the customers the bot cannot help go: exactly one of to or redirect.",
        ),
    },
    ["duration", "on_failure"],
)

_CONTEXT_DEFAULT = Context()
_CONTEXT = _described(
    {
        **_obj(
            {
                "shared_record": _described(
                    {"type": "boolean"},
                    "One customer record for every channel and agent: context is never lost.",
                    _CONTEXT_DEFAULT.shared_record,
                ),
                "bot_to_agent": _described(
                    {"type": ["boolean", "null"]},
                    "Bot transcripts reach the agent. Absent: as shared_record.",
                ),
                "transfer": _described(
                    {"type": ["boolean", "null"]},
                    "Warm transfers keep context. Absent: as shared_record.",
                ),
                "channel_switch": _described(
                    {"type": ["boolean", "null"]},
                    "Context follows the customer to another channel. Absent: as shared_record.",
                ),
                "carried_switches": _described(
                    {
                        "type": ["array", "null"],
                        "items": {
                            "type": "array",
                            "items": _NAME,
                            "minItems": 2,
                            "maxItems": 2,
                        },
                    },
                    "Channel switches that keep context anyway: [[from, to], ...].",
                    [],
                ),
                "re_explain": _described(
                    _ref("distribution"),
                    "Extra handle time when a hand-off lost the context.",
                    _dist_yaml(_CONTEXT_DEFAULT.re_explain),
                ),
            }
        ),
        "type": ["object", "null"],
    },
    "What the company knows about a customer at each hand-off (transfer, bot escalation, "
    "channel switch); a hand-off without context costs re-explaining time and frustration.",
)

_RETRIAL_DEFAULT = Retrial()
_SWITCH_ROW = {"type": "object", "minProperties": 1, "additionalProperties": _ref("share")}
_RETRIAL = _described(
    {
        **_obj(
            {
                "enabled": _described(
                    {"type": "boolean"},
                    "Whether customers try again (true when the block is given).",
                    True,
                ),
                "max_contacts": _described(
                    {"type": "integer", "minimum": 1},
                    "Contacts after which every journey ends.",
                    _RETRIAL_DEFAULT.max_contacts,
                ),
                "probability": _described(
                    _ref("probability"),
                    "Probability of trying again after the first failed contact (falls with "
                    "frustration).",
                    _RETRIAL_DEFAULT.probability,
                ),
                "contact_decay": _described(
                    {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    "Multiplies the retry probability for every contact already made.",
                    _RETRIAL_DEFAULT.contact_decay,
                ),
                "delay": _described(
                    _ref("distribution"),
                    "Time before trying again.",
                    _dist_yaml(_RETRIAL_DEFAULT.delay),
                ),
                "switch": _described(
                    {
                        "type": ["object", "null"],
                        "additionalProperties": {
                            "type": "object",
                            "additionalProperties": _SWITCH_ROW,
                        },
                    },
                    "Channel of the next try: segment (or default) -> failed channel -> "
                    "{channel: weight}, weights summing to 1. No row: the same channel.",
                ),
            }
        ),
        "type": ["object", "null"],
    },
    "What customers do after abandoning, being blocked, redirected or left unresolved. Without "
    "the block nobody tries again.",
)

_COSTS_DEFAULT = Costs()
_MONEY = {"type": "number", "minimum": 0}
_COSTS = _described(
    {
        **_obj(
            {
                "agent_hour": _described(
                    _MONEY,
                    "Cost of one scheduled agent hour (breaks included), for every group "
                    "without its own rate.",
                    _COSTS_DEFAULT.agent_hour,
                ),
                "agent_hour_by_group": _described(
                    {"type": ["object", "null"], "additionalProperties": _MONEY},
                    "Hourly rate by agent group name, overriding agent_hour.",
                    {},
                ),
                "bot_session": _described(
                    _MONEY, "Cost of one bot session.", _COSTS_DEFAULT.bot_session
                ),
                "platform_per_day": _described(
                    _MONEY,
                    "Platform cost per run of the horizon.",
                    _COSTS_DEFAULT.platform_per_day,
                ),
                "lifetime_value": _described(
                    _MONEY,
                    "Value of a customer lost to churn.",
                    _COSTS_DEFAULT.lifetime_value,
                ),
                "word_of_mouth_value": _described(
                    _MONEY,
                    "Revenue at risk per person told about a bad experience.",
                    _COSTS_DEFAULT.word_of_mouth_value,
                ),
            }
        ),
        "type": ["object", "null"],
    },
    "Money per run of the horizon, in the scenario's currency (all amounts >= 0, default 0).",
)


def _frustration_schema() -> dict[str, Any]:
    """One property per field of FrustrationParams, generated (the model owns the list)."""
    defaults = FrustrationParams()
    properties = {}
    for f in dataclasses.fields(FrustrationParams):
        value = getattr(defaults, f.name)
        kind = {"type": "boolean"} if isinstance(value, bool) else {"type": "number", "minimum": 0}
        meta: Mapping[Any, Any] = f.metadata or {}
        text = meta.get("description") or meta.get("doc") or meta.get("help") or f.name
        properties[f.name] = _described(kind, str(text), value)
    return _described(
        {**_obj(properties), "type": ["object", "null"]},
        "Frustration-model coefficients (simulator/scenario/frustration.py); give only those to "
        "override.",
    )


_FRUSTRATION = _frustration_schema()

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
            "Rules tried in order; the first match sends the contact to its skill queue or bot, "
            "or redirects it. Default: each channel to the skill of the same name.",
        ),
        "bots": _described(
            {"type": ["object", "null"], "additionalProperties": _BOT},
            "Chat bots, voice bots and IVR menus by name (a rule's to may name one).",
        ),
        "context": _CONTEXT,
        "retrial": _RETRIAL,
        "frustration": _FRUSTRATION,
        "costs": _COSTS,
        "variants": _described(
            {
                "type": ["object", "null"],
                "additionalProperties": {
                    "type": ["object", "null"],
                    "propertyNames": {"type": "string", "minLength": 1},
                },
            },
            "Named what-if overlays: each maps dotted key paths (e.g. agents.voice.count) to the "
            "value that replaces what is there in the base scenario.",
        ),
    },
    "required": ["scenario", "horizon", "arrivals", "channels", "agents", "handle_time"],
    "additionalProperties": False,
    "$defs": _DEFS,
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario language (a fresh copy; safe to modify)."""
    return copy.deepcopy(_SCHEMA)
