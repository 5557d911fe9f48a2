"""Replications of several scenarios at once (simulator.experiment.replicate.run_many), each
watched by its own observers."""

from __future__ import annotations

import json

import pytest

from simulator.cli_common import declared_variants
from simulator.experiment.replicate import run_many
from simulator.observe.collector import JourneyCollector, WholeRun
from simulator.scenario import load_scenario
from tests.experiment.test_replication import Tally
from tests.paths import SCENARIOS


class Counted:
    """An observer counting the events of the replications it watches (picklable factory)."""

    def __init__(self) -> None:
        self.received: dict[int, tuple[int, int]] = {}

    @property
    def factory(self):
        return _every_replication

    def receive(self, replication: int, product) -> None:
        self.received[replication] = product


def _every_replication(scenario, replication, seed):
    return Tally()


def test_each_scenario_is_watched_by_its_own_observers():
    path = SCENARIOS / "retail_bank_siloed.yaml"
    base, variants = load_scenario(path), declared_variants(path)
    scenarios = [base, *variants.values()]
    plain = run_many(scenarios, 2)
    counted = [Counted() for _ in scenarios]
    kept = JourneyCollector(WholeRun())
    watched = run_many(
        scenarios, 2, observers_by_scenario=[[counted[0], kept], *[[c] for c in counted[1:]]]
    )
    for a, b in zip(plain, watched, strict=True):
        assert json.dumps(a.per_replication) == json.dumps(b.per_replication)
    for observer, result in zip(counted, watched, strict=True):
        assert sorted(observer.received) == [0, 1]
        events = [n for n, _records in observer.received.values()]
        assert all(n > result.per_replication[0]["journey"]["customers"] for n in events)
    assert counted[0].received != counted[1].received  # another design, other events
    records, _events = kept.products[0]
    assert (
        len(records)
        == plain[0].per_replication[0]["journey"]["resolved"]
        + plain[0].per_replication[0]["journey"]["gave_up"]
    )


def test_observers_must_say_which_scenario_they_watch():
    scenario = load_scenario(SCENARIOS / "single_queue.yaml")
    with pytest.raises(ValueError, match="one scenario at a time"):
        run_many([scenario, scenario], 1, observers=[Counted()])
    with pytest.raises(ValueError, match="one sequence of observers per scenario"):
        run_many([scenario, scenario], 1, observers_by_scenario=[[Counted()]])
