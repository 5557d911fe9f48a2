"""Rendering a told journey: text, Markdown, JSON, HTML (simulator/report/story/render.py)."""

from __future__ import annotations

import dataclasses
import json
import re

from simulator.experiment.tracing import trace
from simulator.report.story import words
from simulator.report.story.render import (
    render_html_fragment,
    render_markdown,
    render_text,
    to_json,
)
from simulator.report.story.telling import narrate, summary_line
from tests.conftest import ECOMMERCE


def test_color_codes_only_when_asked(siloed_worst):
    assert "\x1b[" not in render_text(siloed_worst)
    assert "\x1b[" in render_text(siloed_worst, color=True)


def test_text_fits_the_width(siloed_worst):
    for width in (80, 100):
        assert max(len(line) for line in render_text(siloed_worst, width=width).splitlines()) <= (
            width
        )
    assert re.search(r"\[#{7}\.{3}\]\s+74 angry", render_text(siloed_worst))


def test_to_json_is_serialisable(siloed_worst):
    data = to_json(siloed_worst)
    text = json.dumps(data, allow_nan=False)
    back = json.loads(text)
    assert back["customer"]["id"] == 2008 and back["customer"]["first_channel"] == "chat"
    assert back["record"]["repeats"] == 3
    assert len(back["events"]) == len(siloed_worst.events)
    assert back["narrative"][0]["clock"] == "13:17"
    assert back["summary"] == summary_line(siloed_worst)


def test_markdown_and_html(siloed_worst):
    md = render_markdown(siloed_worst)
    assert md.startswith("### Customer 2008") and "| 13:17 |" in md
    fragment = render_html_fragment(siloed_worst)
    assert fragment.startswith('<ol class="timeline"') and fragment.endswith("</ol>")
    assert fragment.count("<li ") == len(narrate(siloed_worst))


def test_html_escapes_names():
    base = trace(ECOMMERCE, "worst")
    t = dataclasses.replace(base, scenario="<b>&co</b>")
    fragment = render_html_fragment(t)
    assert "<b>" not in fragment and "&lt;b&gt;&amp;co" in fragment
    intents = dict(words.INTENTS)
    try:
        words.INTENTS[t.record.intent] = "<script>"
        assert "<script>" not in render_html_fragment(t)
    finally:
        words.INTENTS.clear()
        words.INTENTS.update(intents)
