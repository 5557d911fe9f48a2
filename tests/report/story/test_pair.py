"""One customer in two designs (simulator/report/story/pair.py)."""

from __future__ import annotations

import html
import json
import re

from simulator.report.story.pair import (
    difference_sentence,
    pair_rows,
    pair_title,
    pair_to_json,
    render_pair_html,
    render_pair_markdown,
    render_pair_text,
)


def test_pair_text_has_no_color_by_default(pair):
    assert "\x1b[" not in render_pair_text(*pair)
    assert "\x1b[" in render_pair_text(*pair, color=True)


def test_pair_text_shows_the_differences(pair):
    text = render_pair_text(*pair)
    assert (
        "== siloed: retail-bank-siloed" in text
        and "== omnichannel: retail-bank-omnichannel" in text
    )
    a, b = pair
    row = re.search(r"^repeats \(explaining again\)\s+(\d+)\s+(\d+)$", text, re.MULTILINE)
    assert row and (int(row[1]), int(row[2])) == (a.record.repeats, b.record.repeats)
    assert f"With omnichannel, customer {a.record.cid} " in text


def test_every_format_tells_the_same_differences(pair):
    a, b = pair
    labels = ("siloed", "omnichannel")
    rows = pair_rows(a, b)
    sentence = difference_sentence(a, b, labels)
    markdown = render_pair_markdown(a, b, labels)
    assert markdown.startswith(f"## Customer {a.cid}: ")
    assert "### siloed: retail-bank-siloed" in markdown and "### Key differences" in markdown
    for name, x, y in rows:
        assert f"| {name} | {x} | {y} |" in markdown
    assert sentence in markdown and sentence in " ".join(render_pair_text(a, b, labels).split())
    data = json.loads(json.dumps(pair_to_json(a, b, labels), allow_nan=False))
    assert data["customer"] == a.cid and data["labels"] == list(labels)
    assert data["base"]["scenario"] == a.scenario and data["variant"]["scenario"] == b.scenario
    assert [d["what"] for d in data["differences"]] == [name for name, _, _ in rows]
    assert data["summary"] == sentence
    block = render_pair_html(a, b, labels)
    assert block.startswith(f'<article class="pair" data-testid="pair-{a.cid}"')
    assert block.count('<ol class="timeline"') == 2 and html.escape(sentence) in block


def test_a_label_that_names_its_scenario_is_not_repeated(pair):
    a, b = pair
    title = pair_title(a, b, (a.scenario, f"{b.scenario} (shared_record)"))
    assert title.endswith(f"in two designs: {a.scenario} and {b.scenario} (shared_record).")
    assert "(retail-bank-siloed)" in pair_title(a, b, ("siloed", "omnichannel"))


def test_names_are_escaped_in_the_html_block(pair):
    a, b = pair
    block = render_pair_html(a, b, ("<b>base</b>", "variant & co"))
    assert "<b>base</b>" not in block and "&lt;b&gt;base&lt;/b&gt;" in block
    assert "variant &amp; co" in block
