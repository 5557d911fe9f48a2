"""How a comparison is shown: a results document, a markdown table and a terminal table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from simulator import __version__
from simulator.experiment.compare import Comparison, Difference
from simulator.report.text import fmt

LABELS = {
    "overall.service_level": "service level",
    "overall.abandon_rate": "abandonment rate",
    "overall.asa_s": "ASA",
    "overall.mean_wait_s": "mean wait",
    "overall.wait_p90_s": "90th percentile wait",
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
    "costs.churn": "value lost to churn",
    "costs.total": "total cost",
    "costs.per_resolved_customer": "cost per resolved customer",
}

EXPLANATION = (
    "Differences are variant - base, paired by replication: replication r of every scenario "
    "sees the same customers (common random numbers). Intervals are 95 % Student t intervals "
    "of the paired differences. 'variance ratio' is the variance of the paired differences "
    "over that of two independent runs (var(base) + var(variant)): below 1, pairing made the "
    "comparison sharper."
)


def _leaf(d: Difference) -> str:
    return d.kpi.rsplit(".", 1)[-1]


def _value(d: Difference, x: float) -> str:
    return fmt(_leaf(d), x)


def _delta(d: Difference) -> str:
    e = d.difference
    kpi = _leaf(d)
    rate = kpi.endswith(("_rate", "level", "fcr", "occupancy", "share_angry_or_worse"))
    if rate:

        def show(x: float) -> str:
            return f"{100 * x:+.1f} pts"
    elif kpi.endswith("_s"):

        def show(x: float) -> str:
            return f"{x:+.1f}s"
    else:

        def show(x: float) -> str:
            return f"{x:+,.2f}" if abs(x) < 100 else f"{x:+,.0f}"

    if math.isnan(e.mean):
        return "-"
    if math.isnan(e.ci_low):
        return show(e.mean)
    return f"{show(e.mean)} [{show(e.ci_low)}, {show(e.ci_high)}]"


def _ratio(d: Difference) -> str:
    return "-" if math.isnan(d.variance_ratio) else f"{d.variance_ratio:.2f}"


def comparison_document(c: Comparison) -> dict[str, Any]:
    return {
        "cxsim_version": __version__,
        "base": c.base.scenario.name,
        "seed": c.base.seed,
        "replications": c.base.replications,
        "explanation": EXPLANATION,
        "auto_replications": c.precision.as_dict() if c.precision else None,
        "variants": {
            name: {
                "scenario": result.scenario.name,
                "summary": c.summary(name),
                "kpis": {d.kpi: d.as_dict() for d in c.differences[name]},
            }
            for name, result in c.variants.items()
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


def kpi_rows(c: Comparison, name: str) -> list[list[str]]:
    """One row of formatted cells per KPI, in :data:`HEADER` order (text, markdown, HTML)."""
    return [
        [
            LABELS.get(d.kpi, d.kpi),
            _value(d, d.base.mean),
            _value(d, d.variant.mean),
            _delta(d),
            d.verdict,
            _ratio(d),
        ]
        for d in c.differences[name]
    ]


HEADER = ["KPI", "base", "variant", "difference [95% CI]", "verdict", "variance ratio"]


def comparison_markdown(c: Comparison, plots: Sequence[str] = ()) -> str:
    """The comparison in markdown; ``plots`` are chart file names beside the .md (``--html``),
    shown with their captions, so the markdown tells the same story as comparison.html."""
    lines = [
        f"# {c.base.scenario.name}: what-if comparison",
        "",
        f"Seed {c.base.seed}, {c.base.replications} paired replications per scenario.",
        "",
    ]
    if c.precision:
        lines += [precision_sentence(c), ""]
    if plots:
        lines += _markdown_charts(c, plots)
    for name in c.variants:
        lines += [f"## {name}", "", c.summary(name), ""]
        lines.append("| " + " | ".join(HEADER) + " |")
        lines.append("|" + "---|" * len(HEADER))
        for row in kpi_rows(c, name):
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    lines += [EXPLANATION, ""]
    return "\n".join(lines)


def _markdown_charts(c: Comparison, plots: Sequence[str]) -> list[str]:
    """The summary sentences and the charts, as in comparison.html (images by relative path)."""
    from simulator.report.comparison_plots import CAPTIONS, COSTS_PNG, NO_COSTS

    lines = ["## Summary", ""]
    lines += [f"- {c.summary(name)}" for name in c.variants]
    lines.append("")
    for name in plots:
        title, text = CAPTIONS.get(name, (name, ""))
        lines += [f"## {title}", "", f"![{title}]({quote(name)})", "", text, ""]
    if COSTS_PNG not in plots:
        lines += ["## Costs", "", NO_COSTS, ""]
    return lines


def comparison_text(c: Comparison, outputs: list[str] | None = None) -> str:
    lines = [
        f"{c.base.scenario.name}: base vs {len(c.variants)} variant(s), "
        f"{c.base.replications} paired replications, seed {c.base.seed}",
    ]
    if c.precision:
        lines.append("  " + precision_sentence(c))
    for name in c.variants:
        rows = [HEADER, *kpi_rows(c, name)]
        widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
        lines += ["", f"  {c.summary(name)}", ""]
        for row in rows:
            cells = [row[0].ljust(widths[0])] + [
                row[i].rjust(widths[i]) if i < 4 else row[i].ljust(widths[i])
                for i in range(1, len(row))
            ]
            lines.append("  " + "  ".join(cells).rstrip())
    lines += ["", "  " + EXPLANATION]
    if outputs:
        lines += ["", "  Wrote " + ", ".join(outputs)]
    return "\n".join(lines) + "\n"
