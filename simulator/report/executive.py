"""The executive summary: what the first screen (and the printed page) says beyond the KPIs.

The headline figures and the money come first (:mod:`simulator.report.html`,
:mod:`simulator.report.money_html`); this adds the top pain points (why customers got
frustrated, from the attribution of every frustration point to its cause, then where on the
journey map it built up) and the worst journey, told in two sentences, so that the summary
alone makes the case. It also holds
the style that keeps the page within any screen and prints the summary on one page: the print
stylesheet keeps the header and the key figures, and leaves the rest for the screen.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.report.journey_map_svg import pain_points, pain_sentence
from simulator.report.text import state_at

__all__ = ["EXECUTIVE_CSS", "render_executive", "worst_entry"]

#: Pain points the summary lists.
TOP_PAIN_POINTS = 3


def render_executive(
    journey_map: Mapping[str, Any] | None,
    entries: Sequence[Mapping[str, Any]],
    levels: Mapping[str, float],
    causes: Sequence[tuple[str, float]] = (),
) -> str:
    """The top pain points (all customers) and the worst journey, or nothing without either.

    The pain points tell one story: first why customers got frustrated, ``causes`` (the
    largest causes of all frustration points and their shares, from the results), then where
    on the journey it built up (the journey map's steps)."""
    segments = (journey_map or {}).get("segments") or {}
    whole = segments.get("all") or next(iter(segments.values()), None)
    points = pain_points(whole, TOP_PAIN_POINTS) if whole else []
    worst = worst_entry(entries)
    parts = []
    if points or causes:
        why = _causes_sentence(causes[:TOP_PAIN_POINTS], bool(points))
        items = "".join(
            f'<li><span class="chip {_e(state_at(p.frustration, levels))}">'
            f"{_e(state_at(p.frustration, levels))}</span> {_e(pain_sentence(p))}</li>"
            for p in points
        )
        where = f'<ol class="pain-points" data-testid="top-pain-points">{items}</ol>'
        parts.append(
            f'<div class="exec-block"><h3>Top pain points</h3>{why}{where if points else ""}</div>'
        )
    if worst is not None:
        told = "".join(f"<p>{_e(line)}</p>" for line in worst.get("ending") or [])
        parts.append(
            '<div class="exec-block" data-testid="worst-journey"><h3>The worst journey</h3>'
            f"<p><b>{_e(worst.get('summary') or '')}</b></p>{told}"
            f'<p class="hint"><a href="#explorer">Read it step by step</a> in the journey '
            "explorer.</p></div>"
        )
    return f'<div class="executive">{"".join(parts)}</div>' if parts else ""


def _causes_sentence(causes: Sequence[tuple[str, float]], then_where: bool) -> str:
    """ "Most frustration comes from A (41 %), B (22 %) and C (12 %)", and where it built up."""
    if not causes:
        return ""
    named = [f"{words} ({share:.0%})" for words, share in causes]
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + f" and {named[-1]}"
    ending = "; where on the journey it built up:" if then_where else "."
    return f'<p data-testid="pain-causes">Most frustration comes from {_e(listed)}{ending}</p>'


def worst_entry(entries: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The run's worst journey: the entry picked as worst, else the highest peak."""
    picked = [e for e in entries if e.get("pick") == "worst"]
    candidates = picked or list(entries)
    if not candidates:
        return None
    return max(candidates, key=lambda e: float(e.get("peak") or 0.0))


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


#: Any screen (phone padding, charts that scroll in their box rather than shrink their labels
#: away) and the one-page printed summary.
EXECUTIVE_CSS = """
main, section { min-width: 0; }
.executive { display: grid; gap: 12px 18px; margin: 0 0 18px;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 340px), 1fr)); }
.exec-block { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 12px 14px; min-width: 0; overflow-wrap: anywhere; }
.exec-block p { margin: 4px 0; }
.money-cards .card { border-top-color: #52606d; }
.two-col { grid-template-columns: repeat(auto-fit, minmax(min(100%, 340px), 1fr)); }
.cards { grid-template-columns: repeat(auto-fill, minmax(min(100%, 240px), 1fr)); }
details.technical { margin-top: 12px; }
details.technical > summary { cursor: pointer; color: var(--muted); }
@media (max-width: 640px) {
  .wrap { padding: 0 12px; }
  header h1 { font-size: 22px; }
  nav { flex-wrap: nowrap; overflow-x: auto; scrollbar-width: thin; }
  nav a { flex: none; }
  .cards { grid-template-columns: 1fr 1fr; gap: 8px; }
  .card { padding: 8px 10px; }
  .card-value { font-size: 20px; }
  .plots figure { overflow-x: auto; }
  .plots figure img { max-width: none; width: 640px; }
  dl.definitions { grid-template-columns: 1fr; }
  dl.definitions dd { margin-bottom: 6px; }
  ol.journeys button.customer { flex-wrap: wrap; }
}
@page { size: A4; margin: 12mm; }
@media print {
  body { background: #fff; font-size: 11px; }
  header { padding: 0; }
  header h1 { font-size: 20px; }
  header .meta b { color: var(--ink); }
  .exec-block .hint { display: none; }
  section:not(#summary), footer, .two-col { display: none; }
  section#summary { margin: 8px 0 0; }
  .cards { grid-template-columns: repeat(4, 1fr); gap: 6px; margin-bottom: 8px; }
  .card { padding: 6px 8px; }
  .card-value { font-size: 16px; }
  .executive { grid-template-columns: 1fr 1fr; gap: 8px; }
  .exec-block { padding: 6px 8px; }
  .chip { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""
