"""The comparison report: one self-contained HTML page for a what-if comparison.

``cxsim compare ... --html`` writes ``comparison.html`` beside ``comparison.json`` and
``comparison.md``. The page is built like the single-run report (:mod:`simulator.report.html`):
the same skeleton, style and Content-Security-Policy, plots embedded as ``data:`` PNGs, nothing
loaded from anywhere, so it can be mailed or archived and look the same offline. It shows:

* every variant's verdict (better, worse, trade-off, no significant difference), its summary
  sentence and the verdict of each channel, team and the journeys, and how
  ``--replications auto`` ended when it was used;
* the same customers in two designs, side by side: the base's worst journeys and how those
  customers fared in each variant, and each variant's worst and how it went in the base
  (recorded during the comparison's own runs:
  :class:`~simulator.observe.same_customers.SameCustomers`);
* the charts of :mod:`simulator.report.comparison_plots` (journeys, one row per channel, teams,
  frustration distributions, costs, or a sentence saying that the scenarios have no costs);
* the verdicts by area, then one section per channel, per team, for the journeys, for all
  channels together and for the costs: a table per section, KPI by KPI, base then variants;
* how to read paired confidence intervals and the verdict rule, the seed and the replications.

Scenario, variant, channel and team names are user input and are HTML-escaped everywhere.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from simulator import __version__
from simulator.experiment.compare import (
    BETTER,
    MIXED,
    NEUTRAL,
    SAME,
    TRADE_OFF,
    WORSE,
    Comparison,
)
from simulator.observe.same_customers import Pair
from simulator.report.comparison import (
    CAPTIONS,
    CHANNELS_PNG,
    COSTS_PNG,
    EXPLANATION,
    FRUSTRATION_PNG,
    HEADER,
    HEADLINE_PNG,
    NO_COSTS,
    TEAMS_PNG,
    VERDICT_RULE,
    Section,
    precision_sentence,
    sections,
    verdict_grid,
)
from simulator.report.comparison_plots import comparison_plots, write_comparison_plots
from simulator.report.files import write_atomic
from simulator.report.html import CSS, PAGE, plot_figures
from simulator.report.story.page import STORY_CSS
from simulator.report.story.pair import render_pair_html
from simulator.report.story.words import intent_words, segment_words

__all__ = ["COMPARISON_HTML", "render_comparison", "write_comparison_html"]

COMPARISON_HTML = "comparison.html"

#: CSS class of each verdict in the tables and chips.
VERDICT_CLASSES = {
    BETTER: "better",
    WORSE: "worse",
    SAME: "same",
    TRADE_OFF: "mixed",
    MIXED: "mixed",
}

#: Styles the comparison page adds to the single-run report's.
EXTRA_CSS = """
.variants { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
  gap: 12px; }
