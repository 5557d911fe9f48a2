"""The journey explorer of the HTML report: a few hundred journeys to filter, search and read.

An executive opens the report to see what customers live through. The explorer lists the
journeys recorded during the run (``journeys.json``, :mod:`simulator.report.story.explorer`:
compact facts and the told story of each) as one button per journey, with the facts the filters
and sorting need in ``data-`` attributes: segment, intent, channel path, outcome, the worst
frustration state reached, peak frustration, time to resolution, contacts. A small inline
script filters, searches by customer id, sorts and pages the list, and draws a journey's story
only when it is opened, under its button (on a phone it stays in view, no side column), from one
embedded JSON block: 240 stories cost about 300 KB, not the megabyte of ready-made HTML.

Every string is user input (names, told stories): the list is escaped here, the script writes
stories as text nodes (never ``innerHTML``), and the JSON block cannot close its ``<script>``.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.report.story.words import intent_words, segment_words
from simulator.units import format_duration

__all__ = ["EXPLORER_CSS", "EXPLORER_JS", "render_explorer"]

#: Journeys listed before "Show more".
PAGE_SIZE = 30
#: The order picks are listed in before any sorting.
PICK_ORDER = ("worst", "typical", "best", "random", "customer", "sample")
#: Outcomes as the filter names them.
OUTCOMES = {"resolved": "resolved", "gave_up": "gave up", "unfinished": "unfinished"}
#: Sort orders: (value, label); the script knows each value.
SORTS = (
    ("pick", "Worst, typical, best"),
    ("peak", "Peak frustration"),
    ("ttr", "Time to resolution"),
    ("contacts", "Most contacts"),
)


def render_explorer(entries: Sequence[Mapping[str, Any]], levels: Mapping[str, float]) -> str:
    """The explorer section's body: filters, the list of journeys and their stories' data.

    ``entries`` are explorer entries as journeys.json stores them; ``levels`` the frustration
    states (name -> level where it begins) for the state filter and colors."""
    if not entries:
        return (
            '<p class="empty" data-testid="explorer-empty">No journeys were recorded with '
            "these results.</p>"
        )
    ordered = sorted(
        enumerate(entries),
        key=lambda item: (_pick_rank(item[1]), item[0]),
    )
    bounds = list(levels.values())[1:3]
    low, high = bounds if len(bounds) == 2 else (25.0, 50.0)
    journeys = [entry for _, entry in ordered]
    keys = [_key(entry, n) for n, entry in enumerate(journeys)]
    items = "".join(_item(entry, keys[n], n) for n, entry in enumerate(journeys))
    stories = {key: _story(entry) for key, entry in zip(keys, journeys, strict=True)}
    return (
        '<p class="hint">Journeys recorded during the run, sampled across the replications so '
        "that every segment, intent, first channel and outcome shows its worst and a typical "
        "journey, with the run's worst, typical and best and random draws. Filter them, search "
        "a customer, sort, and open one to read it step by step.</p>"
        + _filters(journeys, levels)
        + '<p class="explorer-count" data-testid="explorer-count" aria-live="polite"></p>'
        f'<ol class="journeys" data-testid="explorer" data-page="{PAGE_SIZE}" '
        f'data-low="{low:g}" data-high="{high:g}">{items}</ol>'
        '<p class="explorer-more"><button type="button" class="more" data-testid="explorer-more">'
        "Show more</button></p>"
        f'<script type="application/json" id="journey-stories">{_json(stories)}</script>'
    )


def _pick_rank(entry: Mapping[str, Any]) -> int:
    pick = str(entry.get("pick") or "sample")
    return PICK_ORDER.index(pick) if pick in PICK_ORDER else len(PICK_ORDER)


def _key(entry: Mapping[str, Any], n: int) -> str:
    """A DOM-safe key unique in the page (ids repeat across replications)."""
    raw = re.sub(r"[^A-Za-z0-9_-]", "_", str(entry.get("id", n)))[:40]
    return f"j{n}-{raw}"


def _path(entry: Mapping[str, Any]) -> str:
    return " > ".join(str(c) for c in entry.get("channels") or []) or "none"


def _item(entry: Mapping[str, Any], key: str, n: int) -> str:
    """One journey's list item: a button with its facts, and the slot its story opens in."""
    e = _attr
    cid = str(entry.get("id", ""))
    pick = str(entry.get("pick") or "sample")
    outcome = str(entry.get("outcome") or "")
    ttr = entry.get("ttr_s")
    peak = _number(entry.get("peak"))
    contacts = _number(entry.get("contacts"))
    facts = [
        f"{contacts:.0f} contact" + ("s" if contacts != 1 else ""),
        OUTCOMES.get(outcome, outcome) + (f" in {format_duration(ttr)}" if ttr else ""),
        f"peak {peak:.0f} {entry.get('peak_state') or ''}".strip(),
    ]
    segment, intent = str(entry.get("segment", "")), str(entry.get("intent", ""))
    who = f"{segment_words(segment)}, {intent_words(intent)}"
    return (
        f'<li class="journey" data-key="{key}" data-order="{n}" data-id="{e(cid)}" '
        f'data-segment="{e(entry.get("segment", ""))}" data-intent="{e(entry.get("intent", ""))}" '
        f'data-path="{e(_path(entry))}" data-outcome="{e(outcome)}" '
        f'data-state="{e(entry.get("peak_state", ""))}" data-peak="{peak:.1f}" '
        f'data-ttr="{_number(ttr):.0f}" data-contacts="{_number(entry.get("contacts")):.0f}">'
        f'<button type="button" class="customer {e(pick)}" data-testid="customer-{e(cid)}" '
        f'aria-expanded="false" aria-controls="{key}">'
        f'<span class="dot {e(entry.get("state", ""))}" aria-hidden="true"></span>'
        f'<span class="pick {e(pick)}">{e(pick)}</span>'
        f'<span class="label"><b>Customer {e(cid)}</b> {e(who)}'
        f'<span class="path">{e(_path(entry).replace(">", "→"))}</span>'
        f'<span class="facts">{e(" · ".join(facts))}</span></span></button>'
        f'<div class="timeline-panel" id="{key}" data-testid="timeline-{e(cid)}" hidden></div>'
        "</li>"
    )


