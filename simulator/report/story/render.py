"""Rendering one told journey: terminal text, Markdown, JSON and an HTML timeline fragment."""

from __future__ import annotations

import dataclasses
import html
import math
import textwrap
from typing import Any

from simulator.observe.trace import TracedJourney
from simulator.report.story.telling import header, narrate, summary_line
from simulator.report.story.words import clock_of

#: ANSI colours of the states (render_text with color=True only).
ANSI: dict[str, str] = {
    "calm": "\x1b[32m",
    "irritated": "\x1b[33m",
    "angry": "\x1b[31m",
    "furious": "\x1b[1;35m",
}
ANSI_RESET = "\x1b[0m"
METER_CELLS = 10
_END = ("outcome", "impact")


def meter(f: float, cells: int = METER_CELLS) -> str:
    """``[#####.....]``: one ``#`` per 10 points (rounded)."""
    filled = min(cells, max(0, int(f * cells / 100.0 + 0.5)))
    return "[" + "#" * filled + "." * (cells - filled) + "]"


def render_text(t: TracedJourney, color: bool = False, width: int = 100) -> str:
    """The journey for a terminal: a header, one line per instant with a frustration meter."""
    lines = narrate(t)
    out = [*wrap(" ".join(header(t)), width), ""]
    steps = [x for x in lines if x.activity not in _END]
    clock_w = max((len(x.clock) for x in steps), default=5)
    for x in steps:
        level = f"{meter(x.frustration)} {x.frustration:3.0f} {x.state:<9}"
        if color:
            level = f"{ANSI[x.state]}{level}{ANSI_RESET}"
        prefix = f"{x.clock:>{clock_w}}  "
        indent = " " * (clock_w + 2 + len(meter(0)) + 1 + 3 + 1 + 9 + 1)
        body = wrap(x.text, max(20, width - len(indent)))
        out.append(prefix + level + " " + body[0])
        out.extend(indent + more for more in body[1:])
    out.append("")
    for x in lines:
        if x.activity in _END:
            out.extend(wrap(x.text, width))
    return "\n".join(out) + "\n"


def wrap(text: str, width: int) -> list[str]:
    """Wrap at spaces only: scenario names such as ``retail-bank-siloed`` stay whole."""
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def markdown_cell(text: str) -> str:
    """Text safe inside a Markdown table cell (a ``|`` would end the cell)."""
    return text.replace("|", "\\|")


def render_markdown(t: TracedJourney) -> str:
    """The journey as a Markdown section: a table of steps, then the outcome."""
    who, where = header(t)
    out = [f"### {markdown_cell(who.rstrip('.'))}", "", f"*{markdown_cell(where)}*", ""]
    return "\n".join(out + markdown_story(t))


def markdown_story(t: TracedJourney) -> list[str]:
    """The lines of a journey's Markdown: a table of its steps, then the outcome paragraphs."""
    lines = narrate(t)
    out = ["| time | frustration | what happens |", "| --- | --- | --- |"]
    for x in lines:
        if x.activity not in _END:
            level = f"{x.frustration:.0f} {x.state}"
            if x.state_changed:
                level = f"**{level}**"
            out.append(f"| {x.clock} | {level} | {markdown_cell(x.text)} |")
    out.append("")
    for x in lines:
        if x.activity in _END:
            out += [markdown_cell(x.text), ""]
    return out


def _plain(value: Any) -> Any:
    """JSON-safe: non-finite floats become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_json(t: TracedJourney) -> dict[str, Any]:
    """The trace as plain data (``json.dumps``-able): customer, record, events, narrative."""
    r = t.record
    first = t.events[0].channel if t.events else ""
    data = {
        "scenario": t.scenario,
        "description": t.description,
        "replication": t.replication,
        "seed": t.seed,
        "pick": t.pick,
        "population": t.population,
        "filters": {"segment": t.segment, "intent": t.intent},
        "rng_seed": t.rng_seed,
        "horizon": {"start": t.horizon_start, "clock": t.clock, "date": t.date},
        "customer": {
            "id": r.cid,
            "segment": r.segment,
            "intent": r.intent,
            "first_channel": first,
            "arrived_s": r.arrived_s,
            "arrived": clock_of(t, r.arrived_s),
        },
        "record": dataclasses.asdict(r),
        "states": dict(t.state_levels),
        "thresholds": dict(t.thresholds),
        "expected_response": dict(t.expected_response),
        "summary": summary_line(t),
        "header": header(t),
        "events": [{**dataclasses.asdict(e), "clock": clock_of(t, e.time)} for e in t.events],
        "narrative": [dataclasses.asdict(x) for x in narrate(t)],
    }
    return _plain(data)


def render_html_fragment(t: TracedJourney) -> str:
    """An escaped ``<ol class="timeline">`` of the journey, for the HTML journey explorer.

    Each step is ``<li class="step state-<state>[ changed]">`` with a ``<time>``, a meter
    (``<meter>`` 0-100), the level and the text; the outcome lines have class ``outcome``.
    """
    esc = html.escape
    r = t.record
    # The meter turns amber where the second state begins and red where the third does.
    _first, low, high, *_rest = t.state_levels.values()
    out = [
        f'<ol class="timeline" data-customer="{r.cid}" data-scenario="{esc(t.scenario)}" '
        f'data-pick="{esc(t.pick)}">'
    ]
    for x in narrate(t):
        end = x.activity in _END
        classes = ["outcome" if end else "step", f"state-{x.state}"]
        if x.state_changed:
            classes.append("changed")
        level = f"{x.frustration:.0f} {x.state}"
        out.append(
            f'<li class="{" ".join(classes)}" data-activity="{esc(x.activity)}" '
            f'data-time="{x.time:.1f}"><time>{esc(x.clock)}</time> '
            f'<meter min="0" max="100" low="{low:g}" high="{high:g}" optimum="0" '
            f'value="{x.frustration:.1f}" title="frustration {esc(level)}"></meter> '
            f'<span class="level">{esc(level)}</span> <span class="text">{esc(x.text)}</span></li>'
        )
    out.append("</ol>")
    return "\n".join(out)
