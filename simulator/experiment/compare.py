"""What-if comparisons: the same customers through a base scenario and its variants.

Every scenario runs replications ``0..n-1`` with the same seed, so replication ``r`` of each
one sees the same customers (common random numbers, see :mod:`simulator.model.rng`). The
difference of a KPI is then estimated from the *paired* per-replication differences: noise the
designs share cancels, and the confidence interval is far narrower than that of two
independent runs. The ratio of the two variances is reported, so the gain is visible.

Differences are taken for the whole run, for each channel and for each agent group, and judged
by the rules of :mod:`simulator.experiment.verdicts` (a verdict per KPI, per channel, team and
the journeys, and one per variant: better, worse, trade-off or no significant difference).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.experiment.replicate import Progress, RunResult, extend, run_many
from simulator.experiment.verdicts import (
    BETTER,
    CHANNEL,
    COST_HEADLINE,
    DIRECTIONS,
    MIXED,
    NEUTRAL,
    RUN,
    SAME,
    TRADE_OFF,
    WORSE,
    Area,
    Difference,
    areas_of,
    kpi_value,
    pair_all,
    paired,
    summary_sentence,
    variant_verdict,
)
from simulator.observe.observer import Observer
from simulator.scenario.schema import Scenario

__all__ = [
    "BETTER",
    "CHANNEL_HEADLINE",
    "DIRECTIONS",
    "HEADLINE",
    "MIXED",
    "NEUTRAL",
    "SAME",
    "TRADE_OFF",
    "WORSE",
    "Comparison",
    "Difference",
    "Precision",
    "compare",
    "file_labels",
    "kpi_value",
    "paired",
    "precision_ratio",
    "same_demand",
]

#: Whole-run KPIs of the charts and of ``cxsim sweep``'s tables, with how to say their change
#: (see :func:`simulator.experiment.verdicts.say_difference`): the journeys, then the money.
HEADLINE: tuple[tuple[str, str, str], ...] = (
    ("journey.repeats_per_100", "repeats", "relative"),
    ("journey.fcr", "FCR", "points"),
    ("journey.churn_rate", "churn", "points"),
    ("journey.frustration.mean_final", "final frustration", "absolute"),
    *((kpi, label, "money") for kpi, label in COST_HEADLINE),
)
#: Queue KPIs charted per channel (keys of ``by_channel.<channel>``).
CHANNEL_HEADLINE: tuple[str, ...] = ("service_level", "abandon_rate", "asa_s")


@dataclass
class Comparison:
    """A base and its variants, run with the same customers, and every paired difference.

    ``variants`` and ``differences`` are keyed by the variant's label: the name declared under
    ``variants:``, or the file's name when files are compared (:func:`file_labels`).
    ``base_label`` names the base the same way (its scenario name by default).
    """

    base: RunResult
    variants: dict[str, RunResult]
    differences: dict[str, list[Difference]] = field(default_factory=dict)
    precision: Precision | None = None  # set by ``replications="auto"``
    base_label: str = ""

    def __post_init__(self) -> None:
        if not self.base_label:
            self.base_label = self.base.scenario.name

    def areas(self, name: str) -> list[Area]:
        """Each channel, team and the journeys of variant ``name``, with their verdicts."""
        return areas_of(self.differences[name])

    def verdict(self, name: str) -> str:
        """``better``, ``worse``, ``trade-off`` or ``no significant difference``."""
        return variant_verdict(self.areas(name))

    def summary(self, name: str) -> str:
        """e.g. ``chat_first: trade-off: chat better (...); voice worse (service level ...)``."""
        return summary_sentence(name, self.differences[name])

    def scoped(self, name: str, scope: str, within: str = "") -> list[Difference]:
        """The differences of variant ``name`` in one scope (``run``, or a channel or group)."""
        return [
            d
            for d in self.differences[name]
            if d.scope == scope and (scope == RUN or d.name == within)
        ]

    def names(self, scope: str) -> list[str]:
        """The channels (or groups) compared, in the order the results first show them."""
        return list(
            dict.fromkeys(
                d.name for ds in self.differences.values() for d in ds if d.scope == scope
            )
        )


def file_labels(files: Sequence[str | Path]) -> list[str]:
    """Labels for compared files, all different: the file name without ``.yaml``; where two
    different paths share it, the paths as given; a file given twice gets a counter
    (``bank (2)``).

    The scenario names inside the files are no labels: two files often keep the same
    ``scenario:`` name, and their results must still be told apart.
    """
    stems = [Path(f).name.removesuffix(".yaml").removesuffix(".yml") for f in files]
    paths = {
        stem: {str(f) for s, f in zip(stems, files, strict=True) if s == stem} for stem in stems
    }
    labels = [
        stem if len(paths[stem]) == 1 else str(file)
        for stem, file in zip(stems, files, strict=True)
    ]
    unique: list[str] = []
    for label in labels:
        candidate, copy = label, 1
        while candidate in unique:
            copy += 1
            candidate = f"{label} ({copy})"
        unique.append(candidate)
    return unique


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
    **{kpi: 0.0 for kpi, _ in COST_HEADLINE},
}
#: The same per channel: each channel's service level and abandonment, which the summary
#: sentence names. (Waits have no target here: one absolute precision cannot suit voice seconds
#: and e-mail hours, and 1 % of a near-zero chat wait would never be reached.)
AUTO_CHANNEL_TARGETS: dict[str, float] = {"service_level": 0.01, "abandon_rate": 0.005}
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
            "targets": {
                "absolute": AUTO_TARGETS,
                "absolute_per_channel": AUTO_CHANNEL_TARGETS,
                "relative_to_base": AUTO_RELATIVE,
            },
        }


def precision_ratio(comparison: Comparison) -> tuple[float, str]:
    """The largest half-width / target over every variant's headline KPIs, and where it is."""
    worst, where = 0.0, ""
    for name, differences in comparison.differences.items():
        for d in differences:
            absolute = _auto_target(d)
            if absolute is None or math.isnan(d.difference.ci_low):
                continue
            target = max(absolute, AUTO_RELATIVE * abs(d.base.mean))
            if target <= 0:
                continue
            ratio = d.difference.half_width / target
            if ratio > worst:
                worst, where = ratio, f"{name}: {d.key}"
    return worst, where


