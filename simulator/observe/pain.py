"""Pain points: where customers' frustration comes from, as shares that add up to 100 %.

The engine attributes every *increase* of a customer's frustration to its cause (one of
:data:`CAUSES`) and adds the points gained to a count per (cause, channel, segment, intent), for
customers counted after the warm-up, unfinished journeys included (what they felt until the
cut-off). Reliefs (an agent listening, a resolution) are not pain and are not attributed. A
wait is split where it crosses the channel's promise: the part within is ``waiting``, the rest
``waiting_beyond_promise`` (loads add up under saturation, so the two parts add up exactly to
what the whole wait adds).

:func:`pain_points` turns the counts into the results' ``journey.pain_points``: points per
customer, and for the whole run, each channel, each segment and each intent the points gained
there and each cause's points and share of them (the shares add up to 1 within each scope; NaN
where nobody felt anything)::

    {"points_per_customer": 9.1, "points": 36400.0,
     "causes": {"waiting": {"points": 5100.0, "share": 0.14}, ...},
     "by_channel": {"voice": {"points": 30100.0, "causes": {...}}, ...},
     "by_segment": {...}, "by_intent": {...}}
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

#: Causes of frustration, in the order results list them.
CAUSES: tuple[str, ...] = (
    "waiting",
    "waiting_beyond_promise",
    "repeating",
    "transfer",
    "redirect",
    "bot_failure",
    "unresolved",
    "abandoned",
    "closed_or_blocked",
)
#: What each cause is, in a planner's words (the summary and docs/reference.md use them).
CAUSE_WORDS: dict[str, str] = {
    "waiting": "waiting within the promise",
    "waiting_beyond_promise": "waiting beyond the promise",
    "repeating": "explaining everything again",
    "transfer": "being transferred",
    "redirect": "being sent to another channel",
    "bot_failure": "a bot that could not help",
    "unresolved": "contacts that did not resolve the issue",
    "abandoned": "hanging up or leaving the queue",
    "closed_or_blocked": "finding a channel closed or busy",
}
#: The frustration event of the model that each jump comes from -> its cause.
EVENT_CAUSES: dict[str, str] = {
    "repeat": "repeating",
    "transfer": "transfer",
    "redirect": "redirect",
    "bot_failure": "bot_failure",
    "bot_loop": "bot_failure",
    "abandon": "abandoned",
    "unresolved": "unresolved",
    "blocked": "closed_or_blocked",
    "closed": "closed_or_blocked",
}
#: A pain count's key: (cause, channel, segment, intent), by name.
PainKey = tuple[str, str, str, str]
#: The scopes of the results, with the position of their name in a :data:`PainKey`.
SCOPES: dict[str, int] = {"by_channel": 1, "by_segment": 2, "by_intent": 3}


def _scope(points_by_cause: Mapping[str, float]) -> dict[str, Any]:
    """Points of a scope, and each cause's points and share of them (NaN without points)."""
    total = math.fsum(points_by_cause.values())
    return {
        "points": total,
        "causes": {
            cause: {
                "points": points_by_cause.get(cause, 0.0),
                "share": points_by_cause.get(cause, 0.0) / total if total else math.nan,
            }
            for cause in CAUSES
        },
    }


def pain_points(
    counts: Mapping[PainKey, float], customers: int, names: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """``journey.pain_points`` of one replication.

    ``names`` lists every channel, segment and intent of the scenario (keys ``by_channel``,
    ``by_segment``, ``by_intent``), so each appears in every replication, with no points if
    nothing hurt there.
    """
    overall: dict[str, float] = {}
    scoped: dict[str, dict[str, dict[str, float]]] = {
        scope: {name: {} for name in names[scope]} for scope in SCOPES
    }
    for key in sorted(counts):
        points = counts[key]
        cause = key[0]
        overall[cause] = overall.get(cause, 0.0) + points
        for scope, position in SCOPES.items():
            per_cause = scoped[scope].setdefault(key[position], {})
            per_cause[cause] = per_cause.get(cause, 0.0) + points
    total = math.fsum(overall.values())
    return {
        "points_per_customer": total / customers if customers else math.nan,
        **_scope(overall),
        **{
            scope: {name: _scope(per_cause) for name, per_cause in by_name.items()}
            for scope, by_name in scoped.items()
        },
    }