def _filters(entries: Sequence[Mapping[str, Any]], levels: Mapping[str, float]) -> str:
    """The controls: a select per facet (with the count of each value), search and sort."""
    states = [s for s in levels] or sorted({str(e.get("peak_state", "")) for e in entries})
    facets = (
        ("segment", "Segment", _options(entries, "segment", segment_words)),
        ("intent", "Intent", _options(entries, "intent", intent_words)),
        ("path", "Channel path", _options(entries, "path", lambda p: p.replace(">", "→"))),
        ("outcome", "Outcome", _options(entries, "outcome", lambda o: OUTCOMES.get(o, o))),
        ("state", "Worst feeling", _options(entries, "peak_state", str, order=states)),
    )
    selects = "".join(
        f'<label>{label}<select data-filter="{name}" data-testid="filter-{name}">'
        f'<option value="">all</option>{options}</select></label>'
        for name, label, options in facets
    )
    sorts = "".join(f'<option value="{v}">{_attr(label)}</option>' for v, label in SORTS)
    return (
        '<form class="filters" data-testid="explorer-filters" role="search">'
        f"{selects}"
        '<label>Customer id<input type="search" inputmode="numeric" data-filter="id" '
        'data-testid="filter-id" placeholder="e.g. 1042"></label>'
        f'<label>Sort<select data-sort data-testid="sort">{sorts}</select></label>'
        '<button type="reset" class="reset" data-testid="filter-reset">Clear</button></form>'
    )


def _options(
    entries: Sequence[Mapping[str, Any]],
    field: str,
    words: Any,
    order: Sequence[str] | None = None,
) -> str:
    """``<option>``s of the values of ``field`` met in ``entries``, with their counts; the
    most frequent first unless ``order`` is given."""
    counts = Counter(_path(e) if field == "path" else str(e.get(field, "")) for e in entries)
    values = [v for v in order if v in counts] if order else [v for v, _ in counts.most_common()]
    return "".join(
        f'<option value="{_attr(v)}">{_attr(words(v))} ({counts[v]})</option>' for v in values
    )


def _story(entry: Mapping[str, Any]) -> list[Any]:
    """What the script needs to draw a story: header lines, steps, closing lines."""
    return [list(entry.get("header") or []), entry.get("steps") or [], entry.get("ending") or []]


