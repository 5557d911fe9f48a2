"""Pain points (simulator/observe/pain.py): where frustration comes from, as shares of 100 %."""

from __future__ import annotations

import math

import pytest

from simulator.observe.pain import CAUSE_WORDS, CAUSES, EVENT_CAUSES, pain_points
from simulator.scenario import load_scenario
from tests.journey_builders import run
from tests.paths import ROOT

NAMES = {"by_channel": ["voice", "chat"], "by_segment": ["s"], "by_intent": ["a", "b"]}


def test_every_cause_is_worded_and_every_event_has_a_cause():
    assert set(CAUSE_WORDS) == set(CAUSES)
    assert set(EVENT_CAUSES.values()) <= set(CAUSES)


def test_shares_add_up_to_one_in_every_scope():
    counts = {
        ("waiting", "voice", "s", "a"): 30.0,
        ("repeating", "voice", "s", "b"): 10.0,
        ("transfer", "chat", "s", "a"): 60.0,
    }
    pain = pain_points(counts, 10, NAMES)
    assert pain["points"] == 100.0 and pain["points_per_customer"] == 10.0
    assert pain["causes"]["transfer"]["share"] == 0.6
    assert math.fsum(c["share"] for c in pain["causes"].values()) == pytest.approx(1.0)
    assert pain["by_channel"]["voice"]["points"] == 40.0
    assert pain["by_channel"]["voice"]["causes"]["waiting"]["share"] == 0.75
    assert pain["by_intent"]["b"]["causes"]["repeating"]["share"] == 1.0
    # A scope where nothing hurt is listed, with no shares (NaN, not 0 % of nothing).
    empty = pain_points({}, 10, NAMES)
    assert empty["points"] == 0.0 and math.isnan(empty["causes"]["waiting"]["share"])
    assert set(empty["by_channel"]) == {"voice", "chat"}


@pytest.mark.parametrize("name", ["retail_bank_siloed", "social_first_brand"])
def test_a_run_attributes_its_points_and_every_scope_adds_up(name):
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    kpis, _records = run(scenario)
    pain = kpis["journey"]["pain_points"]
    total = pain["points"]
    assert total > 0
    assert math.fsum(c["share"] for c in pain["causes"].values()) == pytest.approx(1.0)
    assert pain["points_per_customer"] == pytest.approx(total / kpis["journey"]["customers"])
    for scope in ("by_channel", "by_segment", "by_intent"):
        assert math.fsum(s["points"] for s in pain[scope].values()) == pytest.approx(total)
        for cause in CAUSES:
            assert math.fsum(
                s["causes"][cause]["points"] for s in pain[scope].values()
            ) == pytest.approx(pain["causes"][cause]["points"])
    # The siloed bank redirects social media to the phone; the social brand keeps customers
    # waiting for days: each shows up where it should.
    top = max(CAUSES, key=lambda c: pain["causes"][c]["share"])
    if name == "social_first_brand":
        assert top == "waiting_beyond_promise"
    else:
        assert pain["causes"]["redirect"]["share"] > 0.05
