"""Frustration F of one customer as pure functions: ``(state, event) -> new state``.

F is a dimensionless score in "points" on [0, 100]: 0 is a customer with nothing to complain
about, 100 is as frustrated as the model allows. It exists to narrate journeys (``state_of``), to
feed back into behaviour (shorter patience, fewer retries, more channel switching) and to turn a
journey into outcomes (churn, NPS class, word of mouth: :mod:`simulator.model.outcomes`).

States, with the default thresholds::

    calm < 25 <= irritated < 50 <= angry < 75 <= furious

Why pure functions of floats: the engine calls them a few times per customer on its hot path, so
they take and return plain floats, use only :mod:`math` and allocate nothing else (except
:func:`switch_weights`, which must return a mapping). Being pure also makes them trivially
testable and lets a trace replay a journey's frustration from its events.

Why *saturating* increases: a linear rule would need clamping at 100, which makes every event
after saturation invisible and the order of events matter in odd ways. Instead each increase is
expressed as a *load* (the points a linear rule would add) and applied as

    F' = 100 - (100 - F) * exp(-load / 100)

so F approaches 100 without ever exceeding it, the update is continuous and monotone in both F
and the load, and loads compose additively: applying ``a`` then ``b`` equals applying ``a + b``.
At low F a load of ``x`` adds about ``x`` points; at high F it adds less (there is less room).

Every coefficient lives in :class:`FrustrationParams`; field names are the keys of a scenario's
``frustration:`` block. The defaults are modelling assumptions chosen to reproduce qualitative
facts from public surveys (docs/model.md), not measured constants.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from simulator.scenario.frustration import EVENTS, F_MAX, STATES, FrustrationParams, state_of

_EVENT_SET = frozenset(EVENTS)

__all__ = [
    "EVENTS",
    "F_MAX",
    "STATES",
    "FrustrationParams",
    "after_event",
    "after_resolution",
    "after_service",
    "after_wait",
    "patience_factor",
    "retry_probability",
    "saturate",
    "state_of",
    "switch_weights",
    "wait_clock",
    "wait_load",
]


def _clamp(f: float) -> float:
    return 0.0 if f < 0.0 else (F_MAX if f > F_MAX else f)


def _saturate(f: float, load: float) -> float:
    """Add ``load`` points the saturating way: ``100 - (100 - f) * exp(-load/100)``.

    ``_clamp`` written out: every frustration step of the engine passes here."""
    f = 0.0 if f < 0.0 else (F_MAX if f > F_MAX else f)
    if load <= 0.0:
        return f
    g = F_MAX - (F_MAX - f) * math.exp(-load / F_MAX)
    # Each operation above is monotone under rounding, so g is monotone in f and load; the max
    # only guards against g landing one ulp below f for a tiny load.
    return g if g > f else f


#: Expectations at or below this many seconds use the per-minute rates as they are.
WAIT_CLOCK_S = 60.0


def wait_clock(expected_s: float) -> float:
    """Seconds per "minute" of waiting for a promise of ``expected_s`` (see :func:`_wait_load`):
    60 for promises up to a minute, stretched in proportion beyond."""
    expected = expected_s if expected_s > 0.0 else 0.0
    return 60.0 * (expected if expected > WAIT_CLOCK_S else WAIT_CLOCK_S) / WAIT_CLOCK_S


def _wait_load(waited_s: float, expected_s: float, p: FrustrationParams) -> float:
    """Points the linear rule adds for a wait of ``waited_s``: slow up to expected, fast after.

    Waits are measured against what was promised: the per-minute rates hold for a channel that
    promises an answer within a minute (voice, chat), and a longer promise stretches the clock in
    proportion. An hour over a 24 h email promise is then as annoying as 2.5 s over a 1 min
    voice promise, and waiting exactly as long as promised costs ``wait_slow`` points on every
    channel. Without this, a 24 h email reply would make every customer furious.
    """
    if waited_s <= 0.0:
        return 0.0
    expected = expected_s if expected_s > 0.0 else 0.0
    clock = wait_clock(expected)
    if waited_s <= expected:
        return p.wait_slow * waited_s / clock
    return (p.wait_slow * expected + p.wait_fast * (waited_s - expected)) / clock


def after_wait(
    f: float,
    waited_s: float,
    expected_s: float,
    p: FrustrationParams,
    sensitivity: float = 1.0,
    already_s: float = 0.0,
) -> float:
    """F after waiting ``waited_s`` seconds on a channel whose expected response is ``expected_s``.

    Waiting grows F at ``wait_slow`` points/min until the expected response, then ``wait_fast``
    (people tolerate the wait they were promised, not more); for promises longer than a minute
    the minute stretches in proportion (see ``_wait_load``). ``already_s`` is the part of the same
    wait already accounted for, so the engine may update F in pieces (say at an overflow) and get
    exactly the same result as one update for the whole wait: loads add up under saturation.
    Monotone non-decreasing in ``waited_s`` and ``f``, continuous, never above 100.
    """
    if already_s > 0.0:
        load = _wait_load(already_s + waited_s, expected_s, p) - _wait_load(
            already_s, expected_s, p
        )
    else:
        load = _wait_load(waited_s, expected_s, p)
    return _saturate(f, load * sensitivity)


#: The engine's names for the two steps of :func:`after_wait` and :func:`after_event`: it
#: precomputes the loads that depend only on the scenario and saturates with them, the same
#: operations in the same order as those functions (simulator/model/endings.py).
saturate = _saturate
wait_load = _wait_load


def after_event(f: float, event: str, p: FrustrationParams, sensitivity: float = 1.0) -> float:
    """F after a jump event (one of :data:`EVENTS`), saturating so F never exceeds 100.

    The event name is the name of its coefficient in :class:`FrustrationParams`, so journeys,
    traces and the scenario's ``frustration:`` block all speak the same words.
    """
    if event not in _EVENT_SET:
        raise ValueError(
            f"unknown frustration event {event!r}; expected one of {', '.join(EVENTS)}"
        )
    return _saturate(f, getattr(p, event) * sensitivity)


def after_service(f: float, served_s: float, empathy: float, p: FrustrationParams) -> float:
    """F after ``served_s`` seconds with an agent of the given ``empathy`` (0 = none, 1 = most).

    Being listened to calms people down whatever the outcome: F decays exponentially, at rate
    ``service_relief * empathy`` per minute. Never increases F; more empathy never gives higher F.
    Not scaled by sensitivity, which only amplifies increases.
    """
    f = _clamp(f)
    rate = p.service_relief * (empathy if empathy > 0.0 else 0.0) * served_s / 60.0
    if rate <= 0.0:
        return f
    return f * math.exp(-rate)


def after_resolution(f: float, p: FrustrationParams) -> float:
    """F after the issue is resolved: a large relief, but the memory of the effort remains."""
    return _clamp(f) * (1.0 - p.resolution_relief)


def patience_factor(f: float, p: FrustrationParams) -> float:
    """Multiplier in (0, 1] for a customer's patience: frustrated customers hang up sooner."""
    return math.exp(-p.patience_drop * _clamp(f) / F_MAX)