def _auto_target(d: Difference) -> float | None:
    if d.scope == RUN:
        return AUTO_TARGETS.get(d.kpi)
    if d.scope == CHANNEL:
        return AUTO_CHANNEL_TARGETS.get(d.kpi)
    return None


def compare(
    base: Scenario,
    variants: dict[str, Scenario],
    replications: int | str,
    seed: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    max_replications: int = AUTO_MAX,
    base_label: str = "",
    observers: Sequence[Sequence[Observer]] = (),
) -> Comparison:
    """Run the base and every variant with the same seed and replications; pair the KPIs.

    ``replications="auto"`` starts with ``AUTO_START`` and adds replications until every
    headline difference is as precise as :data:`AUTO_TARGETS` asks, or ``max_replications``
    is reached; how it ended is in ``Comparison.precision``. ``variants`` are keyed by their
    labels; ``base_label`` names the base (default: its scenario name). ``observers`` watch the
    first replications run, one sequence per scenario (the base first, then the variants), as
    :func:`~simulator.experiment.replicate.run_many` says.
    """
    seed = base.seed if seed is None else seed
    scenarios = [base, *variants.values()]
    auto = replications == "auto"
    n = AUTO_START if auto else int(replications)
    results = run_many(
        scenarios, n, seed, executor, _scaled(progress), observers_by_scenario=observers
    )
    comparison = _paired(results, list(variants), base_label)
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
        comparison = _paired(results, list(variants), base_label)
    return comparison


def _scaled(progress: Progress | None, offset: int = 0) -> Progress | None:
    """Progress of one batch, counted in tasks since the comparison started."""
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        progress(offset + done, offset + total)

    return report


def _paired(results: list[RunResult], names: list[str], base_label: str) -> Comparison:
    comparison = Comparison(
        base=results[0],
        variants=dict(zip(names, results[1:], strict=True)),
        base_label=base_label,
    )
    for name, result in comparison.variants.items():
        comparison.differences[name] = pair_all(comparison.base, result)
    return comparison
