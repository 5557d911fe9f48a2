"""Recording a run and tracing customers in it (simulator/experiment/tracing.py)."""

from __future__ import annotations

import dataclasses

import pytest

from simulator.experiment.tracing import sample_traces, trace, trace_pair
from simulator.observe import events as ev
from simulator.observe.trace import TraceError, pick
from simulator.report.narrative import (
    render_text,
)
from simulator.scenario import load_scenario_text
from tests.conftest import EVERYTHING, SILOED

# -- trace, sample_traces, trace_pair -----------------------------------------------------------


def test_trace_is_deterministic(siloed_worst):
    again = trace(SILOED, "worst")
    assert again == siloed_worst
    assert render_text(again) == render_text(siloed_worst)


def test_trace_carries_the_customer_and_the_scenario_facts(siloed_worst, siloed):
    records, events = siloed
    t = siloed_worst
    assert t.record == pick(records, "worst")
    assert list(t.events) == events[t.record.cid]
    assert t.events[0].activity == ev.ARRIVED and t.events[0].time == t.record.arrived_s
    assert (t.scenario, t.replication, t.seed, t.pick) == ("retail-bank-siloed", 0, 11, "worst")
    assert (t.horizon_start, t.clock, t.population) == (8 * 3600.0, True, len(records))
    assert t.expected_response["voice"] == 60.0
    assert t.thresholds == {"irritated": 25.0, "angry": 50.0, "furious": 75.0}
    hash(t)  # usable as a key


def test_sample_traces_are_distinct_and_from_one_run(siloed):
    records, _ = siloed
    traces = sample_traces(SILOED, sample=5)
    assert [t.pick for t in traces] == ["worst", "typical", "best"] + ["random"] * 5
    assert len({t.record.cid for t in traces}) == 8
    assert traces[0].record == pick(records, "worst")
    assert traces[1].record == pick(records, "typical")
    assert traces[2].record == pick(records, "best")


def test_a_random_pick_follows_the_seed_of_the_run():
    drawn = [trace(SILOED, "random", seed=seed) for seed in (1, 2, 3)]
    assert len({t.record.cid for t in drawn}) == 3  # not the same arrival rank every time
    assert [t.rng_seed for t in drawn] == [1, 2, 3]
    assert trace(SILOED, "random", seed=2) == drawn[1]
    assert trace(SILOED, "random", seed=2, rng_seed=7).record.cid != drawn[1].record.cid


def test_trace_pair_follows_the_same_customer(pair):
    a, b = pair
    assert a.record.cid == b.record.cid
    assert a.record.arrived_s == b.record.arrived_s
    assert (a.record.intent, a.record.segment) == (b.record.intent, b.record.segment)
    assert a.events[0].channel == b.events[0].channel  # same first channel
    assert (a.scenario, b.scenario) == ("retail-bank-siloed", "retail-bank-omnichannel")
    assert a.record.repeats > 0
    assert b.record.repeats <= a.record.repeats


def test_trace_pair_says_when_the_customer_is_not_comparable():
    scenario = load_scenario_text(EVERYTHING)
    moved = dataclasses.replace(scenario, name="other-demand", seed=6)
    with pytest.raises(TraceError, match=r"not the same person|cannot compare"):
        trace_pair(scenario, moved, how="worst")