def retry_probability(
    base: float, f: float, contacts: int, contact_decay: float, p: FrustrationParams
) -> float:
    """Probability of trying again after a failed contact, in [0, 1].

    ``base * contact_decay**(contacts - 1) * (1 - give_up_slope * F/100)``: every contact already
    made and every point of frustration make giving up likelier. ``contacts`` counts contacts
    made so far (1 after the first); fewer than 1 is treated as 1.
    """
    n = contacts - 1 if contacts > 1 else 0
    prob = base * contact_decay**n * (1.0 - p.give_up_slope * _clamp(f) / F_MAX)
    return 0.0 if prob < 0.0 else (1.0 if prob > 1.0 else prob)


def switch_weights(
    stay_channel: str, weights: Mapping[str, float], f: float, p: FrustrationParams
) -> dict[str, float]:
    """Channel probabilities for a retry: frustration pushes customers off the channel that failed.

    The weight of ``stay_channel`` is multiplied by ``1 - switch_boost * F/100`` and all weights
    are renormalised to sum to 1. If staying is the only option it keeps probability 1 (a
    customer cannot switch to a channel they have no route to).
    """
    total = 0.0
    for w in weights.values():
        if w < 0.0:
            raise ValueError(f"channel weights must be >= 0, got {dict(weights)!r}")
        total += w
    if total <= 0.0:
        raise ValueError(f"channel weights must have a positive sum, got {dict(weights)!r}")
    factor = 1.0 - p.switch_boost * _clamp(f) / F_MAX
    factor = factor if factor > 0.0 else 0.0
    stay = weights.get(stay_channel, 0.0)
    scaled_total = total - stay + stay * factor
    if scaled_total <= 0.0:  # only the stay channel has weight and factor is 0
        return {name: w / total for name, w in weights.items()}
    out = {name: w / scaled_total for name, w in weights.items()}
    if stay_channel in out:
        out[stay_channel] = stay * factor / scaled_total
    return out
