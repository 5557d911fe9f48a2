"""Paired differences and what they say: a verdict per KPI, per channel and team, per variant.

A variant is compared with its base KPI by KPI, each difference paired over replications
(common random numbers, see :mod:`simulator.experiment.compare`). One figure for all channels
together is not enough: moving agents from voice to chat can raise the blended service level
while voice gets worse, and the blend says "better". So differences are taken per *area*:

* each **channel** (its queue KPIs: service level, abandonment, ASA, mean and p90 wait,
  blocked), from ``by_channel`` of the per-replication documents;
* each **team** (agent group: occupancy, slot hours, and whatever else ``by_group`` carries),
  from ``by_group``;
* the customer **journeys** (FCR, repeats, churn, frustration, ...), from ``journey``.

The rule, in three steps (docs/reference.md says the same):

1. A KPI is *significantly* different when the 95 % CI of its paired difference excludes 0;
   its verdict is then ``better`` or ``worse`` by the KPI's direction of "better", else ``no
   significant difference``. KPIs without a direction (occupancy, slot hours) get ``-``.
2. An area is ``better`` when at least one of its KPIs is significantly better and none is
   significantly worse, ``worse`` the other way round, ``mixed`` when it has both.
3. The variant is a ``trade-off`` when one area is better and another worse, ``better`` when
   some area is better and none worse (mixed areas allowed: the sentence names both sides),
   ``worse`` the other way round, a ``trade-off`` again when its only changes are mixed areas,
   and ``no significant difference`` when nothing changed significantly.

Two kinds of whole-run figures get per-KPI verdicts but stay out of step 3: the rates for all
channels together (they would hide the trade-off they average) and costs (money is stated beside
the verdict, never inside it, so a planner sees what a gain costs). Blended absolute waits
(ASA, mean and p90 wait for all channels, which mix voice seconds with e-mail hours) are not
compared at all: waits are compared per channel.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from simulator.experiment.stats import Estimate, estimate
from simulator.observe.pain import CAUSES
from simulator.units import format_duration

BETTER, WORSE, SAME, NEUTRAL = "better", "worse", "no significant difference", "-"
MIXED, TRADE_OFF = "mixed", "trade-off"

#: Scopes of a difference: the whole run, one channel, one agent group.
RUN, CHANNEL, GROUP = "run", "channel", "group"
#: Where each scope's figures sit in a per-replication document.
SCOPE_KEYS = {CHANNEL: "by_channel", GROUP: "by_group"}
#: The name of the journeys area (the whole-run ``journey.*`` KPIs).
JOURNEYS = "journeys"

#: Whole-run KPIs compared, with the direction of "better": +1 higher is better, -1 lower is
#: better, 0 neither (reported without a verdict). ``overall`` keeps only figures that mean the
#: same on every channel (rates and shares, each channel's service level against its own
#: threshold); absolute waits are compared per channel (:data:`CHANNEL_KPIS`).
RUN_KPIS: dict[str, int] = {
    "overall.service_level": +1,
    "overall.abandon_rate": -1,
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
    # Issue #13: every customer counts, the outcome model, and where frustration comes from.
    # A pain point's share has no direction: it says where the pain is, not how much there is.
    "journey.unfinished_rate": -1,
    "journey.excess_churn_rate": -1,
    "journey.promoters": +1,
    "journey.detractors": -1,
    "journey.word_of_mouth.positive": +1,
    "journey.word_of_mouth.net": +1,
    "journey.pain_points.points_per_customer": -1,
    **{f"journey.pain_points.causes.{cause}.share": 0 for cause in CAUSES},
}

#: Cost KPIs compared, with their direction: the operating cost (what the center pays) and the
#: customer value at risk (a model's estimate of future loss), each with its parts, never added
#: (see :mod:`simulator.observe.costs`). Money has per-KPI verdicts but never enters a
#: variant's verdict; :data:`COST_HEADLINE` says which of them the summary sentence states.
COST_KPIS: dict[str, int] = {
    "costs.operating": -1,
    "costs.agents": -1,
    "costs.overtime": -1,
    "costs.bots": -1,
    "costs.platform": -1,
    "costs.operating_per_resolved_customer": -1,
    "costs.value_at_risk": -1,
    "costs.churn_above_base": -1,
    "costs.word_of_mouth": -1,
}

#: Every whole-run KPI compared, in table order.
DIRECTIONS: dict[str, int] = {**RUN_KPIS, **COST_KPIS}

#: Queue KPIs compared per channel (keys of ``by_channel.<channel>``), with their direction.
CHANNEL_KPIS: dict[str, int] = {
    "service_level": +1,
    "abandon_rate": -1,
    "asa_s": -1,
    "mean_wait_s": -1,
    "wait_p90_s": -1,
    "blocked_rate": -1,
}

#: Directions of the team KPIs cxsim knows (keys of ``by_group.<group>``), in table order. Every
#: other number a group carries is compared too, without a direction. Occupancy, hours and
#: answered contacts have none: busier is not better, and more hours cost more but serve more.
GROUP_KPIS: dict[str, int] = {
    "occupancy": 0,
    "answered": 0,
    "mean_handle_time_s": 0,
    "staffed_slot_hours": 0,
    "busy_slot_hours": 0,
    "overtime_hours": -1,
}

#: How the summary sentence says each KPI: (label, style). Styles: ``points`` (a share, in
#: percentage points), ``relative`` (percent of the base), ``time``, ``money``, ``absolute``.
#: The order is the order of preference when an area has more significant KPIs than it shows.
SENTENCE: dict[str, tuple[str, str]] = {
    "service_level": ("service level", "points"),
    "abandon_rate": ("abandonment", "points"),
    "asa_s": ("ASA", "time"),
    "wait_p90_s": ("p90 wait", "time"),
    "mean_wait_s": ("mean wait", "time"),
    "blocked_rate": ("blocked", "points"),
    "journey.repeats_per_100": ("repeats", "relative"),
    "journey.fcr": ("FCR", "points"),
    "journey.churn_rate": ("churn", "points"),
    "journey.frustration.mean_final": ("final frustration", "absolute"),
    "overtime_hours": ("overtime", "absolute"),
}
#: Most KPIs one area names in the summary sentence (the tables have them all).
SENTENCE_KPIS_PER_AREA = 3

#: The cost KPIs the summary sentence states after the verdict, with their label: the two
#: sums, each on its own (a variant may cost more to run and put less value at risk).
COST_HEADLINE: tuple[tuple[str, str], ...] = (
    ("costs.operating", "operating cost"),
    ("costs.value_at_risk", "value at risk"),
)

#: KPIs that are shares of 0-1, compared in percentage points.
SHARE_SUFFIXES = (
    "_rate",
    "service_level",
    "fcr",
    "occupancy",
    "share_angry_or_worse",
    "share",
    "promoters",
    "detractors",
)


class Replicated(Protocol):
    """What pairing needs of a run: its per-replication KPI documents (a ``RunResult``)."""

    @property
    def per_replication(self) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Difference:
    """One KPI of one variant against the base, paired over replications.

    ``kpi`` is a path inside its scope: ``journey.fcr`` for the whole run, ``service_level``
    inside channel ``name``, ``occupancy`` inside agent group ``name``.
    """

    kpi: str
    base: Estimate
    variant: Estimate
    difference: Estimate  # variant - base, paired
    relative: Estimate | None  # 100 x difference / base mean of the same replication
    verdict: str
    variance_ratio: float  # var(paired differences) / (var(base) + var(variant))
    scope: str = RUN
    name: str = ""

    @property
    def path(self) -> tuple[str, ...]:
        """Where the KPI sits in a per-replication document."""
        return scoped_path(self.kpi, self.scope, self.name)

    @property
    def key(self) -> str:
        """The dotted path, e.g. ``by_channel.voice.service_level``, for messages and files."""
        return ".".join(self.path)

    @property
    def leaf(self) -> str:
        """The KPI's own name, e.g. ``service_level`` or ``mean_final``."""
        return self.kpi.rsplit(".", 1)[-1]

    def as_dict(self) -> dict[str, Any]:
        return {
            "base": self.base.as_dict(),
            "variant": self.variant.as_dict(),
            "difference": self.difference.as_dict(),
            "relative_pct": self.relative.as_dict() if self.relative else None,
            "verdict": self.verdict,
            "variance_ratio": None if math.isnan(self.variance_ratio) else self.variance_ratio,
        }