.variant { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 12px 14px; border-top: 4px solid var(--accent); }
.variant h3 { margin-bottom: 4px; }
.variant p { margin: 4px 0; }
.chips { display: flex; gap: 6px; flex-wrap: wrap; font-size: 12px; }
.verdict { font-weight: 600; white-space: nowrap; }
td.verdict, th.verdict { text-align: left; }
.verdict.better { color: #2b7a37; } td.verdict.better { background: #e6f4e8; }
.verdict.worse { color: #b42323; } td.verdict.worse { background: #fbe9e9; }
.verdict.mixed { color: #8a5a00; } td.verdict.mixed { background: #fdf3dc; }
.verdict.same { color: var(--muted); font-weight: 500; }
span.verdict { padding: 1px 8px; border-radius: 999px; background: #eef1f5; }
span.verdict.better { background: #e6f4e8; } span.verdict.worse { background: #fbe9e9; }
span.verdict.mixed { background: #fdf3dc; }
.kpi-compare { margin-bottom: 22px; }
.kpi-compare td:nth-child(4), .kpi-compare td:nth-child(5) { white-space: nowrap; }
.kpi-compare tr.kpi-start > * { border-top: 2px solid var(--line); }
p.note { color: var(--muted); font-size: 14px; }
details.pair-details { margin: 0 0 10px; }
details.pair-details > summary { cursor: pointer; padding: 8px 12px; background: var(--card);
  border: 1px solid var(--line); border-radius: 8px; font-weight: 600; }
details.pair-details[open] > summary { margin-bottom: 8px; }
table.grid th, table.grid td { text-align: left; }
@media (max-width: 640px) {
  .kpi-compare th, .kpi-compare td, table.grid th, table.grid td { padding: 4px 6px;
    font-size: 13px; }
}
"""

#: The chart sections of the page: (anchor, title, chart file name).
CHART_SECTIONS = (
    ("journeys-chart", "Journey chart", HEADLINE_PNG),
    ("channels-chart", "Channel chart", CHANNELS_PNG),
    ("teams-chart", "Team chart", TEAMS_PNG),
    ("frustration", "Frustration", FRUSTRATION_PNG),
)


def render_comparison(
    c: Comparison,
    plots: Mapping[str, bytes],
    pairs: Mapping[str, Sequence[Pair]] | None = None,
) -> str:
    """The comparison page as one HTML string (UTF-8, no external resources).

    ``pairs`` are the same customers in the base and each variant (by variant label), as
    :meth:`~simulator.observe.same_customers.SameCustomers.pairs` gives them; none: no section.
    """
    base = c.base.scenario
    charts = [
        _section(anchor, title, _figures(plots, name))
        for anchor, title, name in CHART_SECTIONS
        if name in plots or name != TEAMS_PNG
    ]
    charts.append(
        _section(
            "costs-chart",
            "Cost chart",
            _figures(plots, COSTS_PNG)
            if COSTS_PNG in plots
            else f'<p class="empty" data-testid="no-costs">{_e(NO_COSTS)}</p>',
        )
    )
    tables = sections(c)
    customers = (
        [_section("customers", "Same customer, two designs", _customers(c, pairs))]
        if pairs is not None
        else []
    )
    body = [
        _section("summary", "What changes", _summary(c)),
        _section("verdicts", "Verdicts by channel and team", _grid(c)),
        *customers,
        *charts,
        *(_section(s.anchor, s.title, _table(s)) for s in tables),
        _section("method", "How to read it", _method(c)),
    ]
    links = [("summary", "Summary"), ("verdicts", "Verdicts")]
    links += [("customers", "Customers")] if pairs is not None else []
    links += [(anchor, title) for anchor, title, name in CHART_SECTIONS if name in plots]
    links += [("costs-chart", "Cost chart")] if COSTS_PNG in plots else []
    links += [(s.anchor, s.title) for s in tables] + [("method", "Method")]
    nav = "".join(f'<a href="#{_e(anchor)}">{_e(label)}</a>' for anchor, label in links)
    return PAGE.format(
        kicker="cxsim what-if comparison",
        title=_e(f"{base.name}: what-if comparison - cxsim"),
        css=CSS + STORY_CSS + EXTRA_CSS,
        js="",
        scenario=_e(f"{base.name}: {c.base_label} vs {', '.join(c.variants)}"),
        description=_e(base.description or ""),
        meta=_meta(c),
        nav=nav,
        body="\n".join(body),
        footer=_footer(c),
    )


def write_comparison_html(
    out: str | Path,
    c: Comparison,
    plots: Mapping[str, bytes] | None = None,
    pairs: Mapping[str, Sequence[Pair]] | None = None,
) -> list[Path]:
    """Write the PNG charts and ``comparison.html`` atomically into ``out``; return the paths.

    ``plots`` are drawn now unless given (the CLI draws them once for the page and the
    markdown); ``pairs`` as :func:`render_comparison` takes them.
    """
    plots = comparison_plots(c) if plots is None else plots
    written = write_comparison_plots(c, out, plots)
    page = render_comparison(c, plots, pairs)
    written.append(write_atomic(Path(out) / COMPARISON_HTML, page))
    return written


# --------------------------------------------------------------------------------------------
# Sections


def _meta(c: Comparison) -> str:
    parts = [
        f"seed <b>{_e(c.base.seed)}</b>",
        f"<b>{_e(c.base.replications)}</b> paired replications per scenario",
        f"{len(c.variants)} variant{'s' if len(c.variants) != 1 else ''}",
        f"cxsim {_e(__version__)}",
    ]
    return " &middot; ".join(parts)


def _chip(verdict: str, text: str | None = None) -> str:
    css = VERDICT_CLASSES.get(verdict, "")
    return f'<span class="verdict {css}">{_e(text if text is not None else verdict)}</span>'


def _summary(c: Comparison) -> str:
    cards = []
    for name in c.variants:
        verdict = c.verdict(name)
        areas = "".join(
            _chip(a.verdict, f"{a.title}: {a.verdict}") for a in c.areas(name) if a.verdict != "-"
        )
        cards.append(
            f'<div class="variant" data-testid="summary-variant" data-variant="{_e(name)}">'
            f"<h3>{_e(name)}</h3>"
            f'<p data-testid="variant-verdict">{_chip(verdict)}</p>'
            f'<p class="sentence">{_e(c.summary(name))}</p>'
            f'<p class="chips">{areas}</p></div>'
        )
    precision = (
        f'<p class="note" data-testid="precision">{_e(precision_sentence(c))}</p>'
        if c.precision
        else ""
    )
    return (
        f'<p class="note">Each variant against the base <b>{_e(c.base_label)}</b>, '
        "with the same customers: differences with their paired 95 % confidence intervals "
        "(rates in percentage points, repeats in percent of the base, costs per run), channel "
        "by channel and team by team.</p>"
        f'<div class="variants">{"".join(cards)}</div>{precision}'
    )


def _grid(c: Comparison) -> str:
    head, *rows = verdict_grid(c)
    header = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join(
        f"<tr><th>{_e(area)}</th>"
        + "".join(
            f'<td class="verdict {VERDICT_CLASSES.get(v, "")}">{_e(v)}</td>' for v in verdicts
        )
        + "</tr>"
        for area, *verdicts in rows
    )
    return (
        '<div class="scroll"><table class="kpi-compare grid" data-testid="verdict-grid">'
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _customers(c: Comparison, pairs: Mapping[str, Sequence[Pair]]) -> str:
    """Each variant's same-customer pairs, the first one open, the others one click away."""
    intro = (
        '<p class="note">The same person (same arrival, need and patience) in the base '
        f"<b>{_e(c.base_label)}</b> and in each variant: the base's worst journeys and how they "
        "go in the variant, then the variant's worst and how it went in the base. Replication "
        "0 of the comparison's own runs.</p>"
    )
    blocks = []
    for label in c.variants:
        found = pairs.get(label) or []
        if len(c.variants) > 1:
            blocks.append(f"<h3>{_e(label)}</h3>")
        if not found:
            blocks.append(
                f'<p class="empty" data-testid="no-pairs">No customer of {_e(c.base_label)} could '
                f"be followed into {_e(label)}: the two do not see the same customers (another "
                "demand), or the worst ones had not finished in the other design.</p>"
            )
            continue
        for i, (a, b, worst_in) in enumerate(found):
            r = a.record
            who = f"{segment_words(r.segment)}, about {intent_words(r.intent)}"
            rank = sum(1 for other in found[:i] if other.worst_in == worst_in)
            worst = ("the worst", "the second worst", "the third worst")[min(rank, 2)]
            why = f"{worst} in {c.base_label if worst_in == 'base' else label}"
            blocks.append(
                f'<details class="pair-details"{" open" if i == 0 else ""}>'
                f"<summary>Customer {_e(r.cid)}, {_e(why)} ({_e(who)}): peak frustration "
                f"{a.record.peak_frustration:.0f} in {_e(c.base_label)}, "
                f"{b.record.peak_frustration:.0f} in {_e(label)}</summary>"
                f"{render_pair_html(a, b, (c.base_label, label), heading=None)}</details>"
            )
    return intro + "".join(blocks)


def _figures(plots: Mapping[str, bytes], name: str) -> str:
    if name not in plots:
        return '<p class="empty">This chart was not drawn.</p>'
    return plot_figures({name: plots[name]}, CAPTIONS)


def _table(section: Section) -> str:
    """One section: the KPI label spans the base row and the variants' rows beneath it."""
    head = "".join(
        f'<th class="{"verdict" if h == "verdict" else ""}">{_e(h)}</th>' for h in HEADER
    )
    per_kpi = 1 + (len(section.rows) // section.kpis - 1 if section.kpis else 0)
    body = []
    for row in section.rows:
        cells = [row.scenario, row.mean, row.difference, row.verdict, row.variance_ratio]
        tds = "".join(
            f'<td class="verdict {VERDICT_CLASSES.get(cell, "")}">{_e(cell)}</td>'
            if i == 3
            else f"<td>{_e(cell)}</td>"
            for i, cell in enumerate(cells)
        )
        if row.first:
            label = f'<th rowspan="{per_kpi}">{_e(row.kpi)}</th>'
            body.append(f'<tr class="kpi-start" data-kpi="{_e(row.kpi)}">{label}{tds}</tr>')
        else:
            variant = _e(row.scenario)
            body.append(f'<tr data-kpi="{_e(row.kpi)}" data-variant="{variant}">{tds}</tr>')
    verdicts = "".join(
        _chip(v, f"{name}: {v}") for name, v in section.verdicts.items() if v != NEUTRAL
    )
    return (
        (f'<p class="chips">{verdicts}</p>' if verdicts else "")
        + '<div class="scroll"><table class="kpi-compare" data-testid="kpi-table" '
        f'data-section="{_e(section.anchor)}" aria-label="{_e(section.title)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _method(c: Comparison) -> str:
    return (
        f'<p data-testid="explanation">{_e(EXPLANATION)}</p>'
        f'<p data-testid="verdict-rule">{_e(VERDICT_RULE)}</p>'
        f"<p>Seed {_e(c.base.seed)}, {_e(c.base.replications)} paired replications per "
        f"scenario ({_e(c.base.replications * (1 + len(c.variants)))} simulated runs in all). "
        "The whiskers in the charts are each scenario's own 95 % confidence interval; the "
        "verdicts come from the paired differences, which are sharper, so overlapping "
        "whiskers can still hide a significant difference.</p>"
    )


def _footer(c: Comparison) -> str:
    return (
        "Reproduce these numbers: <code>cxsim compare FILE "
        f"-n {_e(c.base.replications)} --seed {_e(c.base.seed)} --html</code> with the same "
        "scenario files."
    )


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{_e(title)}</h2>{body}</section>'


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)
