"""Traced journeys recorded during a run (simulator.observe.collector)."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from simulator.experiment.replicate import run_replications
from simulator.experiment.tracing import collect, sample_traces
from simulator.observe.collector import EventKeeper, ExplorerSample, JourneyCollector
from simulator.observe.trace import Run, TracedJourney, trace_in
from simulator.scenario import load_scenario
from simulator.scenario.schema import Scenario
from tests.paths import SCENARIOS


@pytest.fixture(scope="module")
def bot() -> Scenario:
    return load_scenario(SCENARIOS / "ecommerce_ai_bot.yaml")


def test_the_explorer_sample_is_the_one_cxsim_always_showed(bot: Scenario):
    explorer = JourneyCollector()
    run_replications(bot, 2, observers=[explorer])
    assert explorer.journeys == sample_traces(bot, sample=5, replication=0)


@dataclasses.dataclass(frozen=True)
class WorstOfEach:
    """A replacement choice: the worst customer of every watched replication."""

    def __call__(self, scenario: Scenario, replication: int, seed: int, run: Run):
        return [trace_in(run, scenario, "worst", replication=replication, seed=seed)]


def test_the_choice_and_the_replications_watched_are_replaceable(bot: Scenario):
    explorer = JourneyCollector(WorstOfEach(), replications=[2, 0])
    run_replications(bot, 3, seed=4, observers=[explorer])
    assert [(t.replication, t.pick, t.seed) for t in explorer.journeys] == [
        (0, "worst", 4),
        (2, "worst", 4),
    ]
    worst_of_2 = trace_in(collect(bot, 2, 4), bot, "worst", replication=2, seed=4)
    assert explorer.journeys[1] == worst_of_2
    assert pickle.loads(pickle.dumps(explorer.factory)) == explorer.factory


def test_a_run_where_nobody_finished_gives_an_empty_explorer(bot: Scenario):
    empty: Run = ([], {})
    assert ExplorerSample()(bot, 0, 1, empty) == []


def test_the_keeper_groups_events_by_customer_and_drops_them_on_abort(bot: Scenario):
    records, events = collect(bot)
    keeper = EventKeeper()
    for case in events.values():
        for event in case:
            keeper(event)
    assert keeper.finish(records) == (records, events)
    keeper.abort()
    assert keeper.events == {}
    traced = EventKeeper(lambda run: len(run[0])).finish(records)
    assert traced == len(records)
    assert isinstance(sample_traces(bot, sample=0)[0], TracedJourney)
