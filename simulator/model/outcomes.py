"""What a journey means for the business, per customer: effort, the 0-10 recommend answer, churn
and word of mouth, from the journey's facts and the scenario's ``outcomes:`` model.

The model (docs/model.md has it in full, with the sources of its defaults):

* **effort** ``E = min(7, 1 + sum of weight x fact)`` over the facts of
  :func:`effort_score`: what customers call effort (contacting again, switching channel,
  being transferred, explaining again, a bot that could not help, waiting beyond what was
  promised, finding a channel closed or busy, and no resolution);
* **likelihood to recommend** (0-10), a probability for each answer from an ordered logit on
  ``eta = -unresolved x (1 - resolved) - effort x (E - 1)`` (:func:`recommend_distribution`);
  NPS counts the expected promoters (9-10) minus detractors (0-6), with no sampling noise;
* **churn** ``logit(p) = logit(churn_base) + effort x (E - 1) + unresolved x (1 - resolved)``,
  at most the segment's ``churn_max``; what the journey *adds* is ``p - churn_base``;
* **word of mouth**, negative and positive: a chance of telling others that moves smoothly with
  effort and resolution, times the people who hear it.

Everything depends on the journey only through ``(resolved, E)`` and the segment, so the engine
computes each distinct outcome once (:class:`OutcomeTable`) and most customers, resolved at once
within the promise, share one per segment.

Why a probabilistic survey model and not classes: a rule such as "resolved and calm is a
promoter" makes NPS the resolved share minus the gave-up share, whatever the effort; published
evidence (CEB, *The Effortless Experience*) says effort drives disloyalty. Frustration stays:
it tells the story and drives behaviour (patience, retries, switching), not the outcomes.
"""

from __future__ import annotations

import math
from collections import OrderedDict

from simulator.observe.journey import Survey
from simulator.scenario.outcomes import (
    EFFORT_MAX,
    EFFORT_MIN,
    LTR_ANSWERS,
    ChurnModel,
    EffortWeights,
    OutcomeParams,
    RecommendModel,
    TellingModel,
)
from simulator.scenario.schema import Segment

__all__ = [
    "EFFORT_MAX",
    "EFFORT_MIN",
    "LTR_ANSWERS",
    "NPS_CLASSES",
    "OutcomeTable",
    "SurveyOutcome",
    "churn_probability",
    "effort_score",
    "likely_class",
    "nps",
    "nps_shares",
    "recommend_distribution",
    "telling_probability",
]

NPS_CLASSES: tuple[str, str, str] = ("promoter", "passive", "detractor")
#: Answers 9 and 10 make a promoter, 0 to 6 a detractor (7 and 8: passive).
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6

#: What one customer's answers and actions come to, in this order: the chance of being a
#: promoter, of being a detractor, the churn probability, churn above the segment's base,
#: people told about a bad and about a good experience (expected), and the chance of each
#: recommend answer 0..10. The same type as :data:`simulator.observe.journey.Survey`, which
#: :meth:`~simulator.observe.journey.JourneyCell.add` counts by identity; computed once per
#: distinct outcome and shared.
SurveyOutcome = Survey
#: A table entry's key: (segment index, resolved, effort in hundredths of a point).
TableKey = tuple[int, bool, int]


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def effort_score(
    weights: EffortWeights,
    contacts: int,
    switches: int,
    transfers: int,
    repeats: int,
    bot_failures: int,
    wait_beyond_promise: float,
    resolved: bool,
    closed_or_blocked: int,
) -> float:
    """The Customer Effort Score (1-7) the journey earns: ``min(7, 1 + sum of weight x fact)``.

    ``wait_beyond_promise`` is the waiting beyond each contact's promise (the channel's
    ``expected_response``) divided by that promise, summed over contacts; it counts as
    ``log(1 + x)``, so being ten times later than promised costs about 2.4 units, not 10.
    Non-decreasing in every fact (the weights are >= 0); exactly 1 for one contact answered
    within its promise and resolved. The engine passes the facts by position (a call per
    customer with a longer journey: binding nine keywords costs more than the sum); other
    callers name them.
    """
    burden = (
        weights.extra_contact * (contacts - 1 if contacts > 1 else 0)
        + weights.switch * switches
        + weights.transfer * transfers
        + weights.repeat * repeats
        + weights.bot_failure * bot_failures
        + weights.closed_or_blocked * closed_or_blocked
    )
    if wait_beyond_promise > 0.0:
        burden += weights.wait_beyond_promise * math.log1p(wait_beyond_promise)
    if not resolved:
        burden += weights.unresolved
    effort = EFFORT_MIN + burden
    return EFFORT_MAX if effort > EFFORT_MAX else effort


def recommend_distribution(
    model: RecommendModel,
    resolved: bool,
    effort: float,
    cutpoints: tuple[float, ...] | None = None,
) -> tuple[float, ...]:
    """The chance of each answer 0..10 to "would you recommend us?" (11 numbers adding to 1).

    Ordered logit: ``P(answer <= k) = sigmoid(c_k - eta)`` with ``eta = -unresolved x (1 -
    resolved) - effort x (E - 1)`` and the cutpoints of :attr:`RecommendModel.cutpoints`. The
    consistency rule (``promoter_requires``): a customer left unresolved, or above the maximum
    effort, never answers 9 or 10; that chance moves to 8, so they are passives at best.
    ``cutpoints`` are the model's, when the caller has them already.
    """
    eta = -model.effort * (effort - EFFORT_MIN)
    if not resolved:
        eta -= model.unresolved
    below = 0.0
    answers = []
    for cutpoint in model.cutpoints if cutpoints is None else cutpoints:
        cumulative = _sigmoid(cutpoint - eta)
        answers.append(cumulative - below)
        below = cumulative
    answers.append(1.0 - below)
    if (model.promoter_requires_resolved and not resolved) or effort > model.promoter_max_effort:
        answers[8] += answers[9] + answers[10]
        answers[9] = answers[10] = 0.0
    return tuple(answers)


