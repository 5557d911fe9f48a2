"""How a comparison is shown: a results document, markdown and a terminal table.

Every view is cut into the same *sections*: one per channel, one per team (agent group), the
customer journeys, the rates for all channels together and the costs. A section is one table
whose rows go KPI by KPI, the base first and then each variant with its paired difference and
verdict, so a table stays readable with many variants and many channels. The HTML page
(:mod:`simulator.report.comparison_html`) renders the same sections.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from simulator import __version__
from simulator.experiment.compare import CHANNEL_HEADLINE, HEADLINE, Comparison
from simulator.experiment.stats import Estimate
from simulator.experiment.verdicts import (
    CHANNEL,
    COST_KPIS,
    GROUP,
    JOURNEYS,
    NEUTRAL,
    RUN,
    Difference,
    say_difference,
    signed_time,
    style_of,
)
from simulator.report.outcomes_text import OUTCOME_LABELS
from simulator.report.text import fmt

#: Row labels of the whole-run KPIs.
LABELS = {
    "overall.service_level": "service level",
    "overall.abandon_rate": "abandonment rate",
    "overall.blocked_rate": "blocked",
    "overall.occupancy": "occupancy",
    "journey.fcr": "first-contact resolution",
    "journey.resolution_rate": "resolved in the end",
    "journey.gave_up_rate": "gave up",
    "journey.contacts_per_resolution": "contacts per resolution",
    "journey.repeats_per_100": "repeats per 100",
    "journey.transfers_per_100": "transfers per 100",
    "journey.switches_per_100": "switches per 100",
    "journey.mean_time_to_resolution_s": "time to resolution",
    "journey.frustration.mean_final": "final frustration",
    "journey.frustration.share_angry_or_worse": "ending angry or worse",
    "journey.churn_rate": "expected churn",
    "journey.nps": "NPS (model)",
    "journey.effort": "effort (1-7)",
    "journey.word_of_mouth_reach": "people told",
    "costs.operating": "operating cost",
    "costs.agents": "agents (scheduled hours)",
    "costs.overtime": "overtime",
    "costs.bots": "bot sessions",
    "costs.platform": "platform",
    "costs.operating_per_resolved_customer": "operating cost per resolved customer",
    "costs.value_at_risk": "customer value at risk (model)",
    "costs.churn_above_base": "churn above base x lifetime value",
    "costs.word_of_mouth": "word of mouth",
    **OUTCOME_LABELS,
}
#: Row labels of the KPIs of a channel and of a team.
CHANNEL_LABELS = {
    "service_level": "service level",
    "abandon_rate": "abandonment rate",
    "asa_s": "ASA",
    "mean_wait_s": "mean wait",
    "wait_p90_s": "90th percentile wait",
    "blocked_rate": "blocked",
}
GROUP_LABELS = {
    "occupancy": "occupancy",
    "answered": "answered",
    "mean_handle_time_s": "mean handle time",
    "staffed_slot_hours": "staffed slot hours",
    "busy_slot_hours": "busy slot hours",
    "overtime_hours": "overtime hours",
}

EXPLANATION = (
    "Differences are variant - base, paired by replication: replication r of every scenario "
    "sees the same customers (common random numbers). Intervals are 95 % Student t intervals "
    "of the paired differences. 'variance ratio' is the variance of the paired differences "
    "over that of two independent runs (var(base) + var(variant)): below 1, pairing made the "
    "comparison sharper."
)
VERDICT_RULE = (
    "A KPI is better or worse when the 95 % interval of its paired difference excludes 0 "
    "(in its direction of better; '-' for KPIs without one, such as occupancy). A channel, a "
    "team or the journeys are better when some of their KPIs are better and none worse, worse "
    "the other way round, mixed with both. A variant is a trade-off when one of them is better "
    "and another worse; better when some are better and none worse (a mixed one is named in "
    "the summary); worse the other way round. The rates for all channels together and the "
    "costs have verdicts of their own but do not decide the variant's: a blend hides the "
    "trade-off it averages, and money is stated beside the verdict."
)

#: The charts of ``--html`` (drawn by :mod:`simulator.report.comparison_plots`), by file name.
HEADLINE_PNG = "headline_kpis.png"
CHANNELS_PNG = "channels.png"
TEAMS_PNG = "teams.png"
FRUSTRATION_PNG = "frustration.png"
COSTS_PNG = "costs.png"

_WHISKERS = (
    "Mean per replication of the base and each variant, with 95 % CI whiskers. Over each "
    "variant: its paired difference from the base, green when better, red when worse, grey "
    "when not significant. Paired differences are sharper than the whiskers suggest: every "
    "scenario sees the same customers."
)
#: Caption of each chart, by file name: (title, text). Shared by the HTML and markdown reports.
CAPTIONS = {
    HEADLINE_PNG: ("Customer journeys", _WHISKERS),
    CHANNELS_PNG: (
        "Per channel",
        "One row per channel: its service level (against the channel's own threshold), "
        "abandonment and ASA. " + _WHISKERS + " Waits are never averaged across channels.",
    ),
    TEAMS_PNG: (
        "Per team",
        "The occupancy of each agent group (busy over staffed time). Occupancy has no "
        "direction of better, so its differences are grey: read it beside the channels the "
        "team serves.",
    ),
    FRUSTRATION_PNG: (
        "Frustration of customers",
        "Share of customers per 10-point band of frustration (0-100): where they "
        "ended (final) and the worst they felt during their journey (peak). The shaded area is "
        "angry or worse; the legend gives each scenario's share there. The vertical axis is "
        "square-root scaled so that the few angry customers stay visible beside the calm "
        "majority.",
    ),
    COSTS_PNG: (
        "Costs per run",
        "Top: the operating cost (what the center pays); bottom: the customer value at risk "
        "(churn above each segment's base and word of mouth: a model's estimate). The two are "
        "never added. Left: per run, by component, with the 95 % CI of the sum. Right: the "
        "change against the base, paired, with its 95 % CI.",
    ),
}

#: Said instead of the costs chart when no scenario prices anything.
NO_COSTS = (
    "No cost breakdown: none of the compared scenarios has a costs block "
    "(add one to price agents, bots, the platform and lost customers)."
)

#: Columns of every section table.
HEADER = ["KPI", "scenario", "mean", "difference [95% CI]", "verdict", "variance ratio"]
#: The KPIs of the headline tables (terminal): the charted ones.
HEADLINE_KPIS = {
    RUN: {kpi for kpi, _, _ in HEADLINE},
    CHANNEL: set(CHANNEL_HEADLINE),
    GROUP: {"occupancy", "overtime_hours"},
}


@dataclass(frozen=True)
class Row:
    """One line of a section table: the base or one variant, for one KPI."""

    kpi: str  # the KPI's label
    scenario: str  # the base's or the variant's label
    mean: str
    difference: str  # "" on the base row
    verdict: str  # "" on the base row
    variance_ratio: str  # "" on the base row
    first: bool  # the base row, which opens the KPI's rows

    @property
    def cells(self) -> list[str]:
        label = self.kpi if self.first else ""
        return [label, self.scenario, self.mean, self.difference, self.verdict, self.variance_ratio]


@dataclass(frozen=True)
class Section:
    """One table: a channel, a team, the journeys, all channels together, or the costs."""

    anchor: str  # HTML id, e.g. "channel-voice"
    title: str  # e.g. "Channel voice"
    rows: tuple[Row, ...]
    verdicts: dict[str, str]  # the area's verdict per variant; empty when it has none
    kpis: int  # how many KPIs the rows cover


def sections(c: Comparison, headline: bool = False) -> list[Section]:
    """The comparison cut into sections, channels first; ``headline`` keeps the charted KPIs."""
    verdicts = {name: {(a.scope, a.name): a.verdict for a in c.areas(name)} for name in c.variants}
    parts: list[tuple[str, str, str, str, str]] = [
        *((CHANNEL, n, f"channel-{n}", f"Channel {n}", n) for n in c.names(CHANNEL)),
        *((GROUP, n, f"team-{n}", f"Team {n}", n) for n in c.names(GROUP)),
        (RUN, "journey.", "journeys", "Customer journeys", JOURNEYS),
        (RUN, "overall.", "all-channels", "All channels together", ""),
        (RUN, "costs.", "costs", "Costs", ""),
    ]
    found = []
    for scope, within, anchor, title, area in parts:
        area_scope = RUN if scope == RUN else scope
        section = _section(c, scope, within, anchor, title, headline)
        if section is None:
            continue
        by_variant = {
            name: verdicts[name][(area_scope, area)]
            for name in c.variants
            if area and (area_scope, area) in verdicts[name]
        }
        found.append(Section(section.anchor, section.title, section.rows, by_variant, section.kpis))
    return found


def _section(
    c: Comparison, scope: str, within: str, anchor: str, title: str, headline: bool
) -> Section | None:
    """The rows of one scope (``within`` is a channel or group, or a whole-run prefix)."""
    per_variant: dict[str, dict[str, Difference]] = {}
    for name in c.variants:
        if scope == RUN:
            chosen = [d for d in c.scoped(name, RUN) if d.kpi.startswith(within)]
        else:
            chosen = c.scoped(name, scope, within)
        per_variant[name] = {d.kpi: d for d in chosen}
    kpis = list(dict.fromkeys(k for ds in per_variant.values() for k in ds))
    if headline:
        kpis = [k for k in kpis if k in HEADLINE_KPIS[scope]]
    if not kpis or (within == "costs." and not _priced(per_variant)):
        return None
    rows: list[Row] = []
    for kpi in kpis:
        base = next(ds[kpi] for ds in per_variant.values() if kpi in ds)
        label = kpi_label(kpi, scope)
        rows.append(Row(label, c.base_label, _value(base, base.base), "", "", "", True))
        for name, ds in per_variant.items():
            d = ds.get(kpi)
            if d is None:
                rows.append(Row(label, name, "-", "-", "-", "-", False))
                continue
            ratio = "-" if math.isnan(d.variance_ratio) else f"{d.variance_ratio:.2f}"
            rows.append(
                Row(label, name, _value(d, d.variant), table_difference(d), d.verdict, ratio, False)
            )
    if headline and all(row.mean == "-" for row in rows):
        return None  # nothing happened there (a channel nobody used): not worth a table
    return Section(anchor, title, tuple(rows), {}, len(kpis))


def _priced(per_variant: dict[str, dict[str, Difference]]) -> bool:
    """Whether any scenario has a non-zero cost (else the costs section is left out)."""
    return any(
        d.base.mean or d.variant.mean
        for ds in per_variant.values()
        for d in ds.values()
        if d.kpi in COST_KPIS
    )


def kpi_label(kpi: str, scope: str = RUN) -> str:
    table = {RUN: LABELS, CHANNEL: CHANNEL_LABELS, GROUP: GROUP_LABELS}[scope]
    return table.get(kpi) or kpi.rsplit(".", 1)[-1].replace("_", " ")


def _value(d: Difference, e: Estimate) -> str:
    if d.kpi.startswith("costs."):
        return "-" if math.isnan(e.mean) else f"{e.mean:,.0f}"
    return fmt(d.leaf, e.mean)


def table_difference(d: Difference) -> str:
    """The paired difference with its interval, in the KPI's unit (rates in points)."""
    e = d.difference
    if math.isnan(e.mean):
        return "-"
    style = style_of(d.kpi)
    if style in ("points", "time"):
        return say_difference(d, style) if style == "points" else signed_time(e)
    digits = ",.0f" if d.kpi.startswith("costs.") or abs(e.mean) >= 100 else ",.2f"
    shown = f"{e.mean:+{digits}}"
    if math.isnan(e.ci_low):
        return shown
    return f"{shown} [{e.ci_low:+{digits}}, {e.ci_high:+{digits}}]"