def scoped_path(kpi: str, scope: str = RUN, name: str = "") -> tuple[str, ...]:
    """``("journey", "fcr")`` or ``("by_channel", "voice", "service_level")``: parts, so that a
    channel or group name with a dot in it stays one part."""
    inside = tuple(kpi.split("."))
    return inside if scope == RUN else (SCOPE_KEYS[scope], name, *inside)


def kpi_value(document: Mapping[str, Any], path: str | Sequence[str]) -> float:
    """The number at ``path`` (dotted, or parts), NaN where the document has none."""
    node: Any = document
    for part in path.split(".") if isinstance(path, str) else path:
        if not isinstance(node, Mapping) or part not in node:
            return math.nan
        node = node[part]
    if node is None or isinstance(node, bool) or not isinstance(node, int | float):
        return math.nan
    return float(node)


def _variance(xs: Sequence[float]) -> float:
    xs = [x for x in xs if not math.isnan(x)]
    if len(xs) < 2:
        return math.nan
    mean = sum(xs) / len(xs)
    return sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)


def verdict_of(difference: Estimate, direction: int) -> str:
    """Step 1 of the rule: significant when the paired 95 % CI excludes 0."""
    if direction == 0 or math.isnan(difference.ci_low):
        return NEUTRAL
    if difference.ci_low > 0 or difference.ci_high < 0:
        return BETTER if (difference.mean > 0) == (direction > 0) else WORSE
    return SAME


