"""The event log written through the experiment (simulator.experiment.event_log): the same bytes
from a process pool as from one writer fed the replications in order, and nothing left behind
when a run fails."""

from __future__ import annotations

import dataclasses
import doctest
import json
from pathlib import Path

import pytest

from simulator.experiment import event_log
from simulator.experiment.event_log import write_event_log
from simulator.experiment.executor import open_executor
from simulator.experiment.replicate import run_replications
from simulator.model.world import World
from simulator.observe.collector import journey_explorer
from simulator.observe.eventlog import EventLogWriter
from simulator.observe.eventlog_parts import EventLogParts
from simulator.scenario import load_scenario
from simulator.scenario.schema import Scenario
from tests.experiment.test_replication import Tally
from tests.paths import SCENARIOS


@pytest.fixture(scope="module")
def siloed() -> Scenario:
    scenario = load_scenario(SCENARIOS / "retail_bank_siloed.yaml")
    return dataclasses.replace(
        scenario, horizon=dataclasses.replace(scenario.horizon, date="2026-11-23")
    )


def serial_log(path: Path, scenario: Scenario, replications: int, seed: int) -> Path:
    """The reference: one writer fed every replication, one after the other, in this process."""
    with EventLogWriter(path, scenario) as writer:
        for r in range(replications):
            World(scenario, r, seed, recorder=writer).run()
    return path


def test_module_examples():
    assert doctest.testmod(event_log, optionflags=doctest.ELLIPSIS).failed == 0


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_a_process_pool_writes_the_serial_bytes(tmp_path, siloed, suffix):
    expected = serial_log(tmp_path / f"serial.{suffix}", siloed, 3, 7)
    with open_executor(workers=2, tasks=3) as pool:
        assert pool is not None
        rows = write_event_log(tmp_path / f"pool.{suffix}", siloed, 3, seed=7, executor=pool)
    assert (tmp_path / f"pool.{suffix}").read_bytes() == expected.read_bytes()
    assert rows == len(expected.read_text().splitlines()) - (suffix == "csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"pool.{suffix}", f"serial.{suffix}"]


def test_the_pool_feeds_the_results_the_log_and_the_explorer_from_the_same_runs(tmp_path, siloed):
    serial = run_replications(siloed, 2, seed=3, workers=1)
    serial_explorer = journey_explorer(2)
    run_replications(siloed, 2, seed=3, workers=1, observers=[serial_explorer])
    explorer = journey_explorer(2)
    with (
        EventLogParts(tmp_path / "events.csv", siloed) as log,
        open_executor(workers=2, tasks=2) as pool,
    ):
        observed = run_replications(siloed, 2, seed=3, executor=pool, observers=[log, explorer])
    assert json.dumps(observed.per_replication) == json.dumps(serial.per_replication)
    assert log.rows == len((tmp_path / "events.csv").read_text().splitlines()) - 1
    picks = [t.pick for t in explorer.journeys]
    assert picks[:3] == ["worst", "typical", "best"] and len(picks) == 240
    assert {t.replication for t in explorer.journeys} == {0, 1} and explorer.journeys[0].seed == 3
    assert explorer.journeys == serial_explorer.journeys  # whichever worker finished first


def _broken_world(scenario: Scenario, replication: int, seed: int):
    """A recorder factory that fails in replication 1 after a few events (picklable)."""
    return Tally(fail_after=50) if replication == 1 else None


@dataclasses.dataclass(frozen=True)
class Breaks:
    """An observer whose recorder breaks replication 1, to make the whole run fail."""

    @property
    def factory(self):
        return _broken_world

    def receive(self, replication: int, product: object) -> None:
        pass


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failed_run_leaves_the_previous_log_and_no_part_file(tmp_path, siloed, workers):
    target = tmp_path / "events.csv"
    target.write_text("the previous log\n")
    with (
        pytest.raises(RuntimeError, match="recorder broke"),
        EventLogParts(target, siloed) as log,
        open_executor(workers=workers, tasks=3) as pool,
    ):
        run_replications(siloed, 3, seed=1, executor=pool, observers=[log, Breaks()])
    assert target.read_text() == "the previous log\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.csv"]