# --------------------------------------------------------------------------------------------
# The document


def comparison_document(c: Comparison) -> dict[str, Any]:
    """``comparison.json``: per variant its verdict, sentence, areas and every difference."""
    return {
        "cxsim_version": __version__,
        "base": c.base.scenario.name,
        "base_label": c.base_label,
        "seed": c.base.seed,
        "replications": c.base.replications,
        "explanation": EXPLANATION,
        "verdict_rule": VERDICT_RULE,
        "auto_replications": c.precision.as_dict() if c.precision else None,
        "variants": {name: _variant_document(c, name) for name in c.variants},
    }


def _variant_document(c: Comparison, name: str) -> dict[str, Any]:
    areas = c.areas(name)
    return {
        "scenario": c.variants[name].scenario.name,
        "verdict": c.verdict(name),
        "summary": c.summary(name),
        "areas": {
            "channels": {a.name: a.verdict for a in areas if a.scope == CHANNEL},
            "teams": {a.name: a.verdict for a in areas if a.scope == GROUP},
            "journeys": next((a.verdict for a in areas if a.name == JOURNEYS), None),
        },
        "kpis": {d.kpi: d.as_dict() for d in c.scoped(name, RUN)},
        "by_channel": {
            channel: {d.kpi: d.as_dict() for d in c.scoped(name, CHANNEL, channel)}
            for channel in c.names(CHANNEL)
        },
        "by_group": {
            group: {d.kpi: d.as_dict() for d in c.scoped(name, GROUP, group)}
            for group in c.names(GROUP)
        },
    }


