"""The explorer's stratified sample across replications (simulator.observe.journey_sample)."""

from __future__ import annotations

import collections
import dataclasses

import pytest

from simulator.experiment.replicate import run_replications
from simulator.experiment.tracing import collect
from simulator.observe.collector import journey_explorer
from simulator.observe.journey_sample import (
    Candidates,
    ExplorerSample,
    ExplorerSelection,
    outcome_of,
    stratum_of,
)
from simulator.observe.trace import TracedJourney, real_service
from simulator.scenario import load_scenario
from simulator.scenario.schema import Scenario
from tests.paths import SCENARIOS


@pytest.fixture(scope="module")
def omni() -> Scenario:
    return load_scenario(SCENARIOS / "retail_bank_omnichannel.yaml")


@pytest.fixture(scope="module")
def explored(omni: Scenario) -> tuple[list[TracedJourney], dict[int, Candidates]]:
    explorer = journey_explorer(10)
    run_replications(omni, 10, observers=[explorer])
    return explorer.journeys, explorer.products


def test_the_explorer_shows_every_kind_of_customer_of_the_run(explored):
    journeys, products = explored
    assert len(journeys) == 240 and len({(t.replication, t.cid) for t in journeys}) == 240
    met = {key for c in products.values() for key in c.strata}
    shown = {stratum_of(t) for t in journeys}
    assert shown == met  # every segment x intent x first channel x outcome met in any run
    for position in range(4):
        assert {key[position] for key in shown} == {key[position] for key in met}
    assert {"resolved", "gave_up"} <= {key[3] for key in shown}
    assert {t.replication for t in journeys} == set(range(10))  # spread over the run


def test_the_headline_journeys_are_the_runs_worst_typical_and_best(explored):
    journeys, products = explored
    worst, typical, best = journeys[:3]
    assert (worst.pick, typical.pick, best.pick) == ("worst", "typical", "best")
    finished = sum(c.finished for c in products.values())
    assert worst.population == typical.population == best.population == finished
    peaks = [c.headline[0].record.peak_frustration for c in products.values()]
    assert worst.record.peak_frustration == max(peaks)
    assert real_service(best.record)  # not a ghost contact of a few seconds
    assert best.record.time_to_resolution_s - best.record.total_wait_s >= 60


def test_each_stratum_shows_its_worst_journey_over_all_replications(explored):
    journeys, products = explored
    shown = {(t.replication, t.cid) for t in journeys}
    by_stratum = collections.defaultdict(list)
    for c in products.values():
        for key, (worst, _typical) in c.strata.items():
            by_stratum[key].append(worst)
    for key, worsts in by_stratum.items():
        top = max(worsts, key=lambda t: (t.record.peak_frustration, -t.replication, -t.cid))
        assert (top.replication, top.cid) in shown, key
        assert stratum_of(top) == key and top.population >= 1


def test_candidates_of_a_replication(omni: Scenario):
    run = collect(omni, 2)
    records, events = run
    offered = ExplorerSample(size=240, replications=10)(omni, 2, omni.seed, run)
    assert offered.finished == len(records)
    assert [t.pick for t in offered.headline] == ["worst", "typical", "best"]
    assert len(offered.drawn) == 24 and {t.pick for t in offered.drawn} == {"random"}
    assert len({t.cid for t in offered.drawn}) == 24
    for key, (worst, typical) in offered.strata.items():
        members = [r for r in records if (r.segment, r.intent) == key[:2]]
        members = [m for m in members if events[m.cid][0].channel == key[2]]
        members = [m for m in members if outcome_of(m) == key[3]]
        assert worst.record.peak_frustration == max(m.peak_frustration for m in members)
        assert worst.population == typical.population == len(members)
        assert (worst.pick, typical.pick) == ("sample", "sample")


def test_the_random_draws_follow_the_seed(omni: Scenario):
    run = collect(omni)
    a = ExplorerSample(replications=10)(omni, 0, 11, run)
    again = ExplorerSample(replications=10)(omni, 0, 11, run)
    other = ExplorerSample(replications=10)(omni, 0, 12, run)
    assert [t.cid for t in a.drawn] == [t.cid for t in again.drawn]
    assert [t.cid for t in a.drawn] != [t.cid for t in other.drawn]


def test_the_selection_does_not_depend_on_the_order_replications_come_back(explored):
    journeys, products = explored
    backwards = dict(reversed(list(products.items())))
    assert ExplorerSelection()(backwards) == journeys
    assert len(ExplorerSelection(size=50)(products)) == 50


def test_a_small_run_shows_every_finished_customer_once(omni: Scenario):
    rates = tuple(rate / 80 for rate in omni.arrivals.rates)  # about 50 customers a day
    tiny = dataclasses.replace(omni, arrivals=dataclasses.replace(omni.arrivals, rates=rates))
    explorer = journey_explorer(2)
    run_replications(tiny, 2, observers=[explorer])
    finished = sum(c.finished for c in explorer.products.values())
    assert finished < 240
    assert len(explorer.journeys) == finished


def test_a_run_where_nobody_finished_offers_nothing(omni: Scenario):
    nothing = ExplorerSample()(omni, 0, 1, ([], {}))
    assert nothing == Candidates(0, (), {}, ())
    assert ExplorerSelection()({0: nothing}) == []
