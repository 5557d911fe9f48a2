"""The two halves of an observer (simulator/observe/observer.py), checked on every observer the
package ships: the factory survives the trip to a worker process unchanged, and gives there a
recorder with every member the protocol names (or None for a replication it does not watch).
Runs watched by observers are tested in tests/experiment/test_replication.py."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from simulator.observe.collector import JourneyCollector, WholeRun
from simulator.observe.eventlog_parts import EventLogParts
from simulator.observe.journey_map import JourneyMap
from simulator.scenario import load_scenario
from tests.paths import SCENARIOS

SCENARIO = load_scenario(SCENARIOS / "single_queue.yaml")


def shipped(folder: Path) -> dict[str, object]:
    return {
        "event log": EventLogParts(folder / "events.csv", SCENARIO),
        "journeys kept": JourneyCollector(WholeRun(), replications=[1]),
        "journey map": JourneyMap(),
    }


@pytest.mark.parametrize("name", ["event log", "journeys kept", "journey map"])
def test_a_factory_travels_to_a_worker_and_gives_a_whole_recorder(name: str, tmp_path: Path):
    observer = shipped(tmp_path)[name]
    factory = pickle.loads(pickle.dumps(observer.factory))
    assert factory == observer.factory
    recorder = factory(SCENARIO, 1, 7)
    assert isinstance(recorder.keeps_records, bool)
    assert callable(recorder) and callable(recorder.finish) and callable(recorder.abort)
    recorder.abort()  # nothing recorded: dropping it leaves nothing behind
    assert list(tmp_path.iterdir()) == []


def test_a_replication_not_watched_gets_no_recorder():
    collector = JourneyCollector(WholeRun(), replications=[1])
    assert collector.factory(SCENARIO, 0, 7) is None
    assert collector.factory(SCENARIO, 1, 7) is not None
