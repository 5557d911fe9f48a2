"""One event log from per-replication part files (simulator.observe.eventlog_parts)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from simulator.observe.eventlog import EventLogWriter
from simulator.observe.eventlog_parts import EventLogParts
from simulator.observe.events import JourneyEvent
from simulator.scenario import load_scenario_text
from simulator.scenario.schema import Scenario

TINY = """
scenario: tiny
horizon: {duration: 1h, date: 2026-11-23}
arrivals: {rate: 30/h}
channels: {voice: {}}
agents: {voice: {count: 2}}
handle_time: {default: 4m}
"""


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return load_scenario_text(TINY)


def event(replication: int, case: int, time: float) -> JourneyEvent:
    return JourneyEvent(replication, case, time, "arrived", "voice", "", 0.0, detail="a,b")


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def write_parts(log: EventLogParts, scenario: Scenario, order: list[int]) -> None:
    """Each replication's part, written and received in ``order`` (as workers may finish)."""
    for r in order:
        writer = log.factory(scenario, r, scenario.seed)
        for case in range(r + 1):
            writer(event(r, case, 60.0 * case))
        log.receive(r, writer.finish(()))


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_parts_merge_in_replication_order_into_the_bytes_of_one_writer(tmp_path, tiny, suffix):
    with EventLogWriter(tmp_path / f"one.{suffix}", tiny) as one:
        for r in range(3):
            for case in range(r + 1):
                one(event(r, case, 60.0 * case))
    target = tmp_path / f"events.{suffix}"
    with EventLogParts(target, tiny) as log:
        write_parts(log, tiny, [2, 0, 1])
        assert not target.exists()  # nothing published before the block ends
        assert len(hidden(tmp_path)) == 3  # one part per replication
    assert target.read_bytes() == (tmp_path / f"one.{suffix}").read_bytes()
    assert log.rows == one.rows == 6 and log.published
    assert hidden(tmp_path) == []
    assert log.publish() == target.absolute()  # idempotent


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_failed_run_leaves_the_previous_log_and_no_part(tmp_path, tiny, error):
    target = tmp_path / "events.csv"
    target.write_text("the previous log\n")
    with pytest.raises(error), EventLogParts(target, tiny) as log:
        write_parts(log, tiny, [0, 1])
        half = log.factory(tiny, 2, tiny.seed)  # a replication interrupted mid-way
        half(event(2, 0, 0.0))
        raise error()
    assert target.read_text() == "the previous log\n"
    half.abort()  # what the worker does on its way out
    assert hidden(tmp_path) == []


def test_a_part_that_did_not_come_back_is_named_and_nothing_is_left(tmp_path, tiny):
    target = tmp_path / "events.csv"
    log = EventLogParts(target, tiny)
    write_parts(log, tiny, [0, 1])
    log.factory.part(1).unlink()  # written where this process cannot see it
    with pytest.raises(FileNotFoundError, match=r"part1.*shared file system"):
        log.publish()
    assert not target.exists() and hidden(tmp_path) == []


def test_an_observer_dropped_without_publishing_leaves_nothing(tmp_path, tiny):
    log = EventLogParts(tmp_path / "events.jsonl", tiny)
    write_parts(log, tiny, [0])
    assert hidden(tmp_path) and "1 parts 1 rows open" in repr(log)
    del log
    gc.collect()
    assert hidden(tmp_path) == [] and list(tmp_path.iterdir()) == []


def test_a_path_without_a_known_suffix_is_refused_at_once(tmp_path, tiny):
    with pytest.raises(ValueError, match=r"\.csv or \.jsonl"):
        EventLogParts(tmp_path / "events.txt", tiny)
    assert list(tmp_path.iterdir()) == []


def test_the_factory_travels_to_workers_and_every_part_shares_the_origin(tmp_path, tiny):
    import pickle

    log = EventLogParts(tmp_path / "e.csv", tiny)
    factory = pickle.loads(pickle.dumps(log.factory))
    assert factory == log.factory
    writer = factory(tiny, 4, tiny.seed)
    assert writer.path == log.factory.part(4) and writer.timestamp(61.0) == "2026-11-23T00:01:01"
    writer.abort()
    log.discard()
    assert list(tmp_path.iterdir()) == []
