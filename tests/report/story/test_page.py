"""Standalone pages of a journey and of a pair (simulator/report/story/page.py): complete,
self-contained HTML documents, readable on a phone."""

from __future__ import annotations

from simulator.report.story.page import STORY_CSS, journey_page, pair_page
from tests.report.test_html import parse


def _self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "default-src 'none'" in page and STORY_CSS in page
    assert '<meta name="viewport"' in page
    for tag, attrs in parse(page).tags:
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not value or value.startswith(("data:", "#")), (tag, value)


def test_a_journey_page_is_a_whole_document(siloed_worst):
    page = journey_page(siloed_worst)
    _self_contained(page)
    assert '<ol class="timeline"' in page and 'data-testid="journey"' in page
    assert f"--customer {siloed_worst.cid} --seed 11" in page
    assert "Customer 2008: a digital customer, about a billing dispute" in page


def test_a_pair_page_is_a_whole_document(pair):
    a, b = pair
    page = pair_page(a, b, ("siloed", "omnichannel"))
    _self_contained(page)
    assert f'data-testid="pair-{a.cid}"' in page and page.count('<ol class="timeline"') == 2
    assert "siloed (retail-bank-siloed) and omnichannel (retail-bank-omnichannel)" in page
