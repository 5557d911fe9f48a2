"""The process-mining event log: format, timestamps, case ids, atomicity, memory, pm4py."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import doctest
import gc
import json
import math
import os
import re
import tracemalloc
from collections import defaultdict
from pathlib import Path

import pytest

from simulator.experiment.event_log import write_event_log
from simulator.model.world import World
from simulator.observe import eventlog
from simulator.observe.eventlog import COLUMNS, EventLogWriter
from simulator.observe.events import JourneyEvent
from simulator.scenario import load_scenario, load_scenario_text
from simulator.scenario.schema import Scenario
from tests.paths import SCENARIOS

DATE = "2026-11-23"
SEED = 7
REPLICATIONS = 2
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")


def with_date(scenario: Scenario, date: str | None) -> Scenario:
    return dataclasses.replace(scenario, horizon=dataclasses.replace(scenario.horizon, date=date))


def tiny(horizon: str) -> Scenario:
    return load_scenario_text(
        f"""
scenario: tiny
horizon: {horizon}
arrivals: {{rate: 30/h}}
channels: {{voice: {{}}}}
agents: {{voice: {{count: 2}}}}
handle_time: {{default: 4m}}
"""
    )


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or ()), rows


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture(scope="module")
def siloed() -> Scenario:
    return with_date(load_scenario(SCENARIOS / "retail_bank_siloed.yaml"), DATE)


@pytest.fixture(scope="module")
def logged(siloed, tmp_path_factory):
    """One run of the siloed bank written as CSV and JSONL, with the JourneyEvents it produced."""
    folder = tmp_path_factory.mktemp("log")
    events: list[JourneyEvent] = []
    with (
        EventLogWriter(folder / "events.csv", siloed) as as_csv,
        EventLogWriter(folder / "events.jsonl", siloed) as as_jsonl,
    ):

        def tee(event: JourneyEvent) -> None:
            events.append(event)
            as_csv(event)
            as_jsonl(event)

        for r in range(REPLICATIONS):
            World(siloed, r, SEED, recorder=tee).run()
    return {"csv": folder / "events.csv", "jsonl": folder / "events.jsonl", "events": events}


# -- format ----------------------------------------------------------------------------------


def test_csv_parses_back_with_exactly_the_columns(logged):
    header, rows = read_csv(logged["csv"])
    assert header == list(COLUMNS)
    events = logged["events"]
    assert len(rows) == len(events) > 10_000
    for row, e in zip(rows, events, strict=True):
        assert list(row) == list(COLUMNS) and None not in row.values()  # no extra fields
        assert row["case_id"] == f"{e.replication}-{e.case_id}"
        assert (row["activity"], row["channel"], row["resource"], row["detail"]) == (
            e.activity,
            e.channel,
            e.resource,
            e.detail,
        )
        assert row["replication"] == str(e.replication)
        assert row["frustration"] == f"{e.frustration:.1f}"
        assert row["context_lost"] == ("true" if e.context_lost else "false")
        assert row["value_s"] == ("" if e.value is None else f"{e.value:.1f}")


def test_jsonl_parses_back_like_the_csv(logged):
    rows = read_jsonl(logged["jsonl"])
    _, csv_rows = read_csv(logged["csv"])
    assert len(rows) == len(csv_rows) == len(logged["events"])
    for row, text, e in zip(rows, csv_rows, logged["events"], strict=True):
        assert list(row) == list(COLUMNS)
        assert isinstance(row["context_lost"], bool) and isinstance(row["replication"], int)
        assert row["frustration"] == round(e.frustration, 1)
        assert row["value_s"] == (None if e.value is None else round(e.value, 1))
        assert {k: v for k, v in row.items() if isinstance(v, str)} == {
            k: v for k, v in text.items() if isinstance(row[k], str)
        }


def test_context_lost_is_true_exactly_on_context_lost_rows(logged):
    _, rows = read_csv(logged["csv"])
    flagged = {row["activity"] for row in rows if row["context_lost"] == "true"}
    assert flagged == {"context lost"}
    assert {row["context_lost"] for row in rows} == {"true", "false"}


def test_fields_that_need_it_are_quoted(tmp_path):
    awkward = 'a,"b"\nc\\d é'
    event = JourneyEvent(3, 9, 61.5, "resolved", "voice", awkward, 12.34, True, math.nan, awkward)
    scenario = tiny(f"{{duration: 1h, date: {DATE}}}")
    for name in ("log.csv", "log.jsonl"):
        with EventLogWriter(tmp_path / name, scenario) as writer:
            writer(event)
        assert writer.rows == 1
    (row,) = read_csv(tmp_path / "log.csv")[1]
    (obj,) = read_jsonl(tmp_path / "log.jsonl")
    assert row["resource"] == row["detail"] == obj["resource"] == obj["detail"] == awkward
    assert (row["value_s"], obj["value_s"]) == ("", None)  # NaN: no value, valid JSON
    assert (row["frustration"], obj["frustration"]) == ("12.3", 12.3)
    assert row["timestamp"] == obj["timestamp"] == f"{DATE}T00:01:01"
    assert (row["case_id"], obj["case_id"]) == ("3-9", "3-9")


# -- timestamps and cases --------------------------------------------------------------------


def test_timestamps_are_iso_seconds_and_ordered_within_cases(logged, siloed):
    _, rows = read_csv(logged["csv"])
    origin = dt.datetime.fromisoformat(DATE) + dt.timedelta(seconds=siloed.horizon.start)
    assert origin == dt.datetime(2026, 11, 23, 8, 0)  # start: "08:00"
    last: dict[str, dt.datetime] = {}
    for row, e in zip(rows, logged["events"], strict=True):
        assert STAMP.match(row["timestamp"]), row["timestamp"]
        stamp = dt.datetime.fromisoformat(row["timestamp"])
        assert stamp == origin + dt.timedelta(seconds=math.floor(e.time))
        assert stamp >= last.get(row["case_id"], stamp)
        last[row["case_id"]] = stamp


def test_case_ids_are_unique_across_replications(logged):
    _, rows = read_csv(logged["csv"])
    cases: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        cases[row["replication"]].add(row["case_id"])
    assert sorted(cases) == [str(r) for r in range(REPLICATIONS)]
    customers = {(e.replication, e.case_id) for e in logged["events"]}
    assert len(set.union(*cases.values())) == sum(map(len, cases.values())) == len(customers)
    # Customer numbers restart in each replication: the replication prefix is what separates.
    assert "0-0" in cases["0"] and "1-0" in cases["1"]


def test_date_comes_from_the_horizon_or_today(tmp_path, siloed):
    dated = tiny(f"{{start: '22:00', end: '23:00', date: {DATE}, drain: 4h}}")
    with EventLogWriter(tmp_path / "a.csv", dated) as writer:
        assert writer.timestamp(0.0) == f"{DATE}T22:00:00"
        assert writer.timestamp(5.999) == f"{DATE}T22:00:05"  # truncated to the second
        assert writer.timestamp(2 * 3600 + 5) == "2026-11-24T00:00:05"  # past midnight
    duration = tiny(f"{{duration: 2h, date: {DATE}}}")  # duration horizons start at 00:00
    with EventLogWriter(tmp_path / "b.csv", duration) as writer:
        assert writer.timestamp(3725.2) == f"{DATE}T01:02:05"

    before = dt.date.today()
    rows = write_event_log(tmp_path / "today.csv", with_date(tiny("{duration: 1h}"), None))
    after = dt.date.today()
    _, parsed = read_csv(tmp_path / "today.csv")
    assert len(parsed) == rows > 0
    days = {dt.datetime.fromisoformat(r["timestamp"]).date() for r in parsed}
    assert days <= {before, after}
    assert dt.datetime.fromisoformat(parsed[0]["timestamp"]).time() < dt.time(1, 0)  # 00:00 start


# -- write_event_log -------------------------------------------------------------------------


def test_write_event_log_is_serial_and_deterministic(tmp_path, siloed, logged):
    for suffix in ("csv", "jsonl"):
        path = tmp_path / f"events.{suffix}"
        rows = write_event_log(path, siloed, replications=REPLICATIONS, seed=SEED)
        assert rows == len(logged["events"])
        # Same bytes as the hand-driven run: replication after replication, engine order.
        assert path.read_bytes() == logged[suffix].read_bytes()
    other = tmp_path / "other.csv"
    write_event_log(other, siloed, replications=1, seed=SEED + 1)
    assert other.read_bytes() != (tmp_path / "events.csv").read_bytes()
    with pytest.raises(ValueError, match="replications"):
        write_event_log(tmp_path / "none.csv", siloed, replications=0)
    assert leftovers(tmp_path) == []


def test_unknown_suffix_is_refused(tmp_path, siloed):
    for name in ("events.txt", "events", "events.json", "events.csv.gz"):
        with pytest.raises(ValueError, match=r"\.csv or \.jsonl") as info:
            EventLogWriter(tmp_path / name, siloed)
        assert name in str(info.value)
    with pytest.raises(ValueError, match=r"\.csv or \.jsonl"):
        write_event_log(tmp_path / "events.parquet", siloed)
    assert list(tmp_path.iterdir()) == []


# -- atomicity -------------------------------------------------------------------------------


class Boom(Exception):
    pass


@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt])
def test_a_failed_run_leaves_the_previous_log_intact(tmp_path, error):
    scenario = tiny(f"{{duration: 2h, date: {DATE}}}")
    path = tmp_path / "events.csv"
    path.write_text("the previous log\n")

    def interrupt_after(writer: EventLogWriter, n: int):
        def recorder(event: JourneyEvent) -> None:
            writer(event)
            if writer.rows == n:
                assert writer.temp_path.exists() and writer.temp_path.parent == tmp_path
                assert path.read_text() == "the previous log\n"  # rows go to the temp file
                raise error()

        return recorder

    with pytest.raises(error), EventLogWriter(path, scenario) as writer:
        World(scenario, 0, recorder=interrupt_after(writer, 50)).run()
    assert path.read_text() == "the previous log\n"
    assert leftovers(tmp_path) == [] and writer.closed

    fresh = tmp_path / "fresh.jsonl"  # no previous file: none appears
    with pytest.raises(error), EventLogWriter(fresh, scenario) as writer:
        World(scenario, 0, recorder=interrupt_after(writer, 10)).run()
    assert not fresh.exists() and leftovers(tmp_path) == []


def test_a_successful_close_replaces_the_previous_log(tmp_path):
    scenario = tiny(f"{{duration: 2h, date: {DATE}}}")
    path = tmp_path / "events.csv"
    path.write_text("the previous log\n")
    writer = EventLogWriter(path, scenario)
    World(scenario, 0, recorder=writer).run()
    assert path.read_text() == "the previous log\n"  # nothing published before close
    assert writer.close() == path and writer.closed
    assert path.read_text().startswith("case_id,activity,timestamp,")
    assert len(path.read_text().splitlines()) == writer.rows + 1
    assert leftovers(tmp_path) == []
    with pytest.raises(ValueError, match="closed"):
        writer(JourneyEvent(0, 0, 0.0, "arrived", "voice", "", 0.0))
    writer.close()  # idempotent
    writer.abort()  # after close: a no-op, the published file stays
    assert path.exists()


# -- bounded memory --------------------------------------------------------------------------


def test_memory_stays_bounded_while_the_file_grows(tmp_path):
    """~200k events (Whitt's M/M/100/200+M day): the writer holds no rows, the file grows."""
    scenario = with_date(load_scenario(SCENARIOS / "single_queue.yaml"), DATE)
    path = tmp_path / "big.csv"
    sizes: list[int] = []
    tracemalloc.start()
    try:
        with EventLogWriter(path, scenario) as writer:
            every = 25_000
            check = [every]

            def recorder(event: JourneyEvent) -> None:
                writer(event)
                if writer.rows >= check[0]:
                    check[0] += every
                    sizes.append(os.path.getsize(writer.temp_path))

            World(scenario, 0, recorder=recorder).run()
            _, peak = tracemalloc.get_traced_memory()
            on_disk = os.path.getsize(writer.temp_path)
    finally:
        tracemalloc.stop()
    final = path.stat().st_size
    assert writer.rows > 150_000
    assert peak < 30e6 and peak < final / 4, (peak, final)
    assert len(sizes) >= 6 and sizes == sorted(set(sizes))  # grew steadily during the run
    assert on_disk >= final - 2 * eventlog.BUFFER_SIZE  # only a buffer's worth in memory


# -- pm4py -----------------------------------------------------------------------------------


def test_pm4py_discovers_the_scenario_activities(logged):
    pm4py = pytest.importorskip("pm4py")
    pd = pytest.importorskip("pandas")

    df = pd.read_csv(logged["csv"])
    df = pm4py.format_dataframe(
        df, case_id="case_id", activity_key="activity", timestamp_key="timestamp"
    )
    dfg, start_activities, end_activities = pm4py.discover_dfg(df)
    discovered = {a for pair in dfg for a in pair} | set(start_activities) | set(end_activities)
    expected = {e.activity for e in logged["events"]}
    assert discovered == expected
    obvious = {
        "arrived",
        "queued",
        "answered",
        "resolved",
        "context lost",
        "transferred",
        "will retry",
        "contacted",
        "gave up",
    }
    assert obvious <= expected
    cases = {(e.replication, e.case_id) for e in logged["events"]}
    assert start_activities == {"arrived": len(cases)}
    # pm4py's own ordering (timestamp, then file order for ties) keeps every case's start.
    firsts = df.groupby("case:concept:name", sort=False)["concept:name"].first()
    assert set(firsts) == {"arrived"} and len(firsts) == len(cases)
    assert set(end_activities) <= {"resolved", "gave up"}


def test_module_examples():
    assert doctest.testmod(eventlog, optionflags=doctest.ELLIPSIS).failed == 0


def test_a_writer_dropped_without_close_leaves_nothing(tmp_path):
    writer = EventLogWriter(tmp_path / "e.jsonl", tiny("{duration: 1h}"))
    writer(JourneyEvent(0, 0, 0.0, "arrived", "voice", "", 0.0))
    assert "e.jsonl" in repr(writer) and "1 rows open" in repr(writer)
    assert leftovers(tmp_path) != []
    del writer
    gc.collect()
    assert leftovers(tmp_path) == [] and not (tmp_path / "e.jsonl").exists()
