"""comparison.json, comparison.md and the terminal table: per channel and per team, verdicts
and trade-offs said plainly, no blended waits in any headline."""

from __future__ import annotations

import json
import re

import pytest

from simulator.cli_common import declared_variants
from simulator.experiment.compare import TRADE_OFF, Comparison, compare
from simulator.report.comparison import (
    CHANNELS_PNG,
    HEADER,
    NO_COSTS,
    VERDICT_RULE,
    comparison_document,
    comparison_markdown,
    comparison_text,
    sections,
    verdict_grid,
)
from simulator.scenario import load_scenario, load_variants_text
from tests.paths import SCENARIOS
from tests.scenario_texts import VOICE_TO_CHAT

#: What a headline must not show: a wait of all channels together.
BLENDED = re.compile(r"\b(ASA|mean wait|p90 wait|90th percentile wait)\b")


@pytest.fixture(scope="module")
def shift(tmp_path_factory: pytest.TempPathFactory) -> Comparison:
    path = tmp_path_factory.mktemp("shift") / "voice_to_chat.yaml"
    path.write_text(VOICE_TO_CHAT)
    return compare(load_scenario(path), declared_variants(path), 4)


def test_the_document_carries_verdicts_per_channel_and_team(shift: Comparison) -> None:
    document = comparison_document(shift)
    json.dumps(document, allow_nan=False)  # valid JSON, nulls for undefined values
    variant = document["variants"]["chat_first"]
    assert variant["verdict"] == TRADE_OFF
    assert variant["areas"]["channels"] == {"chat": "better", "voice": "worse"}
    assert set(variant["areas"]["teams"]) == {"chat_team", "voice_team"}
    assert variant["summary"] == shift.summary("chat_first")
    voice = variant["by_channel"]["voice"]["service_level"]
    assert voice["verdict"] == "worse" and voice["difference"]["ci_high"] < 0
    occupancy = variant["by_group"]["voice_team"]["occupancy"]
    assert occupancy["difference"]["mean"] > 0 and occupancy["verdict"] == "-"
    assert not {"overall.asa_s", "overall.mean_wait_s", "overall.wait_p90_s"} & set(variant["kpis"])
    assert document["variants"]["twin"]["verdict"] == "no significant difference"
    assert document["verdict_rule"] == VERDICT_RULE and document["base_label"] == "voice-to-chat"


def test_markdown_has_one_section_per_channel_and_team(shift: Comparison) -> None:
    markdown = comparison_markdown(shift)
    titles = re.findall(r"^## (.*)$", markdown, re.MULTILINE)
    assert titles[:6] == [
        "Summary",
        "Channel chat",
        "Channel voice",
        "Team chat_team",
        "Team voice_team",
        "Customer journeys",
    ]
    assert "All channels together" in titles
    voice = markdown.split("## Channel voice", 1)[1].split("## ", 1)[0]
    assert "chat_first: **worse**; twin: **no significant difference**" in voice
    assert "| " + " | ".join(HEADER) + " |" in voice
    # KPI by KPI: the base's row, then each variant's, with its difference and verdict.
    assert re.search(r"\| service level \| voice-to-chat \| [\d.]+% \|  \|  \|  \|", voice)
    assert re.search(r"\|  \| chat_first \| [\d.]+% \| -[\d.]+ pts \[.*\] \| worse \|", voice)
    assert f"- {shift.summary('chat_first')}" in markdown


def test_the_verdict_grid_shows_the_trade_off(shift: Comparison) -> None:
    grid = {row[0]: row[1:] for row in verdict_grid(shift)}
    assert grid[""] == ["chat_first", "twin"]
    assert grid["overall verdict"] == [TRADE_OFF, "no significant difference"]
    assert grid["voice"] == ["worse", "no significant difference"]
    assert grid["chat"] == ["better", "no significant difference"]
    assert "team voice_team" not in grid  # occupancy has no direction: its table says enough


def test_sections_list_the_base_then_every_variant(shift: Comparison) -> None:
    (voice,) = [s for s in sections(shift) if s.title == "Channel voice"]
    first = voice.rows[:3]
    assert [r.scenario for r in first] == ["voice-to-chat", "chat_first", "twin"]
    assert first[0].first and first[0].difference == "" and not first[1].first
    assert len(voice.rows) == 3 * voice.kpis
    assert voice.verdicts == {"chat_first": "worse", "twin": "no significant difference"}


def test_the_terminal_names_the_trade_off_without_blended_waits(shift: Comparison) -> None:
    text = comparison_text(shift, ["out/comparison.json"])
    flowing = " ".join(text.split())  # the sentence is wrapped to the terminal
    assert "chat_first: trade-off: chat better (service level" in flowing
    assert "voice worse (service level -" in flowing
    assert "Channel voice" in text and "Team voice_team" in text
    assert text.rstrip().endswith("Wrote out/comparison.json")
    # Waits appear only inside a channel's table or a channel's clause, never for all.
    overall = text.split("Customer journeys", 1)[1]
    assert not BLENDED.search(overall), overall


def test_headlines_of_a_multichannel_comparison_have_no_blended_wait() -> None:
    """The bundled multichannel day (voice seconds, e-mail hours): a wait in the summary
    sentence always belongs to one channel's clause, and the document has no blended wait."""
    text = (SCENARIOS / "multichannel_day.yaml").read_text() + (
        "variants:\n  chat_first:\n    agents.chat_support.count: 16\n"
        "    agents.voice_general.count: 18\n"
    )
    c = compare(load_scenario(SCENARIOS / "multichannel_day.yaml"), load_variants_text(text), 3)
    sentence = c.summary("chat_first")
    clauses = sentence.split(": ", 2)[-1].split("; ")
    assert any(BLENDED.search(clause) for clause in clauses), sentence  # waits did change
    for clause in clauses:
        if BLENDED.search(clause):
            assert clause.split(" ", 1)[0] in ("voice", "chat", "email"), clause
    kpis = comparison_document(c)["variants"]["chat_first"]["kpis"]
    assert not [k for k in kpis if k.startswith("overall.") and k.endswith("_s")]
    headline = sections(c, headline=True)
    for section in headline:
        if not section.title.startswith("Channel "):
            assert not any(BLENDED.search(row.kpi) for row in section.rows), section.title


def test_markdown_shows_the_charts_it_is_given(shift: Comparison) -> None:
    assert "![" not in comparison_markdown(shift)
    markdown = comparison_markdown(shift, [CHANNELS_PNG])
    assert f"![Per channel]({CHANNELS_PNG})" in markdown
    assert NO_COSTS in markdown  # said where the cost chart would be


def test_pain_points_are_compared_in_points_of_share(shift: Comparison) -> None:
    """Where frustration comes from, per variant (issue #13): each cause's share of all points,
    its difference in percentage points, and no better/worse verdict (a share says where the
    pain is, not how much; points per customer carry the verdict)."""
    document = comparison_document(shift)
    kpis = document["variants"]["chat_first"]["kpis"]
    share = kpis["journey.pain_points.causes.waiting_beyond_promise.share"]
    assert share["verdict"] == "-"
    assert kpis["journey.pain_points.points_per_customer"]["verdict"] in (
        "better",
        "worse",
        "no significant difference",
    )
    journeys = comparison_markdown(shift).split("## Customer journeys", 1)[1].split("\n## ", 1)[0]
    row = r"\| pain: waiting beyond the promise \| voice-to-chat \| [\d.]+% \|"
    assert re.search(row, journeys)
    assert re.search(r"\| frustration points per customer \| voice-to-chat \|", journeys)
