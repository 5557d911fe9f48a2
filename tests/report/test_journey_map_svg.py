"""The journey map drawn as inline SVG (simulator.report.journey_map_svg)."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from simulator.report.journey_map_svg import (
    MIN_SHARE,
    pain_points,
    pain_sentence,
    render_journey_map,
)

LEVELS = {"calm": 0.0, "irritated": 25.0, "angry": 50.0, "furious": 75.0}
HOSTILE = '<script>alert("x")</script>'


def segment(customers: float = 100.0) -> dict:
    """100 customers: 60 call, 40 chat; the callers reach billing, some give up."""
    return {
        "customers": customers,
        "nodes": [
            [0, "channel", "voice", 60.0, 0.0],
            [0, "channel", "chat", 40.0, 0.0],
            [1, "team", "billing", 50.0, 30.0],
            [1, "left", "abandoned", 10.0, 55.0],
            [1, "team", "chat_support", 40.0, 5.0],
            [2, "end", "resolved", 88.0, 12.0],
            [2, "end", "gave_up", 10.0, 60.0],
            [2, "channel", "email", 0.5, 90.0],  # below MIN_SHARE: not drawn
        ],
        "links": [[0, 2, 50.0], [0, 3, 10.0], [1, 4, 40.0], [2, 5, 48.0], [3, 6, 10.0]],
    }


def the_map(**segments: dict) -> dict:
    return {"replications": 2, "max_steps": 8, "segments": segments or {"all": segment()}}


def test_pain_points_rank_the_frustration_arriving():
    points = pain_points(segment())
    # billing 50 x 30 = 1500, gave up 10 x 60 = 600, abandoned 10 x 55 = 550, chat 40 x 5 = 200;
    # the first contacts and the resolutions are no pain points.
    assert [p.step for p in points] == [
        "team billing",
        "ended: gave up",
        "left without anyone: abandoned",
        "team chat support",
    ]  # not the email step, too rare to draw
    assert pain_sentence(points[0]) == (
        "team billing (step 2): 50 customers a run arrive at frustration 30"
    )
    assert len(pain_points(segment(), top=2)) == 2


def test_each_segment_gets_a_valid_svg_with_counts_and_frustration():
    body = render_journey_map(the_map(all=segment(), digital=segment(50.0)), LEVELS)
    svgs = re.findall(r"<svg.*?</svg>", body, re.DOTALL)
    assert len(svgs) == 2
    for svg in svgs:
        tree = ElementTree.fromstring(svg)  # well-formed XML
        texts = " ".join("".join(t.itertext()) for t in tree.iter("text"))
        assert "billing" in texts and "50 · 30" in texts
        assert "first contact" in texts
    # Only the first segment shows; the selector offers both.
    assert body.count('class="map-segment"') == 2 and body.count(" hidden>") == 1
    assert '<option value="digital">digital</option>' in body


def test_rare_steps_are_left_out_of_the_drawing():
    svg = re.search(r"<svg.*?</svg>", render_journey_map(the_map(), LEVELS), re.DOTALL)
    drawn = re.findall(r"<rect ", svg.group(0))
    assert len(drawn) == 7  # the 0.5 % email step (below MIN_SHARE) is not
    assert MIN_SHARE * 100 > 0.5


def test_steps_are_colored_by_the_state_customers_arrive_in():
    body = render_journey_map(the_map(), LEVELS)
    assert '<g class="node irritated" data-kind="team">' in body  # billing, 30
    assert '<g class="node angry" data-kind="end">' in body  # gave up, 60


def test_names_are_escaped_and_no_map_says_so():
    hostile = segment()
    hostile["nodes"][2][2] = HOSTILE
    body = render_journey_map(the_map(**{HOSTILE: hostile}), LEVELS)
    assert "<script>" not in body and "&lt;script&gt;" in body
    for empty in (None, {}, {"segments": {}}):
        assert 'data-testid="map-empty"' in render_journey_map(empty, LEVELS)