def _json(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element early, whatever the strings hold."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _attr(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


EXPLORER_CSS = """
form.filters { display: grid; gap: 8px 12px; margin: 0 0 10px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 170px), 1fr)); align-items: end; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted);
  min-width: 0; }
form.filters select, form.filters input { font: inherit; font-size: 14px; padding: 6px 8px;
  border: 1px solid #cbd2d9; border-radius: 6px; background: var(--card); color: var(--ink);
  width: 100%; min-width: 0; }
form.filters button.reset, button.more { font: inherit; font-size: 14px; padding: 6px 14px;
  border: 1px solid #cbd2d9; border-radius: 6px; background: var(--card); cursor: pointer; }
.explorer-count { color: var(--muted); font-size: 14px; margin: 4px 0 8px; }
ol.journeys { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
ol.journeys > li { min-width: 0; }
ol.journeys button.customer { align-items: flex-start; }
ol.journeys .label { min-width: 0; overflow-wrap: anywhere; }
ol.journeys .label .path, ol.journeys .label .facts { display: block; color: var(--muted);
  font-size: 13px; }
ol.journeys .timeline-panel { background: var(--card); border: 1px solid var(--line);
  border-top: 0; border-radius: 0 0 8px 8px; padding: 10px 14px 12px; }
ol.journeys .timeline-panel .where { color: var(--muted); margin: 0 0 4px; font-size: 14px; }
.explorer-more[hidden] { display: none; }
ol.journeys ol.timeline > li .text { overflow-wrap: anywhere; min-width: 0; }
@media (max-width: 640px) {
  ol.journeys ol.timeline { margin-left: 2px; padding-left: 14px; }
  ol.journeys ol.timeline > li::before { left: -23px; }
  ol.journeys ol.timeline > li:has(> meter) { grid-template-columns: auto 56px 1fr;
    row-gap: 2px; }
  ol.journeys ol.timeline > li:has(> meter) > .text { grid-column: 1 / -1; }
  ol.journeys .timeline meter { width: 56px; }
  ol.journeys .timeline .level, ol.journeys .timeline time { min-width: 0; }
  ol.journeys .timeline-panel { padding: 8px 10px 10px; }
}
"""

#: Filters, search, sort, paging and stories drawn on opening (textContent only).
EXPLORER_JS = """
(function () {
  "use strict";
  var list = document.querySelector("ol.journeys");
  if (!list) { return; }
  var stories = JSON.parse(document.getElementById("journey-stories").textContent);
  var items = Array.prototype.slice.call(list.children);
  var form = document.querySelector("form.filters");
  var count = document.querySelector(".explorer-count");
  var more = document.querySelector(".explorer-more");
  var page = parseInt(list.getAttribute("data-page"), 10) || 30;
  var shown = page;
  var low = parseFloat(list.getAttribute("data-low"));
  var high = parseFloat(list.getAttribute("data-high"));
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function draw(panel, story) {
    story[0].forEach(function (line) { panel.appendChild(el("p", "where", line)); });
    var ol = el("ol", "timeline");
    story[1].forEach(function (step) {
      var li = el("li", "step state-" + step[2] + (step[3] ? " changed" : ""));
      li.appendChild(el("time", "", step[0]));
      var meter = el("meter");
      meter.min = 0; meter.max = 100; meter.low = low; meter.high = high; meter.optimum = 0;
      meter.value = step[1];
      li.appendChild(meter);
      li.appendChild(el("span", "level", Math.round(step[1]) + " " + step[2]));
      li.appendChild(el("span", "text", step[4]));
      ol.appendChild(li);
    });
    story[2].forEach(function (line) { ol.appendChild(el("li", "outcome", line)); });
    panel.appendChild(ol);
  }
  function toggle(item) {
    var button = item.querySelector("button.customer");
    var panel = item.querySelector(".timeline-panel");
    var open = button.getAttribute("aria-expanded") === "true";
    if (!open && !panel.firstChild) { draw(panel, stories[item.getAttribute("data-key")]); }
    panel.hidden = open;
    button.setAttribute("aria-expanded", open ? "false" : "true");
  }
  function matches(item, filters) {
    for (var i = 0; i < filters.length; i++) {
      var name = filters[i][0], value = filters[i][1];
      var have = item.getAttribute("data-" + name) || "";
      if (name === "id" ? have.indexOf(value) !== 0 : have !== value) { return false; }
    }
    return true;
  }
  function sorted(key) {
    if (key === "pick") {
      return items.slice().sort(function (a, b) {
        return a.getAttribute("data-order") - b.getAttribute("data-order");
      });
    }
    return items.slice().sort(function (a, b) {
      var d = parseFloat(b.getAttribute("data-" + key)) - parseFloat(a.getAttribute("data-" + key));
      return d || a.getAttribute("data-order") - b.getAttribute("data-order");
    });
  }
  function update() {
    var filters = [];
    Array.prototype.forEach.call(form.querySelectorAll("[data-filter]"), function (control) {
      var value = control.value.trim();
      if (value) { filters.push([control.getAttribute("data-filter"), value]); }
    });
    var order = sorted(form.querySelector("[data-sort]").value);
    var found = 0;
    order.forEach(function (item) {
      list.appendChild(item);
      var keep = matches(item, filters);
      if (keep) { found += 1; }
      item.hidden = !keep || found > shown;
    });
    var listed = Math.min(found, shown);
    count.textContent = found === 0 ? "No journey matches these filters." :
      "Showing " + listed + " of " + found + " matching journeys (" + items.length + " recorded).";
    more.hidden = found <= shown;
  }
  list.addEventListener("click", function (event) {
    var button = event.target.closest("button.customer");
    if (button) { toggle(button.parentNode); }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("input", function () { shown = page; update(); });
  form.addEventListener("change", function () { shown = page; update(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { shown = page; update(); });
  });
  more.querySelector("button").addEventListener("click", function () { shown += page; update(); });
  update();
})();
"""