def precision_sentence(c: Comparison) -> str:
    """How ``--replications auto`` ended, in one sentence."""
    p = c.precision
    assert p is not None
    if p.reached:
        return (
            f"--replications auto: {p.replications} replications made every headline "
            f"difference precise enough (widest: {p.widest}, {p.ratio:.0%} of its target)."
        )
    return (
        f"--replications auto: stopped at the maximum of {p.replications} replications; "
        f"{p.widest} is still {p.ratio:.1f}x wider than its target."
    )


def verdict_grid(c: Comparison) -> list[list[str]]:
    """Rows ``[area, verdict per variant...]``: the variant's verdict, then every area's that
    has one (teams whose KPIs have no direction of better are left to their tables)."""
    names = list(c.variants)
    rows = [["", *names], ["overall verdict", *(c.verdict(n) for n in names)]]
    areas = {n: {a.title: a.verdict for a in c.areas(n)} for n in names}
    titles = list(dict.fromkeys(t for n in names for t in areas[n]))
    for title in titles:
        verdicts = [areas[n].get(title, NEUTRAL) for n in names]
        if any(v != NEUTRAL for v in verdicts):
            rows.append([title, *verdicts])
    return rows


# --------------------------------------------------------------------------------------------
# Markdown


def comparison_markdown(c: Comparison, plots: Sequence[str] = ()) -> str:
    """The comparison in markdown; ``plots`` are chart file names beside the .md (``--html``),
    shown with their captions, so the markdown tells the same story as comparison.html."""
    lines = [
        f"# {c.base.scenario.name}: what-if comparison",
        "",
        f"Base: {c.base_label}. Seed {c.base.seed}, {c.base.replications} paired replications "
        "per scenario.",
        "",
    ]
    if c.precision:
        lines += [precision_sentence(c), ""]
    lines += ["## Summary", ""]
    lines += [f"- {c.summary(name)}" for name in c.variants]
    lines += ["", *_markdown_table(verdict_grid(c)), ""]
    if plots:
        lines += _markdown_charts(plots)
    for section in sections(c):
        lines += [f"## {section.title}", ""]
        said = [f"{name}: **{v}**" for name, v in section.verdicts.items() if v != NEUTRAL]
        if said:
            lines += ["; ".join(said), ""]
        lines += _markdown_table([HEADER, *(row.cells for row in section.rows)])
        lines.append("")
    lines += [EXPLANATION, "", VERDICT_RULE, ""]
    return "\n".join(lines)


