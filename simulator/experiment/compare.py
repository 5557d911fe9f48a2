"""What-if comparisons: the same customers through a base scenario and its variants.

Every scenario runs replications ``0..n-1`` with the same seed, so replication ``r`` of each
one sees the same customers (common random numbers, see :mod:`simulator.model.rng`). The
difference of a KPI is then estimated from the *paired* per-replication differences: noise the
designs share cancels, and the confidence interval is far narrower than that of two
independent runs. The ratio of the two variances is reported, so the gain is visible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.experiment.replicate import Progress, RunResult, run_replications
from simulator.experiment.stats import Estimate, estimate
from simulator.scenario.schema import Scenario

#: KPIs compared, with the direction of "better": +1 higher is better, -1 lower is better,
#: 0 neither (reported without a verdict). Paths are into the per-replication KPI documents.
DIRECTIONS: dict[str, int] = {
    "overall.service_level": +1,
    "overall.abandon_rate": -1,
    "overall.asa_s": -1,
    "overall.mean_wait_s": -1,
    "overall.wait_p90_s": -1,
    "overall.blocked_rate": -1,
    "overall.occupancy": 0,
    "journey.fcr": +1,
    "journey.resolution_rate": +1,
    "journey.gave_up_rate": -1,
    "journey.contacts_per_resolution": -1,
    "journey.repeats_per_100": -1,
    "journey.transfers_per_100": -1,
    "journey.switches_per_100": -1,
    "journey.mean_time_to_resolution_s": -1,
    "journey.frustration.mean_final": -1,
    "journey.frustration.share_angry_or_worse": -1,
    "journey.churn_rate": -1,
    "journey.nps": +1,
    "journey.effort": -1,
    "journey.word_of_mouth_reach": -1,
    "costs.operating": -1,
    "costs.churn": -1,
    "costs.total": -1,
    "costs.per_resolved_customer": -1,
}

#: The KPIs of the one-line summary per variant, with how to say their change.
HEADLINE: tuple[tuple[str, str, str], ...] = (
    ("journey.repeats_per_100", "repeats", "relative"),
    ("journey.fcr", "FCR", "points"),
    ("overall.service_level", "service level", "points"),
    ("overall.abandon_rate", "abandonment", "points"),
    ("journey.churn_rate", "churn", "points"),
    ("journey.frustration.mean_final", "final frustration", "absolute"),
    ("costs.total", "cost", "money"),
)

BETTER, WORSE, SAME, NEUTRAL = "better", "worse", "no significant difference", "-"


def kpi_value(document: dict[str, Any], path: str) -> float:
    node: Any = document
    for part in path.split("."):
        node = node[part]
    return float(node)


@dataclass(frozen=True)
class Difference:
    """One KPI of one variant against the base, paired over replications."""

    kpi: str
    base: Estimate
    variant: Estimate
    difference: Estimate  # variant - base, paired
    relative: Estimate | None  # 100 x difference / base mean of the same replication
    verdict: str
    variance_ratio: float  # var(paired differences) / (var(base) + var(variant))

    def as_dict(self) -> dict[str, Any]:
        return {
            "base": self.base.as_dict(),
            "variant": self.variant.as_dict(),
            "difference": self.difference.as_dict(),
            "relative_pct": self.relative.as_dict() if self.relative else None,
            "verdict": self.verdict,
            "variance_ratio": None if math.isnan(self.variance_ratio) else self.variance_ratio,
        }


@dataclass
class Comparison:
    base: RunResult
    variants: dict[str, RunResult]
    differences: dict[str, list[Difference]] = field(default_factory=dict)

    def summary(self, name: str) -> str:
        """e.g. ``omnichannel: repeats -100 % [-100, -100], FCR +14.1 pts [13.2, 15.0], ...``"""
        by_kpi = {d.kpi: d for d in self.differences[name]}
        parts = []
        for kpi, label, style in HEADLINE:
            d = by_kpi.get(kpi)
            if d is None or math.isnan(d.difference.mean):
                continue
            if style == "money" and d.base.mean == 0 and d.variant.mean == 0:
                continue  # the scenario has no costs block
            parts.append(f"{label} {_say(d, style)}")
        return f"{name}: " + ", ".join(parts)


def _say(d: Difference, style: str) -> str:
    if style == "relative" and d.relative is not None and not math.isnan(d.relative.mean):
        e, unit, scale = d.relative, " %", 1.0
    elif style == "points":
        e, unit, scale = d.difference, " pts", 100.0
    else:
        e, unit, scale = d.difference, "", 1.0
    if style == "money":
        ci = "" if math.isnan(e.ci_low) else f" [{e.ci_low:+,.0f}, {e.ci_high:+,.0f}]"
        return f"{e.mean:+,.0f} per run{ci}"
    ci = "" if math.isnan(e.ci_low) else f" [{scale * e.ci_low:+.1f}, {scale * e.ci_high:+.1f}]"
    return f"{scale * e.mean:+.1f}{unit}{ci}"


def _variance(xs: Sequence[float]) -> float:
    xs = [x for x in xs if not math.isnan(x)]
    if len(xs) < 2:
        return math.nan
    mean = sum(xs) / len(xs)
    return sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)


def paired(kpi: str, base: RunResult, variant: RunResult) -> Difference:
    b = [kpi_value(r, kpi) for r in base.per_replication]
    v = [kpi_value(r, kpi) for r in variant.per_replication]
    diffs = [y - x for x, y in zip(b, v, strict=True)]
    relative = [100.0 * (y - x) / x if x else math.nan for x, y in zip(b, v, strict=True)]
    diff = estimate(diffs)
    direction = DIRECTIONS.get(kpi, 0)
    if direction == 0 or math.isnan(diff.ci_low):
        verdict = NEUTRAL
    elif diff.ci_low > 0 or diff.ci_high < 0:
        verdict = BETTER if (diff.mean > 0) == (direction > 0) else WORSE
    else:
        verdict = SAME
    independent = _variance(b) + _variance(v)
    ratio = _variance(diffs) / independent if independent else math.nan
    rel = estimate(relative) if any(not math.isnan(x) for x in relative) else None
    return Difference(kpi, estimate(b), estimate(v), diff, rel, verdict, ratio)


def same_demand(a: Scenario, b: Scenario) -> bool:
    """Whether two scenarios generate the same customers (what common random numbers need)."""
    return (
        a.horizon == b.horizon
        and a.arrivals == b.arrivals
        and a.segments == b.segments
        and a.intents == b.intents
        and list(a.channels) == list(b.channels)
    )


def compare(
    base: Scenario,
    variants: dict[str, Scenario],
    replications: int,
    seed: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> Comparison:
    """Run the base and every variant with the same seed and replications; pair the KPIs."""
    seed = base.seed if seed is None else seed
    total = replications * (1 + len(variants))
    done = [0]

    def step(finished: int, _total: int) -> None:
        if progress:
            progress(done[0] + finished, total)

    def run(scenario: Scenario) -> RunResult:
        result = run_replications(scenario, replications, seed, workers, step)
        done[0] += replications
        return result

    comparison = Comparison(base=run(base), variants={})
    for name, scenario in variants.items():
        comparison.variants[name] = run(scenario)
        comparison.differences[name] = [
            paired(kpi, comparison.base, comparison.variants[name]) for kpi in DIRECTIONS
        ]
    return comparison
