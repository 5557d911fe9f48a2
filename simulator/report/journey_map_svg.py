"""The journey map of the HTML report: an inline SVG Sankey of where customers go, per segment.

The map (:mod:`simulator.observe.journey_map`, saved in ``journeys.json``) holds, per segment,
the steps of every journey by position (the channel of each contact, a bot, the team that
answered, a contact that ended without anyone, the end) with the customers who reached them and
their mean frustration on arriving, and the links between consecutive steps. Drawn here as
columns of steps joined by bands as wide as the customers who took them, each step colored by
the frustration state customers arrive in, its label giving both numbers. Inline SVG: crisp at
any size, text selectable, nothing loaded. A phone scrolls the map inside its own box rather
than shrinking its labels out of reach.

The *pain points* rank the steps where the most frustration arrives: customers times their mean
frustration on arriving (starts are skipped: nobody arrives frustrated at their first contact).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from simulator.report.story.words import humanize
from simulator.report.text import state_at

__all__ = ["MAP_CSS", "MAP_JS", "PainPoint", "pain_points", "render_journey_map"]

#: Steps reached by fewer than this share of a segment's customers are left out of the drawing.
MIN_SHARE = 0.01
#: Drawing size in SVG units (the SVG scales to its box).
WIDTH, HEIGHT, NODE_WIDTH, GAP, TOP = 1100.0, 520.0, 14.0, 16.0, 28.0
#: Label width kept free right of the last column.
LABEL_ROOM = 150.0
#: Kinds of step as the labels say them.
KIND_WORDS = {"channel": "", "bot": "bot ", "team": "team ", "left": "", "more": "", "end": ""}


class PainPoint(NamedTuple):
    """A step where frustration arrives: its words, customers per run, mean frustration."""

    step: str
    position: int
    customers: float
    frustration: float


def render_journey_map(journey_map: Mapping[str, Any] | None, levels: Mapping[str, float]) -> str:
    """The journey map section's body: a segment selector, one SVG and pain-point list per
    segment (all customers first). No map saved: a sentence saying so."""
    segments = (journey_map or {}).get("segments") or {}
    if not segments:
        return (
            '<p class="empty" data-testid="map-empty">No journey map was saved with these '
            "results (run <code>cxsim run FILE --html</code> to draw one).</p>"
        )
    options = "".join(
        f'<option value="{_e(name)}">{_e(_segment_label(name))}</option>' for name in segments
    )
    figures = "".join(
        f'<div class="map-segment" data-segment="{_e(name)}"{"" if i == 0 else " hidden"}>'
        f"{_svg(name, data, levels)}{_pain_list(pain_points(data), levels)}</div>"
        for i, (name, data) in enumerate(segments.items())
    )
    per = (journey_map or {}).get("replications")
    return (
        '<p class="hint">Where customers go, step by step: the channel of each contact, a bot, '
        "the team that answered, a contact left without anyone, and how it ended. Band widths "
        "are customers per run"
        + (f" (mean of {_e(per)} replications)" if per else "")
        + "; each step's color is the frustration customers arrive with, its label gives "
        "customers and mean frustration on arriving (0-100). Steps reached by fewer than 1 % "
        "of customers are left out.</p>"
        '<p class="hint narrow-only">Swipe the map sideways to follow the later steps.</p>'
        '<label class="map-select">Segment <select data-testid="map-segment">'
        f"{options}</select></label>"
        f'<div class="journey-map" data-testid="journey-map">{figures}</div>'
    )


def pain_points(segment: Mapping[str, Any], top: int = 5) -> list[PainPoint]:
    """The ``top`` steps of a segment's map with the most frustration arriving (customers x
    mean frustration on arriving); first contacts, resolutions, calm arrivals and steps too
    rare to draw skipped."""
    least = MIN_SHARE * float(segment.get("customers") or 0.0)
    points = [
        PainPoint(_step_words(kind, name, position), position, customers, frustration)
        for position, kind, name, customers, frustration in segment.get("nodes") or []
        if position > 0
        and frustration > 0
        and customers >= least
        and (kind, name) != ("end", "resolved")
    ]
    points.sort(key=lambda p: (-p.customers * p.frustration, p.position, p.step))
    return points[:top]


def pain_sentence(point: PainPoint) -> str:
    """``team billing (step 3): 393 customers a run arrive at frustration 22``."""
    return (
        f"{point.step} (step {point.position + 1}): {point.customers:,.0f} customers a run "
        f"arrive at frustration {point.frustration:.0f}"
    )


def _pain_list(points: Sequence[PainPoint], levels: Mapping[str, float]) -> str:
    if not points:
        return ""
    items = "".join(
        f'<li><span class="chip {_e(state_at(p.frustration, levels))}">'
        f"{_e(state_at(p.frustration, levels))}</span> {_e(pain_sentence(p))}</li>"
        for p in points
    )
    return f'<h3>Pain points</h3><ol class="pain-points" data-testid="pain-points">{items}</ol>'


def _svg(name: str, segment: Mapping[str, Any], levels: Mapping[str, float]) -> str:
    """One segment's map as an ``<svg>`` (columns by position, bands by customers)."""
    customers = float(segment.get("customers") or 0.0)
    raw = segment.get("nodes") or []
    keep = {i for i, node in enumerate(raw) if node[3] >= MIN_SHARE * customers and node[3] > 0}
    columns: dict[int, list[int]] = {}
    for i in sorted(keep):
        columns.setdefault(int(raw[i][0]), []).append(i)
    if not columns:
        return '<p class="empty">No journeys in this segment.</p>'
    last = max(columns)
    step_x = (WIDTH - NODE_WIDTH - LABEL_ROOM) / max(last, 1)
    usable = HEIGHT - TOP - 8.0
    tallest = max(sum(raw[i][3] for i in nodes) for nodes in columns.values())
    most = max(len(nodes) for nodes in columns.values())
    scale = (usable - GAP * (most - 1)) / tallest if tallest else 0.0
    boxes: dict[int, tuple[float, float, float]] = {}  # node -> x, y, height
    for position, nodes in columns.items():
        y = TOP
        for i in nodes:
            height = max(raw[i][3] * scale, 1.5)
            boxes[i] = (position * step_x, y, height)
            y += height + GAP
    parts = [_headers(columns, step_x), _links(segment, raw, boxes, scale, levels)]
    parts += [_node(raw[i], boxes[i], levels) for i in sorted(boxes)]
    return (
        f'<div class="scroll map-scroll"><svg class="sankey" viewBox="0 0 {WIDTH:.0f} '
        f'{HEIGHT:.0f}" role="img" data-testid="map-{_e(name)}" '
        f'aria-label="Journey map of {_e(_segment_label(name))}">{"".join(parts)}</svg></div>'
    )


