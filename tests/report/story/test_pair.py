"""One customer in two designs (simulator/report/story/pair.py)."""

from __future__ import annotations

import re

from simulator.report.story.pair import render_pair_text


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
