"""The outcomes block of the scenario language: how a journey becomes effort, a recommendation,
churn and word of mouth.

These are *parameters* (what a scenario says), so they live with the language; the model's pure
functions (:mod:`simulator.model.outcomes`) read them and ``cxsim calibrate-outcomes`` fits them
to a survey. The YAML keys of a scenario's ``outcomes:`` block are the field names below
(``word_of_mouth`` holds the ``negative`` and ``positive`` sides). docs/model.md explains every
coefficient, where its default comes from, and the model in full:

* **effort** (Customer Effort Score, 1-7): ``E = min(7, 1 + sum of weight x journey fact)``;
* **likelihood to recommend** (0-10): an ordered logit whose answers for a resolved, effortless
  customer are ``recommend.resolved_effortless``, shifted down by ``unresolved`` when the issue
  was not resolved and by ``effort`` per effort point above 1;
* **churn**: ``logit(p) = logit(segment churn_base) + effort x (E - 1) + unresolved x (1 -
  resolved)``, at most the segment's ``churn_max``;
* **word of mouth**: for each side the chance of telling others (``base`` for a resolved,
  effortless customer, moved by effort and resolution) times ``reach_share`` of the segment's
  ``reach``.

Every weight is >= 0, so more effort or no resolution never gives a better outcome.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

#: Answers of the 0-10 "would you recommend us" question.
LTR_ANSWERS = 11
#: The Customer Effort Score scale (1 = effortless, 7 = very high effort).
EFFORT_MIN = 1.0
EFFORT_MAX = 7.0

#: How customers who were resolved without effort answer "would you recommend us" (0 to 10):
#: a transactional NPS of +45 (58 % promoters, 13 % detractors). Assumption, set so that a
#: decent operation lands inside the 0 to +50 range published for contact centers (docs/model.md).
DEFAULT_RESOLVED_EFFORTLESS: tuple[float, ...] = (
    0.03,
    0.01,
    0.01,
    0.01,
    0.015,
    0.025,
    0.03,
    0.10,
    0.19,
    0.18,
    0.40,
)

#: One line per coefficient, for editors (the JSON Schema); docs/model.md has the sources.
EFFORT_MEANINGS: dict[str, str] = {
    "extra_contact": "Effort points per contact after the first.",
    "switch": "Effort points per change of channel.",
    "transfer": "Effort points per transfer between teams.",
    "repeat": "Effort points per time the customer explained everything again.",
    "bot_failure": "Effort points per bot that could not help.",
    "wait_beyond_promise": "Effort points per unit of log(1 + waiting beyond the promise / the "
    "promise), summed over contacts (the promise is the channel's expected_response).",
    "unresolved": "Effort points when the issue is not resolved.",
    "closed_or_blocked": "Effort points per time the customer found a channel closed or its "
    "lines busy.",
}
RECOMMEND_MEANINGS: dict[str, str] = {
    "unresolved": "Shift of the recommend answers (ordered-logit scale) when not resolved.",
    "effort": "Shift of the recommend answers per effort point above 1.",
    "resolved_effortless": "Shares of the answers 0..10 of customers resolved without effort "
    "(11 numbers > 0 adding up to 1).",
    "promoter_requires": "Consistency: who can answer 9 or 10 at all.",
}
CHURN_MEANINGS: dict[str, str] = {
    "effort": "Churn log-odds per effort point above 1 (base: the segment's churn_base).",
    "unresolved": "Churn log-odds when the issue is not resolved.",
}
TELLING_MEANINGS: dict[str, str] = {
    "base": "Chance that a customer resolved without effort tells others (0 < base < 1).",
    "effort": "Log-odds of telling, per effort point above 1 (up for negative, down for "
    "positive word of mouth).",
    "unresolved": "Log-odds of telling when not resolved (up for negative, down for positive).",
    "reach_share": "People told = chance x reach_share x the segment's reach.",
}


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


@dataclass(frozen=True, slots=True)
class EffortWeights:
    """Effort points per journey fact: ``E = min(7, 1 + sum of weight x fact)``.

    The defaults make what customers name as effort (repeat contacts, repeating themselves,
    switching channel: CEB, *The Effortless Experience*) cost most; see docs/model.md.
    """

    extra_contact: float = 0.7
    switch: float = 0.6
    transfer: float = 0.4
    repeat: float = 0.7
    bot_failure: float = 0.4
    wait_beyond_promise: float = 0.8
    unresolved: float = 1.5
    closed_or_blocked: float = 0.4


@dataclass(frozen=True, slots=True)
class RecommendModel:
    """Likelihood to recommend (0-10) as an ordered logit.

    ``P(answer <= k) = sigmoid(c_k - eta)`` with ``eta = -unresolved x (1 - resolved) - effort x
    (E - 1)``; the cutpoints ``c_k`` are those that give a resolved, effortless customer (eta =
    0) the answers ``resolved_effortless``. Consistency: a customer who was not resolved (when
    ``promoter_requires_resolved``) or whose effort is above ``promoter_max_effort`` never
    answers 9 or 10; that chance moves to 8.
    """

    unresolved: float = 2.2
    effort: float = 0.55
    resolved_effortless: tuple[float, ...] = DEFAULT_RESOLVED_EFFORTLESS
    promoter_requires_resolved: bool = True
    promoter_max_effort: float = 6.5

    @property
    def cutpoints(self) -> tuple[float, ...]:
        """The ten cutpoints ``c_0 < ... < c_9`` (logits of the cumulative answer shares)."""
        total = sum(self.resolved_effortless)
        cumulative, out = 0.0, []
        for share in self.resolved_effortless[:-1]:
            cumulative += share
            out.append(_logit(min(max(cumulative / total, 1e-12), 1.0 - 1e-12)))
        return tuple(out)


@dataclass(frozen=True, slots=True)
class ChurnModel:
    """``logit(p) = logit(churn_base) + effort x (E - 1) + unresolved x (1 - resolved)``, at most
    the segment's ``churn_max``."""

    effort: float = 0.35
    unresolved: float = 0.9