def _markdown_table(rows: Sequence[Sequence[str]]) -> list[str]:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return [line(rows[0]), "|" + "---|" * len(rows[0]), *(line(r) for r in rows[1:])]


def _markdown_charts(plots: Sequence[str]) -> list[str]:
    """The charts, as in comparison.html (images by relative path)."""
    lines = []
    for name in plots:
        title, text = CAPTIONS.get(name, (name, ""))
        lines += [f"## {title}", "", f"![{title}]({quote(name)})", "", text, ""]
    if COSTS_PNG not in plots:
        lines += ["## Costs", "", NO_COSTS, ""]
    return lines


# --------------------------------------------------------------------------------------------
# The terminal


def comparison_text(c: Comparison, outputs: list[str] | None = None) -> str:
    """What ``cxsim compare`` prints: the sentences, the verdicts by area, the headline KPIs."""
    lines = [
        f"{c.base.scenario.name}: base {c.base_label} vs {len(c.variants)} variant(s), "
        f"{c.base.replications} paired replications, seed {c.base.seed}",
    ]
    if c.precision:
        lines.append("  " + precision_sentence(c))
    lines.append("")
    for name in c.variants:
        lines += textwrap.wrap(c.summary(name), TEXT_WIDTH, initial_indent="  ", **_HANGING)
    lines += ["", *_aligned(verdict_grid(c), right=0)]
    for section in sections(c, headline=True):
        rows = [[section.title, *HEADER[1:5]], *(row.cells[:5] for row in section.rows)]
        lines += ["", *_aligned(rows, right=4)]
    lines += ["", "  Every KPI, with variance ratios: comparison.md and comparison.json.", ""]
    for paragraph in (EXPLANATION, VERDICT_RULE):
        lines += textwrap.wrap(paragraph, TEXT_WIDTH, initial_indent="  ", subsequent_indent="  ")
    if outputs:
        lines += ["", "  Wrote " + ", ".join(outputs)]
    return "\n".join(lines) + "\n"


#: Width of the terminal's wrapped sentences, and their hanging indent.
TEXT_WIDTH = 100
_HANGING = {"subsequent_indent": "      ", "break_on_hyphens": False}


def _aligned(rows: Sequence[Sequence[str]], right: int) -> list[str]:
    """Columns padded to their widest cell; columns 2 .. ``right``-1 are right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if 2 <= i < right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        out.append("  " + "  ".join(cells).rstrip())
    return out