def paired(
    kpi: str,
    base: Replicated,
    variant: Replicated,
    scope: str = RUN,
    name: str = "",
    direction: int | None = None,
) -> Difference:
    """The paired difference of one KPI; ``direction`` defaults to the KPI's in its table."""
    if direction is None:
        table = {RUN: DIRECTIONS, CHANNEL: CHANNEL_KPIS, GROUP: GROUP_KPIS}[scope]
        direction = table.get(kpi, 0)
    path = scoped_path(kpi, scope, name)
    b = [kpi_value(r, path) for r in base.per_replication]
    v = [kpi_value(r, path) for r in variant.per_replication]
    diffs = [y - x for x, y in zip(b, v, strict=True)]
    relative = [100.0 * (y - x) / x if x else math.nan for x, y in zip(b, v, strict=True)]
    diff = estimate(diffs)
    independent = _variance(b) + _variance(v)
    ratio = _variance(diffs) / independent if independent else math.nan
    rel = estimate(relative) if any(not math.isnan(x) for x in relative) else None
    return Difference(
        kpi, estimate(b), estimate(v), diff, rel, verdict_of(diff, direction), ratio, scope, name
    )


def pair_all(base: Replicated, variant: Replicated) -> list[Difference]:
    """Every compared KPI of ``variant`` against ``base``: the whole run, then each channel,
    then each agent group. A KPI is left out only when neither run has it; a channel or group
    that only one of them has is kept, its difference undefined."""
    runs = (base, variant)
    differences = [
        paired(kpi, base, variant) for kpi in DIRECTIONS if _present(runs, tuple(kpi.split(".")))
    ]
    for channel in _names(runs, "by_channel"):
        differences += [
            paired(kpi, base, variant, CHANNEL, channel)
            for kpi in CHANNEL_KPIS
            if _present(runs, ("by_channel", channel, kpi))
        ]
    for group in _names(runs, "by_group"):
        differences += [
            paired(kpi, base, variant, GROUP, group) for kpi in _group_kpis(runs, group)
        ]
    return differences


def _documents(runs: Iterable[Replicated]) -> Iterable[Mapping[str, Any]]:
    for run in runs:
        yield from run.per_replication


def _present(runs: Sequence[Replicated], path: tuple[str, ...]) -> bool:
    """Whether some replication of either run has ``path`` (a number, or null: undefined)."""
    return any(_holds_number(d, path) for d in _documents(runs))


def _holds_number(document: Mapping[str, Any], path: tuple[str, ...]) -> bool:
    node: Any = document
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return node is None or (isinstance(node, int | float) and not isinstance(node, bool))


def _names(runs: Sequence[Replicated], scope_key: str) -> list[str]:
    """Channel or group names in the order the runs first show them (the base's first)."""
    names: dict[str, None] = {}
    for document in _documents(runs):
        names.update(dict.fromkeys(document.get(scope_key) or {}))
    return list(names)