@dataclass(frozen=True, slots=True)
class TellingModel:
    """One side of word of mouth: the chance of telling others, and how many hear it.

    ``logit(P) = logit(base) +/- (effort x (E - 1) + unresolved x (1 - resolved))`` (plus for
    negative, minus for positive word of mouth); people told = ``P x reach_share x reach`` of
    the customer's segment.
    """

    base: float
    effort: float
    unresolved: float
    reach_share: float = 1.0


@dataclass(frozen=True, slots=True)
class OutcomeParams:
    """Every coefficient of the outcome model, with documented defaults (docs/model.md)."""

    effort: EffortWeights = field(default_factory=EffortWeights)
    recommend: RecommendModel = field(default_factory=RecommendModel)
    churn: ChurnModel = field(default_factory=ChurnModel)
    #: TARP/Confirmit: an unhappy customer tells others far more than a happy one.
    negative_word_of_mouth: TellingModel = field(
        default_factory=lambda: TellingModel(base=0.005, effort=0.6, unresolved=1.6)
    )
    positive_word_of_mouth: TellingModel = field(
        default_factory=lambda: TellingModel(base=0.15, effort=0.5, unresolved=1.5, reach_share=0.5)
    )

    def __post_init__(self) -> None:
        """Reject values built in code that the loader would refuse (it reports them itself,
        with line and column): negative weights would let effort improve an outcome."""
        problems = [
            f"outcomes.{part}.{f.name} must be >= 0, got {getattr(value, f.name)}"
            for part, value in (
                ("effort", self.effort),
                ("churn", self.churn),
                ("word_of_mouth.negative", self.negative_word_of_mouth),
                ("word_of_mouth.positive", self.positive_word_of_mouth),
            )
            for f in fields(value)
            if not getattr(value, f.name) >= 0
        ]
        recommend = self.recommend
        if not (recommend.unresolved >= 0 and recommend.effort >= 0):
            problems.append("outcomes.recommend.unresolved and .effort must be >= 0")
        answers = recommend.resolved_effortless
        if len(answers) != LTR_ANSWERS or not all(share > 0 for share in answers):
            problems.append(
                f"outcomes.recommend.resolved_effortless needs {LTR_ANSWERS} shares > 0, got "
                f"{answers!r}"
            )
        for side in (self.negative_word_of_mouth, self.positive_word_of_mouth):
            if not 0 < side.base < 1:
                problems.append(f"outcomes.word_of_mouth base must be in (0, 1), got {side.base}")
        if problems:
            raise ValueError("; ".join(problems))