def _headers(columns: Mapping[int, list[int]], step_x: float) -> str:
    return "".join(
        f'<text class="col" x="{p * step_x:.1f}" y="14">'
        f"{'first contact' if p == 0 else f'step {p + 1}'}</text>"
        for p in sorted(columns)
    )


def _links(
    segment: Mapping[str, Any],
    raw: Sequence[Sequence[Any]],
    boxes: Mapping[int, tuple[float, float, float]],
    scale: float,
    levels: Mapping[str, float],
) -> str:
    """The bands between steps, stacked in each step in the order of their other end."""
    links = [link for link in segment.get("links") or [] if link[0] in boxes and link[1] in boxes]
    out_at = {i: 0.0 for i in boxes}
    in_at = {i: 0.0 for i in boxes}
    bands = []
    for a, b, n in sorted(links, key=lambda link: (link[0], boxes[link[1]][1])):
        width = max(n * scale, 0.6)
        xa, ya, _ = boxes[a]
        xb, yb, _ = boxes[b]
        top_a, top_b = ya + out_at[a], yb + in_at[b]
        out_at[a] += width
        in_at[b] += width
        x0, x1 = xa + NODE_WIDTH, xb
        middle = (x0 + x1) / 2
        state = state_at(float(raw[b][4]), levels)
        bands.append(
            f'<path class="band {_e(state)}" d="M{x0:.1f},{top_a:.1f} '
            f"C{middle:.1f},{top_a:.1f} {middle:.1f},{top_b:.1f} {x1:.1f},{top_b:.1f} "
            f"L{x1:.1f},{top_b + width:.1f} C{middle:.1f},{top_b + width:.1f} "
            f'{middle:.1f},{top_a + width:.1f} {x0:.1f},{top_a + width:.1f} Z">'
            f"<title>{_e(_node_words(raw[a]))} → {_e(_node_words(raw[b]))}: "
            f"{n:,.0f} customers a run</title></path>"
        )
    return "".join(bands)


