"""Standalone HTML pages of a traced journey and of one customer in two designs.

``cxsim trace --format html`` writes a complete page, not a fragment: the report's skeleton,
style and Content-Security-Policy (:data:`simulator.report.html.PAGE`), nothing loaded from
anywhere, readable on a phone. :data:`STORY_CSS` styles timelines and pairs wherever they
appear (these pages and the comparison report): on a narrow screen a step's text goes under its
time and frustration meter instead of being squeezed beside them, and a pair's two journeys
stack.
"""

from __future__ import annotations

import html

from simulator import __version__
from simulator.observe.trace import TracedJourney
from simulator.report.html import CSS, PAGE
from simulator.report.story.pair import LABELS, design_name, render_pair_html
from simulator.report.story.render import render_html_fragment
from simulator.report.story.telling import header

__all__ = ["STORY_CSS", "journey_page", "pair_page"]

#: Timelines and same-customer pairs, on any screen.
STORY_CSS = """
.story { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 16px; }
.story .where { color: var(--muted); margin-top: 0; }
.pair { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 16px; margin: 0 0 18px; min-width: 0; }
.pair h3, .pair h2 { overflow-wrap: anywhere; }
.pair-summary { font-weight: 600; }
.pair-sides { display: grid; gap: 16px;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 360px), 1fr)); }
.pair-side { min-width: 0; border-top: 3px solid var(--line); padding-top: 6px; }
.pair-side[data-side="variant"] { border-top-color: var(--accent); }
.pair-label { margin: 0 0 4px; overflow-wrap: anywhere; }
.pair-label span { color: var(--muted); font-size: 13px; }
.pair-table { margin-top: 12px; }
.pair-side ol.timeline > li:has(> meter) { grid-template-columns: 3.2em 48px 6.4em 1fr; }
.pair-side .timeline meter { width: 48px; }
.pair-side .timeline .level { min-width: 0; }
.pair-table th, .pair-table td { text-align: left; }
ol.timeline > li .text { overflow-wrap: anywhere; min-width: 0; }
@media (max-width: 640px) {
  .wrap { padding: 0 12px; }
  header h1 { font-size: 22px; }
  nav { flex-wrap: nowrap; overflow-x: auto; scrollbar-width: thin; }
  nav a { flex: none; }
  ol.timeline { margin-left: 2px; padding-left: 14px; }
  ol.timeline > li::before { left: -23px; }
  ol.timeline > li:has(> meter) { grid-template-columns: auto 56px 1fr; row-gap: 2px; }
  ol.timeline > li:has(> meter) > .text { grid-column: 1 / -1; }
  .timeline meter { width: 56px; }
  .timeline .level, .timeline time { min-width: 0; }
}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _page(kicker: str, title: str, subtitle: str, meta: str, body: str, footer: str) -> str:
    return PAGE.format(
        kicker=_e(kicker),
        title=_e(f"{title} - cxsim"),
        css=CSS + STORY_CSS,
        js="",
        scenario=_e(title),
        description=_e(subtitle),
        meta=meta,
        nav="",
        body=body,
        footer=footer,
    )


def _meta(t: TracedJourney) -> str:
    parts = [
        f"scenario <b>{_e(t.scenario)}</b>",
        f"replication <b>{_e(t.replication)}</b>",
        f"seed <b>{_e(t.seed)}</b>",
        f"cxsim {_e(__version__)}",
    ]
    return " &middot; ".join(parts)


def _reproduce(t: TracedJourney, extra: str = "") -> str:
    return (
        f"Tell it again: <code>cxsim trace FILE --customer {_e(t.cid)} --seed {_e(t.seed)} "
        f"--replication {_e(t.replication)}{_e(extra)}</code> with the same scenario file."
    )


def journey_page(t: TracedJourney) -> str:
    """One customer's journey as a complete, self-contained HTML page."""
    who, where = header(t)
    body = (
        '<section id="journey" class="story" data-testid="journey">'
        f'<p class="where">{_e(where)}</p>{render_html_fragment(t)}</section>'
    )
    return _page("cxsim: become the customer", who.rstrip("."), "", _meta(t), body, _reproduce(t))


def pair_page(a: TracedJourney, b: TracedJourney, labels: tuple[str, str] = LABELS) -> str:
    """One customer in two designs as a complete, self-contained HTML page."""
    r = a.record
    title = f"Customer {r.cid} in two designs"
    subtitle = f"{design_name(labels[0], a)} and {design_name(labels[1], b)}"
    body = f'<section id="pair">{render_pair_html(a, b, labels, heading="h2")}</section>'
    footer = _reproduce(a, " --compare OTHER")
    return _page("cxsim: the same customer, two designs", title, subtitle, _meta(a), body, footer)
