"""The executive summary's pain points and worst journey (simulator.report.executive)."""

from __future__ import annotations

from simulator.report.executive import EXECUTIVE_CSS, render_executive, worst_entry
from tests.report.test_html import journey
from tests.report.test_journey_map_svg import LEVELS, the_map


def test_the_summary_names_the_top_pain_points_and_the_worst_journey():
    entries = [
        journey("1", "random", [], peak=90.0),
        journey("2", "worst", [], peak=70.0, summary="Customer 2: gave up furious"),
    ]
    assert worst_entry(entries)["id"] == "2"  # the run's worst, not a sample's higher peak
    body = render_executive(the_map(), entries, LEVELS)
    assert body.count("<li>") == 3 and "team billing (step 2)" in body
    assert "Customer 2: gave up furious" in body and "In the end: resolved." in body


def test_nothing_known_nothing_shown():
    assert render_executive(None, [], LEVELS) == ""
    assert worst_entry([]) is None
    assert "top-pain-points" not in render_executive(None, [journey("1", "worst", [])], LEVELS)


def test_printing_keeps_the_summary_alone():
    printed = EXECUTIVE_CSS[EXECUTIVE_CSS.index("@media print") :]
    assert "section:not(#summary)" in printed and "display: none" in printed


def test_the_pain_points_say_why_then_where():
    """One story: the largest causes of frustration with their shares, then the map's steps."""
    causes = [("explaining everything again", 0.41), ("being transferred", 0.22), ("x", 0.12)]
    body = render_executive(the_map(), [], LEVELS, causes)
    why = body.index("Most frustration comes from explaining everything again (41%)")
    assert "being transferred (22%) and x (12%); where on the journey it built up:" in body
    assert why < body.index("team billing (step 2)")
    alone = render_executive(None, [], LEVELS, causes[:1])
    assert "comes from explaining everything again (41%).</p>" in alone
    assert "top-pain-points" not in alone  # no map, no steps: the causes alone
