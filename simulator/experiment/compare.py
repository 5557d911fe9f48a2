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
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from simulator.experiment.replicate import Progress, RunResult, extend, run_many
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
    precision: Precision | None = None  # set by ``replications="auto"``

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


#: ``--replications auto``: the paired difference of every headline KPI must have a 95 % CI
#: half-width at most this (in the KPI's own unit: shares are 0-1, frustration is on 0-100),
#: or ``AUTO_RELATIVE`` of the base mean, whichever is larger. Chosen so that a planner can
#: read the summary sentence to the shown precision (one point of a rate, one repeat per 100).
AUTO_TARGETS: dict[str, float] = {
    "journey.repeats_per_100": 1.0,
    "journey.fcr": 0.01,
    "overall.service_level": 0.01,
    "overall.abandon_rate": 0.005,
    "journey.churn_rate": 0.002,
    "journey.frustration.mean_final": 0.5,
    "costs.total": 0.0,
}
AUTO_RELATIVE = 0.01
AUTO_START = 5
AUTO_MAX = 200


@dataclass(frozen=True)
class Precision:
    """How ``--replications auto`` ended: the replications used and the widest CI left."""

    replications: int
    reached: bool
    widest: str  # "variant: KPI" whose half-width was furthest from its target
    ratio: float  # its half-width / target (<= 1 when reached)

    def as_dict(self) -> dict[str, Any]:
        return {
            "replications": self.replications,
            "target_reached": self.reached,
            "widest": self.widest,
            "half_width_over_target": None if math.isnan(self.ratio) else self.ratio,
            "targets": {"absolute": AUTO_TARGETS, "relative_to_base": AUTO_RELATIVE},
        }


def precision_ratio(comparison: Comparison) -> tuple[float, str]:
    """The largest half-width / target over every variant's headline KPIs, and where it is."""
    worst, where = 0.0, ""
    for name, differences in comparison.differences.items():
        for d in differences:
            if d.kpi not in AUTO_TARGETS or math.isnan(d.difference.ci_low):
                continue
            target = max(AUTO_TARGETS[d.kpi], AUTO_RELATIVE * abs(d.base.mean))
            if target <= 0:
                continue
            ratio = d.difference.half_width / target
            if ratio > worst:
                worst, where = ratio, f"{name}: {d.kpi}"
    return worst, where


def compare(
    base: Scenario,
    variants: dict[str, Scenario],
    replications: int | str,
    seed: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    max_replications: int = AUTO_MAX,
) -> Comparison:
    """Run the base and every variant with the same seed and replications; pair the KPIs.

    ``replications="auto"`` starts with ``AUTO_START`` and adds replications until every
    headline difference is as precise as :data:`AUTO_TARGETS` asks, or ``max_replications``
    is reached; how it ended is in ``Comparison.precision``.
    """
    seed = base.seed if seed is None else seed
    scenarios = [base, *variants.values()]
    auto = replications == "auto"
    n = AUTO_START if auto else int(replications)
    results = run_many(scenarios, n, seed, executor, _scaled(progress))
    comparison = _paired(results, list(variants))
    while auto:
        ratio, where = precision_ratio(comparison)
        if ratio <= 1.0 or n >= max_replications:
            comparison.precision = Precision(n, ratio <= 1.0, where, ratio)
            break
        # The half-width shrinks like 1/sqrt(n): aim a little past the extrapolated need.
        wanted = min(max_replications, max(n + 2, math.ceil(1.1 * n * ratio**2)))
        more = run_many(
            scenarios,
            wanted - n,
            seed,
            executor,
            _scaled(progress, offset=n * len(scenarios)),
            first=n,
        )
        results = [extend(a, b) for a, b in zip(results, more, strict=True)]
        n = wanted
        comparison = _paired(results, list(variants))
    return comparison


def _scaled(progress: Progress | None, offset: int = 0) -> Progress | None:
    """Progress of one batch, counted in tasks since the comparison started."""
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        progress(offset + done, offset + total)

    return report


def _paired(results: list[RunResult], names: list[str]) -> Comparison:
    comparison = Comparison(base=results[0], variants=dict(zip(names, results[1:], strict=True)))
    for name, result in comparison.variants.items():
        comparison.differences[name] = [paired(kpi, comparison.base, result) for kpi in DIRECTIONS]
    return comparison
