"""How a journey ends (simulator/model/endings.py): resolved, given up, or unfinished when the
run stops; every customer counted after the warm-up in exactly one outcome, each record ended
when its journey's last event says, and the results counting the same outcomes."""

from __future__ import annotations

from collections import Counter

import pytest

from simulator.experiment.replication import replication_counts
from simulator.experiment.tracing import collect
from simulator.observe import events as ev
from simulator.observe.results import replication_results
from simulator.scenario import load_scenario_text
from tests.conftest import EVERYTHING


@pytest.fixture(scope="module")
def run():
    scenario = load_scenario_text(EVERYTHING)
    records, events = collect(scenario)
    return scenario, records, events


def test_every_customer_ends_in_one_outcome_the_results_count_too(run):
    scenario, records, _events = run
    outcomes = Counter(r.outcome for r in records)
    assert set(outcomes) == {"resolved", "gave_up", "unfinished"}
    journey = replication_results(replication_counts(scenario, 0), scenario)["journey"]
    assert journey["customers"] == len(records)
    for outcome, count in outcomes.items():
        assert journey[outcome] == count, outcome


def test_a_record_ends_with_its_journey_or_when_the_run_stops(run):
    scenario, records, events = run
    stop = scenario.horizon.end + scenario.horizon.drain
    ends = {"resolved": ev.RESOLVED, "gave_up": ev.GAVE_UP}
    for r in records:
        last = events[r.cid][-1]
        if r.outcome == "unfinished":
            assert r.ended_s == stop and last.activity not in ends.values()
            assert not r.resolved and r.time_to_resolution_s is None
        else:
            assert last.activity == ends[r.outcome] and r.ended_s == last.time
            assert r.resolved == (r.outcome == "resolved")
