"""The terminal summary (simulator/report/text.py): all channels together only as counts, rates
and promise-relative shares; waits per channel; each team; the weakest interval of each channel;
money as two sums never added; a frustration level read as its state, as the language defines
it."""

from __future__ import annotations

import math
import re

import pytest

from simulator.experiment.replicate import RunResult, run_replications
from simulator.report.text import state_at, summary_text
from simulator.scenario import load_scenario, load_scenario_text
from simulator.scenario.frustration import STATES, state_of
from tests.paths import SCENARIOS
from tests.scenario_texts import VOICE_AND_EMAIL

#: Words that name an absolute wait.
WAIT_WORDS = re.compile(r"\b(ASA|wait|waits|speed of answer|time to answer)\b", re.IGNORECASE)
#: The tables whose rows are one channel, or one kind of channel, each.
PER_CHANNEL_TABLES = ("By channel", "By kind")


@pytest.fixture(scope="module")
def result() -> RunResult:
    scenario = load_scenario_text(
        VOICE_AND_EMAIL + "costs: {agent_hour: 30, lifetime_value: 500}\n"
    )
    return run_replications(scenario, 3, workers=1)


@pytest.fixture(scope="module")
def summary(result: RunResult) -> str:
    return summary_text(result)


def _blocks(text: str) -> list[list[str]]:
    """The summary's blocks (separated by blank lines), each a list of its lines."""
    return [block.splitlines() for block in text.split("\n\n") if block.strip()]


def test_no_line_of_the_summary_blends_waits_of_several_channels(
    summary: str, result: RunResult
) -> None:
    """Absolute waits appear only in rows that are one channel (or one kind), or in a line that
    names its channel; the all-channels table has none."""
    channels = list(result.scenario.channels)
    seen_in_tables = 0
    for block in _blocks(summary):
        title = block[0].strip()
        if title.startswith(PER_CHANNEL_TABLES):
            assert WAIT_WORDS.search(title)  # the ASA and p90 columns
            names = [line.split()[0] for line in block[1::2]]
            assert set(names) <= {*channels, "synchronous", "asynchronous"}, names
            seen_in_tables += 1
            continue
        for line in block[1:]:
            if WAIT_WORDS.search(line) and re.search(r"\d", line):  # a figure, not a note
                first = line.split()[0]
                assert first in channels, line
    assert seen_in_tables == 2  # by channel, by kind (voice is synchronous, e-mail not)
    overall = next(b for b in _blocks(summary) if b[0].strip().startswith("All channels"))
    assert not any(WAIT_WORDS.search(line) for line in overall[1:])
    assert any(line.strip().startswith("Answered within promise") for line in overall)


def test_each_channel_and_team_has_its_figures(summary: str, result: RunResult) -> None:
    blocks = {b[0].split()[0] + " " + b[0].split()[1]: b for b in _blocks(summary)}
    channel_rows = blocks["By channel"][1::2]
    assert [row.split()[0] for row in channel_rows] == list(result.summary["by_channel"])
    voice = result.summary["by_channel"]["voice"]["offered"].mean
    assert any(row.split()[0] == "voice" and f"{voice:,.0f}" in row for row in channel_rows)
    team_rows = blocks["By agent"][1::2]
    assert [row.split()[0] for row in team_rows] == list(result.summary["by_group"])


def test_the_weakest_interval_of_each_channel_is_named(summary: str, result: RunResult) -> None:
    block = next(b for b in _blocks(summary) if b[0].strip().startswith("Weakest interval"))
    rows = {line.split()[0]: line for line in block[1:]}
    label = result.scenario.horizon.label
    intervals = result.summary["by_interval"]
    for name in ("voice", "email"):
        levels = [row["by_channel"][name]["service_level"].mean for row in intervals]
        worst = min(range(len(levels)), key=levels.__getitem__)
        assert rows[name].split()[1] == label(worst)
        assert f"service level {100 * levels[worst]:.1f}%" in rows[name]
    assert {"voice_team", "email_team", "complaints_team"} <= set(rows)
    assert [line.strip() for line in block if line.strip().startswith("Busiest")] == [
        "Busiest interval per agent group (highest occupancy):"
    ]


def test_money_comes_as_two_sums_never_added(summary: str, result: RunResult) -> None:
    costs = result.summary["costs"]
    operating = next(line for line in summary.splitlines() if "Operating cost per run" in line)
    at_risk = next(line for line in summary.splitlines() if "value at risk per run" in line)
    assert f"{costs['operating'].mean:,.0f}" in operating and "agents" in operating
    assert f"{costs['value_at_risk'].mean:,.0f}" in at_risk and "churn above base" in at_risk
    assert "total" not in summary.lower()


def test_state_at_agrees_with_the_language_definition():
    params = load_scenario(SCENARIOS / "retail_bank_siloed.yaml").frustration
    levels = dict(zip(STATES, (0.0, params.irritated, params.angry, params.furious), strict=True))
    for f in [0.0, 1e-9, 24.999, 25.0, 49.9, 50.0, 74.99, 75.0, 99.0, 100.0]:
        assert state_at(f, levels) == state_of(f, params), f
    assert state_at(math.nan, levels) == ""  # an undefined mean has no state
    assert state_at(3.0, {}) == ""