def _node(node: Sequence[Any], box: tuple[float, float, float], levels: Mapping[str, float]) -> str:
    position, kind, name, customers, frustration = node
    x, y, height = box
    state = state_at(float(frustration), levels)
    words = _node_words(node)
    numbers = f"{customers:,.0f} · {frustration:.0f}"
    x_text = x + NODE_WIDTH + 4
    if height >= 26:  # room for two lines: the name, then the numbers
        label = (
            f'<text x="{x_text:.1f}" y="{y + 11:.1f}">{_e(_short(words))}'
            f'<tspan x="{x_text:.1f}" dy="12" class="numbers">{_e(numbers)}</tspan></text>'
        )
    else:
        label = (
            f'<text x="{x_text:.1f}" y="{y + min(height / 2, 9) + 4:.1f}">'
            f"{_e(_short(words))} · {_e(numbers)}</text>"
        )
    return (
        f'<g class="node {_e(state)}" data-kind="{_e(kind)}"><rect x="{x:.1f}" y="{y:.1f}" '
        f'width="{NODE_WIDTH:.0f}" height="{height:.1f}" rx="2"></rect>{label}'
        f"<title>{_e(_step_words(kind, name, position))}: "
        f"{customers:,.0f} customers a run arrive at frustration {frustration:.1f}</title></g>"
    )


def _short(words: str, most: int = 18) -> str:
    """A label that leaves the next column its room (the whole name is in the tooltip)."""
    return words if len(words) <= most else words[: most - 1].rstrip() + "…"


def _node_words(node: Sequence[Any]) -> str:
    _position, kind, name, *_rest = node
    return f"{KIND_WORDS.get(kind, '')}{humanize(str(name))}"


def _step_words(kind: str, name: str, position: int) -> str:
    words = {"left": "left without anyone: ", "more": "", "end": "ended: "}.get(kind, "")
    return f"{words}{KIND_WORDS.get(kind, '')}{humanize(str(name))}"


def _segment_label(name: str) -> str:
    return "All customers" if name == "all" else humanize(name)


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


MAP_CSS = """
.map-select { display: inline-flex; gap: 8px; align-items: center; font-size: 14px;
  margin: 0 0 8px; }
.map-select select { font: inherit; padding: 4px 8px; border: 1px solid #cbd2d9;
  border-radius: 6px; background: var(--card); }
.journey-map { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 10px 12px; }
.map-scroll svg.sankey { display: block; width: 100%; min-width: 1000px; height: auto; }
svg.sankey text { font-size: 12px; fill: var(--ink); paint-order: stroke; stroke: #fff;
  stroke-width: 3px; stroke-linejoin: round; }
svg.sankey text .numbers { fill: var(--muted); }
svg.sankey text.col { fill: var(--muted); font-size: 11px; text-transform: uppercase; }
svg.sankey .band { fill: #9aa5b1; opacity: .35; }
svg.sankey .band:hover { opacity: .6; }
svg.sankey .node rect { fill: #9aa5b1; }
svg.sankey .calm rect, svg.sankey .band.calm { fill: var(--calm); }
svg.sankey .irritated rect, svg.sankey .band.irritated { fill: var(--irritated); }
svg.sankey .angry rect, svg.sankey .band.angry { fill: var(--angry); }
svg.sankey .furious rect, svg.sankey .band.furious { fill: var(--furious); }
ol.pain-points { margin: 4px 0 0; padding-left: 22px; }
.narrow-only { display: none; }
@media (max-width: 1040px) { .narrow-only { display: block; } }
ol.pain-points li { margin: 2px 0; overflow-wrap: anywhere; }
"""

MAP_JS = """
(function () {
  "use strict";
  var select = document.querySelector('[data-testid="map-segment"]');
  if (!select) { return; }
  select.addEventListener("change", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".map-segment"), function (div) {
      div.hidden = div.getAttribute("data-segment") !== select.value;
    });
  });
})();
"""
