"""The report's plain-language glossary (simulator.report.glossary)."""

from __future__ import annotations

import re

from simulator.report.glossary import GLOSSARY, render_glossary
from simulator.report.html import HEADLINE
from simulator.report.text import JOURNEY_ROWS, OVERALL_ROWS

CODE_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b")  # asa_s, churn_rate...


def _defined(label: str) -> bool:
    """Whether a figure's label is a glossary term or named in one (case and plural aside)."""
    words = re.sub(r"\s*\(.*\)", "", label).lower().rstrip("s")
    return any(words in term.lower() or words in text.lower() for term, text in GLOSSARY)


def test_every_figure_of_the_page_is_defined_in_plain_words():
    labels = [label for _, _, label in HEADLINE] + [label for _, label in OVERALL_ROWS]
    labels += [label for _, label in JOURNEY_ROWS] + ["Operating cost", "Customer value at risk"]
    assert [label for label in labels if not _defined(label)] == []
    for term, text in GLOSSARY:
        assert not CODE_NAME.search(text), term
    for needed in ("95 % CI", "NPS (model)", "Expected churn", "Effort score (1-7)"):
        assert needed in dict(GLOSSARY)


def test_technical_definitions_follow_folded():
    page = render_glossary({"definitions": {"asa_s": "mean wait of answered"}}, "calm below 25")
    assert page.index('data-testid="glossary"') < page.index("<details")
    assert "<dt>asa_s</dt>" in page and "calm below 25" in page
    assert "<details" not in render_glossary({})
