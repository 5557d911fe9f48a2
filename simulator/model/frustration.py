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
from dataclasses import dataclass, fields

#: Narrative states, from least to most frustrated (thresholds in :class:`FrustrationParams`).
STATES: tuple[str, str, str, str] = ("calm", "irritated", "angry", "furious")

#: Jump events accepted by :func:`after_event`; each is also the name of its coefficient.
EVENTS: tuple[str, ...] = (
    "repeat",
    "transfer",
    "redirect",
    "bot_failure",
    "bot_loop",
    "abandon",
    "unresolved",
    "blocked",
)
_EVENT_SET = frozenset(EVENTS)

F_MAX = 100.0


@dataclass(frozen=True, slots=True)
class FrustrationParams:
    """Every coefficient of the frustration model, with documented defaults.

    Field names are the YAML keys of the scenario's ``frustration:`` block (override with
    ``dataclasses.replace(FrustrationParams(), **block)``). "Points" are frustration points on
    the 0–100 scale; a load of ``x`` points adds about ``x`` points to a calm customer and less
    to an already frustrated one (saturation, see the module docstring).
    """

    # --- waiting (points per minute of wait) -------------------------------------------------
    # While the wait is within the channel's expected response: waiting you were told about is
    # mildly annoying. 2/min keeps a 1–2 min voice wait well inside "calm" (assumption).
    wait_slow: float = 2.0
    # Beyond the expected response: broken expectations hurt three times as fast. 6/min makes a
    # calm voice caller "irritated" ~4.5 min past expectation and "angry" ~11 min past it; with
    # voice patience of ~7.5 min mean (Brown et al. 2005) most callers hang up before waiting
    # alone makes them angry (assumption).
    wait_fast: float = 6.0

    # --- jumps (points, per event) ------------------------------------------------------------
    # Having to re-explain because context was lost: the single most cited irritant (~59 % annoyed
    # after a transfer, 61 % after IVR; Redwood survey, secondary). Largest hand-off jump.
    repeat: float = 20.0
    # Being transferred at all (even with context kept): delay and uncertainty. Context loss is
    # charged separately as ``repeat``, so a cold transfer costs transfer + repeat.
    transfer: float = 10.0
    # "Please call us": told to use another channel. Forced switches cost loyalty (CEB: each
    # switch ~ -10 % loyalty, secondary); a bit more than a transfer because the customer must act.
    redirect: float = 15.0
    # The bot could not help and escalates (or gives up): self-service fully resolves only ~9 %
    # of issues (Gartner 2019), so failure is common and expected, hence a moderate jump.
    bot_failure: float = 10.0
    # Each extra failed bot turn (a loop: "I didn't get that"): small but repeated.
    bot_loop: float = 5.0
    # The customer hung up / left the queue: they invested time for nothing.
    abandon: float = 10.0
    # A contact ended without resolution ("we'll get back to you", no fix): the journey goes on.
    # Large, because FCR of 67–72 % (SQM) means roughly a third of customers must come back.
    unresolved: float = 25.0
    # All lines busy / chat unavailable: rejected before even queueing.
    blocked: float = 10.0

    # --- reliefs ------------------------------------------------------------------------------
    # Per minute of agent service at empathy 1 (rate of an exponential decay of F; scaled by the
    # agent group's empathy in [0, 1]). 0.05/min: 5 min with an empathy-0.6 agent removes ~14 %.
    service_relief: float = 0.05
    # Share of F removed when the issue is resolved. 0.4 (not more): a resolved customer who was
    # at F >= ~83 stays angry (a detractor), because effort is remembered even when the outcome is
    # good (CEB's "effortless experience" finding; assumption for the exact value).
    resolution_relief: float = 0.4

    # --- state thresholds (points) ------------------------------------------------------------
    irritated: float = 25.0  # F >= irritated: "irritated" (below: "calm")
    angry: float = 50.0  # F >= angry: "angry"; detractor and negative word of mouth from here
    furious: float = 75.0  # F >= furious: "furious"

    # --- feedback on behaviour ----------------------------------------------------------------
    # Patience multiplier exp(-patience_drop * F/100): 0.7 halves patience at F = 100 and cuts it
    # by ~30 % at F = 50 (assumption: frustrated customers hang up sooner).
    patience_drop: float = 0.7
    # Retry probability multiplier (1 - give_up_slope * F/100): at F = 100 a customer is 60 % less
    # likely to try again (assumption; frustrated customers give up and leave).
    give_up_slope: float = 0.6
    # Weight of retrying on the *same* channel multiplied by (1 - switch_boost * F/100) before
    # renormalising: at F = 100 staying is half as likely (nearly 60 % of calls began in another
    # channel, CEB, secondary: switching after a bad contact is the norm).
    switch_boost: float = 0.5

    # Frustration of a new customer: 0 (something already went wrong before they contacted us
    # is modelled by the contact itself, not by a head start).
    initial: float = 0.0
    # Master switch. false: frustration stays at `initial` and feeds nothing back (patience,
    # retries, switching), so queue results match a plain queueing model (the Erlang checks).
    enabled: bool = True

    def __post_init__(self) -> None:
        """Reject coefficients that would break the invariants (F in [0, 100], monotonicity)."""
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "enabled":
                if not isinstance(value, bool):
                    raise ValueError(f"frustration.enabled must be true or false, got {value!r}")
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"frustration.{f.name} must be a number, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"frustration.{f.name} must be finite and >= 0, got {value!r}")
        for name in ("resolution_relief", "give_up_slope", "switch_boost"):
            if getattr(self, name) > 1:
                raise ValueError(f"frustration.{name} is a share and must be <= 1")
        if not 0 < self.irritated < self.angry < self.furious <= F_MAX:
            raise ValueError(
                "frustration thresholds must satisfy 0 < irritated < angry < furious <= 100, got "
                f"{self.irritated}, {self.angry}, {self.furious}"
            )
        if self.initial > F_MAX:
            raise ValueError(f"frustration.initial must be <= 100, got {self.initial}")


def _clamp(f: float) -> float:
    return 0.0 if f < 0.0 else (F_MAX if f > F_MAX else f)


def _saturate(f: float, load: float) -> float:
    """Add ``load`` points the saturating way: ``100 - (100 - f) * exp(-load/100)``."""
    f = _clamp(f)
    if load <= 0.0:
        return f
    g = F_MAX - (F_MAX - f) * math.exp(-load / F_MAX)
    # Each operation above is monotone under rounding, so g is monotone in f and load; the max
    # only guards against g landing one ulp below f for a tiny load.
    return g if g > f else f


#: Expectations at or below this many seconds use the per-minute rates as they are.
WAIT_CLOCK_S = 60.0


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
    clock = 60.0 * max(expected, WAIT_CLOCK_S) / WAIT_CLOCK_S  # seconds per "minute" of waiting
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


def state_of(f: float, p: FrustrationParams) -> str:
    """The narrative state of ``f``: calm < irritated < angry < furious (see :data:`STATES`)."""
    if f < p.irritated:
        return "calm"
    if f < p.angry:
        return "irritated"
    if f < p.furious:
        return "angry"
    return "furious"


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