def _group_kpis(runs: Sequence[Replicated], group: str) -> list[str]:
    """The known team KPIs first, in table order, then any other number the groups carry."""
    seen: dict[str, None] = {}
    for document in _documents(runs):
        figures = (document.get("by_group") or {}).get(group) or {}
        seen.update(dict.fromkeys(k for k in figures if _holds_number(figures, (k,))))
    return [k for k in GROUP_KPIS if k in seen] + [k for k in seen if k not in GROUP_KPIS]


# --------------------------------------------------------------------------------------------
# Areas and the variant's verdict


@dataclass(frozen=True)
class Area:
    """A channel, a team or the journeys, with the differences that decide its verdict."""

    scope: str  # CHANNEL, GROUP, or RUN for the journeys
    name: str  # the channel or group name, or JOURNEYS
    differences: tuple[Difference, ...]

    @property
    def title(self) -> str:
        """How the sentence and tables name it: ``voice``, ``team voice_agents``, ``journeys``."""
        return f"team {self.name}" if self.scope == GROUP else self.name

    @property
    def better(self) -> list[Difference]:
        return [d for d in self.differences if d.verdict == BETTER]

    @property
    def worse(self) -> list[Difference]:
        return [d for d in self.differences if d.verdict == WORSE]

    @property
    def verdict(self) -> str:
        """Step 2: ``better``, ``worse``, ``mixed``, ``no significant difference``, or ``-``
        when none of its KPIs has a direction of "better"."""
        better, worse = bool(self.better), bool(self.worse)
        if better and worse:
            return MIXED
        if better or worse:
            return BETTER if better else WORSE
        directed = any(d.verdict != NEUTRAL for d in self.differences)
        return SAME if directed else NEUTRAL


def areas_of(differences: Sequence[Difference]) -> list[Area]:
    """Every channel, then every team, then the journeys (when there are journey KPIs)."""
    areas = []
    for scope in (CHANNEL, GROUP):
        names = list(dict.fromkeys(d.name for d in differences if d.scope == scope))
        areas += [
            Area(scope, name, tuple(d for d in differences if d.scope == scope and d.name == name))
            for name in names
        ]
    journeys = tuple(d for d in differences if d.scope == RUN and d.kpi.startswith("journey."))
    if journeys:
        areas.append(Area(RUN, JOURNEYS, journeys))
    return areas


def variant_verdict(areas: Sequence[Area]) -> str:
    """Step 3: better, worse, trade-off, or no significant difference.

    A mixed area does not turn a better variant into a trade-off: with a dozen KPIs per area
    one often moves against the others for a good reason (more agents answer calls that would
    have been abandoned, and some of those customers call again), and the summary sentence
    names it. Only mixed areas and nothing else is a trade-off.
    """
    verdicts = {a.verdict for a in areas}
    better, worse = BETTER in verdicts, WORSE in verdicts
    if better and worse:
        return TRADE_OFF
    if better or worse:
        return BETTER if better else WORSE
    return TRADE_OFF if MIXED in verdicts else SAME


# --------------------------------------------------------------------------------------------
# The summary sentence


def summary_sentence(label: str, differences: Sequence[Difference]) -> str:
    """One line per variant: its verdict, the areas that changed, and what it costs.

    e.g. ``chat_first: trade-off: chat better (service level +21.0 pts [+19.8, +22.2], ...);
    voice worse (service level -8.5 pts [-9.6, -7.4], abandonment +3.4 pts [+2.9, +3.9])``.
    Better areas come first, then mixed, then worse; each names its significant KPIs, at most
    :data:`SENTENCE_KPIS_PER_AREA`, in :data:`SENTENCE` order.
    """
    areas = areas_of(differences)
    order = {BETTER: 0, MIXED: 1, WORSE: 2}
    changed = sorted((a for a in areas if a.verdict in order), key=lambda a: order[a.verdict])
    sentence = f"{label}: {variant_verdict(areas)}"
    if changed:
        sentence += ": " + "; ".join(_area_clause(a) for a in changed)
    money = _cost_clause(differences)
    return sentence + (f"; {money}" if money else "")


