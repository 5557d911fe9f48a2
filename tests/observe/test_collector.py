"""Journeys recorded during a run (simulator.observe.collector): a replaceable choice in the
worker, a replaceable selection in the main process."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from simulator.experiment.replicate import run_replications
from simulator.experiment.tracing import collect
from simulator.observe.collector import EventKeeper, JourneyCollector, WholeRun, journey_explorer
from simulator.observe.journey_sample import EXPLORER_SIZE, ExplorerSample, ExplorerSelection
from simulator.observe.trace import Run, trace_in
from simulator.scenario import load_scenario
from simulator.scenario.schema import Scenario
from tests.paths import SCENARIOS


@pytest.fixture(scope="module")
def bot() -> Scenario:
    return load_scenario(SCENARIOS / "ecommerce_ai_bot.yaml")


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


def test_the_selection_is_replaceable_and_sees_every_product(bot: Scenario):
    def last_of_each(products):
        return [products[r][-1] for r in sorted(products)]

    collector = JourneyCollector(WorstOfEach(), range(2), select=last_of_each)
    run_replications(bot, 2, observers=[collector])
    assert sorted(collector.products) == [0, 1]
    assert [t.replication for t in collector.journeys] == [0, 1]


def test_the_explorer_watches_every_replication(bot: Scenario):
    explorer = journey_explorer(3)
    assert explorer.factory.replications == frozenset({0, 1, 2})
    assert explorer.factory.choice == ExplorerSample(EXPLORER_SIZE, 3)
    run_replications(bot, 3, observers=[explorer])
    assert {t.replication for t in explorer.journeys} == {0, 1, 2}
    assert explorer.journeys == ExplorerSelection()(explorer.products)


def test_a_whole_run_comes_back_as_recorded(bot: Scenario):
    keeper = JourneyCollector(WholeRun())
    run_replications(bot, 1, observers=[keeper])
    assert keeper.products[0] == collect(bot)


def test_the_keeper_groups_events_by_customer_and_drops_them_on_abort(bot: Scenario):
    records, events = collect(bot)
    keeper = EventKeeper()
    for case in events.values():
        for event in case:
            keeper(event)
    assert keeper.finish(records) == (records, events)
    keeper.abort()
    assert keeper.events == {}
    counted = EventKeeper(lambda run: len(run[0])).finish(records)
    assert counted == len(records)