def nps_shares(answers: tuple[float, ...]) -> tuple[float, float]:
    """(chance of a promoter: 9 or 10, chance of a detractor: 0 to 6) of a recommend
    distribution."""
    return sum(answers[PROMOTER_FROM:]), sum(answers[: DETRACTOR_UP_TO + 1])


def likely_class(answers: tuple[float, ...]) -> str:
    """The NPS class the customer most likely falls in (ties: the less favourable class)."""
    promoter, detractor = nps_shares(answers)
    passive = 1.0 - promoter - detractor
    if detractor >= passive and detractor >= promoter:
        return "detractor"
    return "passive" if passive >= promoter else "promoter"


def churn_probability(model: ChurnModel, segment: Segment, resolved: bool, effort: float) -> float:
    """The chance the customer leaves: ``logit(p) = logit(churn_base) + effort x (E - 1) +
    unresolved x (1 - resolved)``, at most the segment's ``churn_max``.

    A segment whose ``churn_base`` is 0 or 1 keeps it whatever happens (nothing moves a sure
    thing). Never below ``churn_base``.
    """
    base = segment.churn_base
    if base <= 0.0 or base >= 1.0:
        return base
    log_odds = _logit(base) + model.effort * (effort - EFFORT_MIN)
    if not resolved:
        log_odds += model.unresolved
    p = _sigmoid(log_odds)
    cap = segment.churn_max if segment.churn_max > base else base
    return cap if p > cap else p


def telling_probability(
    side: TellingModel, resolved: bool, effort: float, *, negative: bool
) -> float:
    """The chance the customer tells others: ``logit(base)`` moved up (negative word of mouth)
    or down (positive) by ``effort x (E - 1) + unresolved x (1 - resolved)``."""
    shift = side.effort * (effort - EFFORT_MIN) + (0.0 if resolved else side.unresolved)
    return _sigmoid(_logit(side.base) + (shift if negative else -shift))


def nps(promoters: float, detractors: float, n: float) -> float:
    """Net Promoter Score in [-100, 100]: ``100 * (promoters - detractors) / n``.

    ``promoters`` and ``detractors`` may be expected counts (sums of chances). NaN when ``n``
    is 0 (no customers: no score, rather than a misleading 0).
    """
    if promoters < 0 or detractors < 0 or promoters + detractors > n * (1 + 1e-9):
        raise ValueError(
            f"need 0 <= promoters + detractors <= n, got {promoters}, {detractors}, n={n}"
        )
    if n == 0:
        return math.nan
    return 100.0 * (promoters - detractors) / n


#: Outcomes computed so far, by (outcome model, segments): replications of a scenario in one
#: process share them. The few most recent are kept (a sweep moves through many models).
_TABLES: OrderedDict[tuple[OutcomeParams, tuple[Segment, ...]], dict[TableKey, Survey]] = (
    OrderedDict()
)
KEPT_TABLES = 8


class OutcomeTable:
    """Every distinct :data:`SurveyOutcome` of a scenario, computed on first use.

    An outcome depends on the journey only through (segment, resolved, effort): the table keys
    it by effort rounded to a hundredth of a point, which no report can tell apart, so a run
    computes a few hundred outcomes for any number of customers, and the replications of a
    scenario in one process share them (outcomes are pure functions of the parameters).
    """

    __slots__ = ("_cutpoints", "known", "params", "segments")

    def __init__(self, params: OutcomeParams, segments: list[Segment]) -> None:
        self.params = params
        self.segments = segments
        self._cutpoints = params.recommend.cutpoints
        key = (params, tuple(segments))
        known = _TABLES.pop(key, None)
        #: The outcomes computed so far, by key (see :meth:`get`).
        self.known: dict[TableKey, Survey] = {} if known is None else known
        _TABLES[key] = self.known
        while len(_TABLES) > KEPT_TABLES:
            _TABLES.popitem(last=False)

    def get(self, segment: int, resolved: bool, effort: float) -> SurveyOutcome:
        """The outcome of a customer of segment index ``segment`` (effort rounded to 0.01)."""
        key = (segment, resolved, int(effort * 100.0 + 0.5))
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = self.compute(segment, resolved, key[2] / 100.0)
        return found

    def compute(self, segment_index: int, resolved: bool, effort: float) -> SurveyOutcome:
        """The outcome at exactly this effort (:meth:`get` rounds it first)."""
        params = self.params
        segment = self.segments[segment_index]
        answers = recommend_distribution(params.recommend, resolved, effort, self._cutpoints)
        promoter, detractor = nps_shares(answers)
        churn = churn_probability(params.churn, segment, resolved, effort)
        negative = params.negative_word_of_mouth
        positive = params.positive_word_of_mouth
        told_bad = (
            telling_probability(negative, resolved, effort, negative=True)
            * negative.reach_share
            * segment.reach
        )
        told_good = (
            telling_probability(positive, resolved, effort, negative=False)
            * positive.reach_share
            * segment.reach
        )
        excess = churn - segment.churn_base
        return (
            promoter,
            detractor,
            churn,
            excess if excess > 0.0 else 0.0,
            told_bad,
            told_good,
            answers,
        )