def _area_clause(area: Area) -> str:
    if area.verdict == MIXED:
        better = ", ".join(_kpi_phrase(d) for d in _shown(area.better))
        worse = ", ".join(_kpi_phrase(d) for d in _shown(area.worse))
        return f"{area.title} mixed (better: {better}; worse: {worse})"
    shown = _shown(area.better or area.worse)
    return f"{area.title} {area.verdict} ({', '.join(_kpi_phrase(d) for d in shown)})"


def _shown(differences: Sequence[Difference]) -> list[Difference]:
    preference = list(SENTENCE)
    ranked = sorted(
        differences, key=lambda d: preference.index(d.kpi) if d.kpi in SENTENCE else len(SENTENCE)
    )
    return ranked[:SENTENCE_KPIS_PER_AREA]


def _kpi_phrase(d: Difference) -> str:
    label, style = SENTENCE.get(d.kpi) or (d.leaf.removesuffix("_s").replace("_", " "), "")
    return f"{label} {say_difference(d, style or style_of(d.kpi))}"


def _cost_clause(differences: Sequence[Difference]) -> str:
    by_kpi = {d.kpi: d for d in differences if d.scope == RUN}
    parts = []
    for kpi, label in COST_HEADLINE:
        d = by_kpi.get(kpi)
        if d is None or math.isnan(d.difference.mean):
            continue
        if d.base.mean == 0 and d.variant.mean == 0:
            continue  # the scenarios have no costs block
        if d.difference.mean == 0 and d.difference.ci_low == d.difference.ci_high:
            parts.append(f"{label} unchanged")  # the same in every replication
            continue
        parts.append(f"{label} {say_difference(d, 'money')}")
    return ", ".join(parts)


def style_of(kpi: str) -> str:
    """How a KPI's change is said: in points, relative, as a time, as money, or as is."""
    leaf = kpi.rsplit(".", 1)[-1]
    if kpi.startswith("costs."):
        return "money"
    if leaf.endswith(SHARE_SUFFIXES):
        return "points"
    if leaf == "repeats_per_100":
        return "relative"
    if leaf.endswith("_s"):
        return "time"
    return "absolute"


def say_difference(d: Difference, style: str) -> str:
    """``-8.5 pts [-9.6, -7.4]``, ``-100.0 % [-100.0, -100.0]``, ``+12.3 s [+9.9, +14.7]``,
    ``+1h2m [+55m, +1h9m]``, ``-9,018 per run [-9,767, -8,268]``."""
    if style == "relative" and d.relative is not None and not math.isnan(d.relative.mean):
        return _signed(d.relative, " %", 1.0)
    if style == "points":
        return _signed(d.difference, " pts", 100.0)
    if style == "money":
        e = d.difference
        ci = "" if math.isnan(e.ci_low) else f" [{e.ci_low:+,.0f}, {e.ci_high:+,.0f}]"
        return f"{e.mean:+,.0f} per run{ci}"
    if style == "time":
        return signed_time(d.difference)
    return _signed(d.difference, "", 1.0)


def _signed(e: Estimate, unit: str, scale: float) -> str:
    """``-8.5 pts [-9.6, -7.4]``; two decimals when every figure is below 0.1, so that a small
    but significant change (churn -0.02 pts) does not read as ``-0.0``."""
    values = [scale * v for v in (e.mean, e.ci_low, e.ci_high) if not math.isnan(v)]
    digits = 2 if values and 0 < max(abs(v) for v in values) < 0.1 else 1
    ci = (
        ""
        if math.isnan(e.ci_low)
        else f" [{scale * e.ci_low:+.{digits}f}, {scale * e.ci_high:+.{digits}f}]"
    )
    return f"{scale * e.mean:+.{digits}f}{unit}{ci}"


def signed_time(e: Estimate) -> str:
    """A change of a wait: seconds with a decimal when short, ``+1h2m`` when long."""
    values = [e.mean] if math.isnan(e.ci_low) else [e.mean, e.ci_low, e.ci_high]
    if max(abs(v) for v in values) < 120:
        return _signed(e, " s", 1.0)
    shown = [_signed_duration(v) for v in values]
    return shown[0] + (f" [{shown[1]}, {shown[2]}]" if len(shown) == 3 else "")


def _signed_duration(seconds: float) -> str:
    sign = "-" if seconds < 0 else "+"
    return sign + format_duration(round(abs(seconds)))
