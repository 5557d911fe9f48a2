"""The comparison report: one self-contained HTML page for a what-if comparison.

``cxsim compare ... --html`` writes ``comparison.html`` beside ``comparison.json`` and
``comparison.md``. The page is built like the single-run report (:mod:`simulator.report.html`):
the same skeleton, style and Content-Security-Policy, plots embedded as ``data:`` PNGs, nothing
loaded from anywhere, so it can be mailed or archived and look the same offline. It shows:

* the one-sentence summary of every variant, with its verdict counts, and how
  ``--replications auto`` ended when it was used;
* the charts of :mod:`simulator.report.comparison_plots` (headline KPIs, frustration
  distributions, costs, or a sentence saying that the scenarios have no costs);
* the KPI table of every variant, verdicts colored;
* how to read paired confidence intervals, the seed and the replications.

Scenario and variant names are user input and are HTML-escaped everywhere.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from simulator import __version__
from simulator.experiment.compare import BETTER, SAME, WORSE, Comparison
from simulator.report.comparison import EXPLANATION, HEADER, kpi_rows, precision_sentence
from simulator.report.comparison_plots import (
    CAPTIONS,
    COSTS_PNG,
    FRUSTRATION_PNG,
    HEADLINE_PNG,
    NO_COSTS,
    comparison_plots,
    write_comparison_plots,
)
from simulator.report.files import write_atomic
from simulator.report.html import CSS, PAGE, plot_figures

__all__ = ["COMPARISON_HTML", "render_comparison", "write_comparison_html"]

COMPARISON_HTML = "comparison.html"

#: CSS class of each verdict in the KPI tables and the summary chips.
VERDICT_CLASSES = {BETTER: "better", WORSE: "worse", SAME: "same"}

#: Styles the comparison page adds to the single-run report's.
EXTRA_CSS = """
.variants { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
  gap: 12px; }
.variant { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 12px 14px; border-top: 4px solid var(--accent); }
.variant h3 { margin-bottom: 4px; }
.variant p { margin: 4px 0; }
.counts { display: flex; gap: 6px; flex-wrap: wrap; font-size: 12px; }
.verdict { font-weight: 600; white-space: nowrap; }
td.verdict, th.verdict { text-align: left; }
.verdict.better { color: #2b7a37; } td.verdict.better { background: #e6f4e8; }
.verdict.worse { color: #b42323; } td.verdict.worse { background: #fbe9e9; }
.verdict.same { color: var(--muted); font-weight: 500; }
span.verdict { padding: 1px 8px; border-radius: 999px; background: #eef1f5; }
span.verdict.better { background: #e6f4e8; } span.verdict.worse { background: #fbe9e9; }
.kpi-compare { margin-bottom: 22px; }
.kpi-compare td:nth-child(4) { white-space: nowrap; }
p.note { color: var(--muted); font-size: 14px; }
"""


def render_comparison(c: Comparison, plots: Mapping[str, bytes]) -> str:
    """The comparison page as one HTML string (UTF-8, no external resources)."""
    base = c.base.scenario
    charts = [
        _section("headline", "Headline KPIs", _figures(plots, HEADLINE_PNG)),
        _section("frustration", "Frustration", _figures(plots, FRUSTRATION_PNG)),
        _section(
            "costs",
            "Costs",
            _figures(plots, COSTS_PNG)
            if COSTS_PNG in plots
            else f'<p class="empty" data-testid="no-costs">{_e(NO_COSTS)}</p>',
        ),
    ]
    sections = [
        _section("summary", "What changes", _summary(c)),
        *charts,
        _section("tables", "All KPIs", _tables(c)),
        _section("method", "How to read it", _method(c)),
    ]
    nav = "".join(
        f'<a href="#{anchor}">{label}</a>'
        for anchor, label in (
            ("summary", "Summary"),
            ("headline", "Headline KPIs"),
            ("frustration", "Frustration"),
            ("costs", "Costs"),
            ("tables", "All KPIs"),
            ("method", "Method"),
        )
    )
    return PAGE.format(
        kicker="cxsim what-if comparison",
        title=_e(f"{base.name}: what-if comparison - cxsim"),
        css=CSS + EXTRA_CSS,
        js="",
        scenario=_e(f"{base.name}: base vs {', '.join(c.variants)}"),
        description=_e(base.description or ""),
        meta=_meta(c),
        nav=nav,
        body="\n".join(sections),
        footer=_footer(c),
    )


def write_comparison_html(
    out: str | Path, c: Comparison, plots: Mapping[str, bytes] | None = None
) -> list[Path]:
    """Write the PNG charts and ``comparison.html`` atomically into ``out``; return the paths.

    ``plots`` are drawn now unless given (the CLI draws them once for the page and the
    markdown).
    """
    plots = comparison_plots(c) if plots is None else plots
    written = write_comparison_plots(c, out, plots)
    written.append(write_atomic(Path(out) / COMPARISON_HTML, render_comparison(c, plots)))
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


def _summary(c: Comparison) -> str:
    cards = []
    for name in c.variants:
        verdicts = [d.verdict for d in c.differences[name]]
        counts = "".join(
            f'<span class="verdict {css}">{verdicts.count(verdict)} {_e(verdict)}</span>'
            for verdict, css in VERDICT_CLASSES.items()
        )
        cards.append(
            f'<div class="variant" data-testid="summary-variant" data-variant="{_e(name)}">'
            f"<h3>{_e(name)}</h3>"
            f'<p class="sentence">{_e(c.summary(name))}</p>'
            f'<p class="counts">{counts}</p></div>'
        )
    precision = (
        f'<p class="note" data-testid="precision">{_e(precision_sentence(c))}</p>'
        if c.precision
        else ""
    )
    return (
        f'<p class="note">Each variant against the base <b>{_e(c.base.scenario.name)}</b>, '
        "with the same customers: differences with their paired 95 % confidence intervals "
        "(rates in percentage points, repeats in percent of the base, costs per run).</p>"
        f'<div class="variants">{"".join(cards)}</div>{precision}'
    )


def _figures(plots: Mapping[str, bytes], name: str) -> str:
    if name not in plots:
        return '<p class="empty">This chart was not drawn.</p>'
    return plot_figures({name: plots[name]}, CAPTIONS)


def _tables(c: Comparison) -> str:
    head = "".join(
        f'<th class="{"verdict" if h == "verdict" else ""}">{_e(h)}</th>' for h in HEADER
    )
    tables = []
    for name in c.variants:
        body = []
        for row in kpi_rows(c, name):
            label, *cells = row
            verdict = cells[3]
            css = VERDICT_CLASSES.get(verdict, "")
            tds = [
                f'<td class="verdict {css}">{_e(cell)}</td>' if i == 3 else f"<td>{_e(cell)}</td>"
                for i, cell in enumerate(cells)
            ]
            body.append(f"<tr><th>{_e(label)}</th>{''.join(tds)}</tr>")
        tables.append(
            '<div class="scroll"><table class="kpi-compare" data-testid="kpi-table" '
            f'data-variant="{_e(name)}"><caption>{_e(name)} vs base</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )
    return "".join(tables)


def _method(c: Comparison) -> str:
    return (
        f'<p data-testid="explanation">{_e(EXPLANATION)}</p>'
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
