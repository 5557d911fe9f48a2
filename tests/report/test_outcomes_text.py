"""The outcomes in the summary's words (simulator/report/outcomes_text.py)."""

from __future__ import annotations

import pytest

from simulator.experiment.replicate import run_replications
from simulator.report.outcomes_text import outcome_lines
from simulator.report.text import summary_text
from simulator.scenario import load_scenario
from tests.paths import ROOT


@pytest.fixture(scope="module")
def social():
    scenario = load_scenario(ROOT / "scenarios" / "social_first_brand.yaml")
    return run_replications(scenario, 2, workers=1)


def test_summary_states_the_denominator_and_the_unfinished(social):
    text = " ".join(summary_text(social).split())
    journey = social.summary["journey"]
    customers = f"{journey['customers'].mean:,.0f}"
    unfinished = f"{journey['unfinished'].mean:,.0f}"
    assert f"Every outcome counts all {customers} customers after the warm-up" in text
    assert f"and {unfinished} (" in text and "still unfinished at the cut-off" in text


def test_summary_ranks_the_pain_points(social):
    lines = outcome_lines(social)
    start = next(i for i, line in enumerate(lines) if "Where frustration comes from" in line)
    ranked = [x for x in lines[start + 1 :] if x.startswith("    ") and "by channel:" not in x]
    shares = [float(line.split("%")[0].split()[-1]) for line in ranked]
    assert shares == sorted(shares, reverse=True) and shares[0] > 30
    assert "waiting beyond the promise" in ranked[0]
