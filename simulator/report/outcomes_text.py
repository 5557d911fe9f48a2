"""The customer outcomes in words, for the summary ``cxsim run`` prints: who the outcomes count,
what customers would say and do, and where their frustration comes from.

:func:`outcome_lines` adds three things under the journey table of
:func:`simulator.report.text.summary_text`: the denominator of every outcome (all customers
after the warm-up, the unfinished included, said in so many words so that nobody reads a rate
over the finished journeys only), the recommend and word-of-mouth figures the table has no row
for, and the ranked pain points. :data:`OUTCOME_LABELS` names the same KPIs in comparison tables.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from simulator.experiment.stats import Estimate
from simulator.observe.pain import CAUSE_WORDS, CAUSES

if TYPE_CHECKING:  # only its type: `cxsim report` reads files and never loads the engine
    from simulator.experiment.replicate import RunResult

#: Width the summary's sentences wrap at.
WIDTH = 100
#: Most pain points the summary lists (the results document has them all).
TOP_PAIN_POINTS = 5
#: Causes below this share are left out of the summary's list.
SMALLEST_SHARE = 0.01

#: Row labels of the outcome KPIs in comparison tables (simulator/report/comparison.py).
OUTCOME_LABELS: dict[str, str] = {
    "journey.unfinished_rate": "unfinished at the cut-off",
    "journey.excess_churn_rate": "churn above the base",
    "journey.promoters": "promoters",
    "journey.detractors": "detractors",
    "journey.word_of_mouth.positive": "people told of a good experience",
    "journey.word_of_mouth.net": "net word of mouth (people)",
    "journey.pain_points.points_per_customer": "frustration points per customer",
    **{
        f"journey.pain_points.causes.{cause}.share": f"pain: {CAUSE_WORDS[cause]}"
        for cause in CAUSES
    },
}


def _mean(value: Any) -> float:
    return value.mean if isinstance(value, Estimate) else math.nan


def _count(value: Any) -> str:
    return f"{_mean(value):,.0f}"


def _percent(value: float) -> str:
    return "-" if math.isnan(value) else f"{100 * value:.1f}%"


def _share_with_ci(estimate: Estimate) -> str:
    mean = f"{_percent(estimate.mean):>6}"
    if estimate.n < 2 or math.isnan(estimate.ci_low):
        return mean
    low, high = max(estimate.ci_low, 0.0), min(estimate.ci_high, 1.0)
    return f"{mean}  [{_percent(low)}, {_percent(high)}]"


def denominator_sentence(journey: Mapping[str, Any]) -> str:
    """Who every outcome counts: all customers after the warm-up, and how their journeys ended."""
    customers = _count(journey["customers"])
    resolved, gave_up = _count(journey["resolved"]), _count(journey["gave_up"])
    unfinished = _mean(journey.get("unfinished"))
    if not unfinished:
        return (
            f"Every outcome counts all {customers} customers after the warm-up: {resolved} "
            f"resolved, {gave_up} gave up, none left unfinished at the cut-off."
        )
    rate = _percent(_mean(journey["unfinished_rate"]))
    return (
        f"Every outcome counts all {customers} customers after the warm-up: {resolved} "
        f"resolved, {gave_up} gave up, and {unfinished:,.0f} ({rate}) were still unfinished at "
        "the cut-off, counted as not resolved so far."
    )


def recommend_sentence(journey: Mapping[str, Any]) -> str:
    """Promoters, detractors, churn above the base and both sides of word of mouth."""
    word = journey.get("word_of_mouth", {})
    net = _mean(word.get("net"))
    return (
        f"Would recommend (9-10) {_percent(_mean(journey['promoters']))}, would warn others "
        f"off (0-6) {_percent(_mean(journey['detractors']))}; churn above the segments' base "
        f"{_percent(_mean(journey['excess_churn_rate']))}; word of mouth: "
        f"{_count(word.get('negative'))} people hear of a bad experience, "
        f"{_count(word.get('positive'))} of a good one (net {net:+,.0f})."
    )


def pain_lines(pain: Mapping[str, Any]) -> list[str]:
    """The causes of frustration, largest share first, and how the points split by channel."""
    causes = pain["causes"]
    ranked = sorted(
        (c for c in CAUSES if _mean(causes[c]["share"]) >= SMALLEST_SHARE),
        key=lambda c: -_mean(causes[c]["share"]),
    )[:TOP_PAIN_POINTS]
    if not ranked:
        return ["Nobody's frustration rose: no pain points."]
    per_customer = _mean(pain["points_per_customer"])
    lines = [
        f"Where frustration comes from ({per_customer:.1f} points per customer; share of all "
        "points):"
    ]
    width = max(len(CAUSE_WORDS[c]) for c in ranked)
    lines += [f"  {CAUSE_WORDS[c]:<{width}}  {_share_with_ci(causes[c]['share'])}" for c in ranked]
    total = _mean(pain["points"])
    by_channel = sorted(
        ((name, _mean(scope["points"]) / total) for name, scope in pain["by_channel"].items()),
        key=lambda item: -item[1],
    )
    shown = [f"{name} {_percent(share)}" for name, share in by_channel if share >= SMALLEST_SHARE]
    if total and len(shown) > 1:
        lines.append("  by channel: " + ", ".join(shown))
    return lines


def outcome_lines(result: RunResult) -> list[str]:
    """The lines the summary prints under its journey table (none without journeys)."""
    journey = result.summary.get("journey")
    if not journey or "unfinished" not in journey:
        return []
    lines = [""]
    for sentence in (denominator_sentence(journey), recommend_sentence(journey)):
        lines += textwrap.wrap(sentence, WIDTH, initial_indent="  ", subsequent_indent="  ")
    pain = journey.get("pain_points")
    if pain:
        lines += ["  " + line for line in pain_lines(pain)]
    return lines
