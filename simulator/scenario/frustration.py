"""The frustration block of the scenario language: its coefficients, defaults and states.

These are *parameters* (what a scenario says), so they live with the language; the model's pure
update functions (:mod:`simulator.model.frustration`) read them. The YAML keys of a scenario's
``frustration:`` block are the field names of :class:`FrustrationParams`; the loader validates
each value with its own readers, and :meth:`FrustrationParams.__post_init__` guards values built
in code. docs/model.md explains every coefficient and where its default comes from.
"""

from __future__ import annotations

import math
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
    "closed",
)

F_MAX = 100.0

#: Coefficients that are shares of something, so at most 1.
SHARES: tuple[str, ...] = ("resolution_relief", "give_up_slope", "switch_boost")

#: The state thresholds, which must satisfy ``0 < irritated < angry < furious <= F_MAX``.
THRESHOLDS: tuple[str, str, str] = ("irritated", "angry", "furious")

#: One line per coefficient, for editors (the JSON Schema); docs/model.md has the sources.
MEANINGS: dict[str, str] = {
    "wait_slow": "Points per minute of waiting within the expected response.",
    "wait_fast": "Points per minute of waiting beyond the expected response.",
    "repeat": "Points for re-explaining because the context was lost.",
    "transfer": "Points for being transferred (context kept or not).",
    "redirect": "Points for being told to use another channel.",
    "bot_failure": "Points when the bot could not help.",
    "bot_loop": "Points for each extra failed bot turn.",
    "abandon": "Points for hanging up or leaving the queue.",
    "unresolved": "Points for a contact that ended without resolution.",
    "blocked": "Points for being rejected before queueing (all lines busy).",
    "closed": "Points for meeting a closed channel (outside its hours, or still waiting at "
    "closing time).",
    "service_relief": "Relief per minute of service by an agent of empathy 1 (decay rate, 1/min).",
    "resolution_relief": "Share of frustration removed when the issue is resolved (<= 1).",
    "irritated": "Threshold calm -> irritated (points; 0 < irritated < angry).",
    "angry": "Threshold irritated -> angry (points); detractors and bad word of mouth from here.",
    "furious": "Threshold angry -> furious (points; furious <= 100).",
    "patience_drop": "Patience x exp(-patience_drop * F/100).",
    "give_up_slope": "Retry probability x (1 - give_up_slope * F/100) (<= 1).",
    "switch_boost": "Weight of retrying on the same channel x (1 - switch_boost * F/100) (<= 1).",
    "initial": "Frustration of a new customer (points, <= 100).",
    "enabled": "Master switch: false keeps frustration at initial and feeds nothing back.",
}


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
    # "We are closed": outside the channel's hours, or told so while waiting at closing time.
    # Like ``blocked`` (turned away without being served; assumption: the same 10 points).
    closed: float = 10.0

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
        for name in SHARES:
            if getattr(self, name) > 1:
                raise ValueError(f"frustration.{name} is a share and must be <= 1")
        levels = [getattr(self, name) for name in THRESHOLDS]
        if not thresholds_in_order(levels):
            raise ValueError(thresholds_problem(levels))
        if self.initial > F_MAX:
            raise ValueError(f"frustration.initial must be <= 100, got {self.initial}")


def thresholds_in_order(levels: list[float]) -> bool:
    """Whether the (irritated, angry, furious) levels satisfy 0 < irritated < angry < furious <=
    F_MAX (each state then covers a non-empty band of the scale)."""
    irritated, angry, furious = levels
    return 0 < irritated < angry < furious <= F_MAX


def thresholds_problem(levels: list[float]) -> str:
    """What is wrong with (irritated, angry, furious) levels out of order."""
    return (
        "frustration thresholds must satisfy 0 < irritated < angry < furious <= 100, got "
        + ", ".join(str(level) for level in levels)
    )


def state_of(f: float, p: FrustrationParams) -> str:
    """The narrative state of ``f``: calm < irritated < angry < furious (see :data:`STATES`)."""
    if f < p.irritated:
        return "calm"
    if f < p.angry:
        return "irritated"
    if f < p.furious:
        return "angry"
    return "furious"
