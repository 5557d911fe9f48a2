"""The journey map (simulator.observe.journey_map): every customer's walk folded into nodes and
links that add up to the results."""

from __future__ import annotations

import json
import pickle

import pytest

from simulator.experiment.replicate import run_replications
from simulator.experiment.tracing import collect
from simulator.observe import events as ev
from simulator.observe.events import JourneyEvent
from simulator.observe.journey_map import (
    ALL,
    MAX_STEPS,
    JourneyMap,
    JourneyMapRecorder,
    MapRecorders,
)
from simulator.scenario import load_scenario, load_scenario_text
from tests.conftest import EVERYTHING
from tests.paths import SCENARIOS


@pytest.fixture(scope="module")
def siloed_map():
    scenario = load_scenario(SCENARIOS / "retail_bank_siloed.yaml")
    journey_map = JourneyMap()
    result = run_replications(scenario, 3, observers=[journey_map])
    return result, journey_map.as_dict()


def _nodes(segment: dict) -> list[tuple[int, str, str, float, float]]:
    return [tuple(node) for node in segment["nodes"]]


def test_the_map_counts_every_customer_and_how_each_journey_ended(siloed_map):
    result, journey_map = siloed_map
    journey = result.summary["journey"]
    everyone = journey_map["segments"][ALL]
    assert everyone["customers"] == pytest.approx(journey["customers"].mean, abs=0.01)
    ends = {name: count for _, kind, name, count, _f in _nodes(everyone) if kind == "end"}
    totals = {"resolved": 0.0, "gave_up": 0.0, "unfinished": 0.0}
    for name in totals:
        totals[name] = sum(
            c for _, kind, n, c, _f in _nodes(everyone) if (kind, n) == ("end", name)
        )
    assert set(ends) <= set(totals)
    assert totals["resolved"] == pytest.approx(journey["resolved"].mean, abs=0.05)
    assert totals["gave_up"] == pytest.approx(journey["gave_up"].mean, abs=0.05)
    assert totals["unfinished"] == pytest.approx(journey["in_system"].mean, abs=0.05)
    assert journey_map["replications"] == 3
    segments = [name for name in journey_map["segments"] if name != ALL]
    assert segments == ["digital", "traditional"]
    assert sum(journey_map["segments"][s]["customers"] for s in segments) == pytest.approx(
        everyone["customers"], abs=0.02
    )


def test_the_mean_frustration_at_the_ends_is_the_results_final_frustration(siloed_map):
    result, journey_map = siloed_map
    ends = [
        (count, f)
        for _, kind, name, count, f in _nodes(journey_map["segments"][ALL])
        if kind == "end" and name != "unfinished"
    ]
    mean = sum(c * f for c, f in ends) / sum(c for c, _ in ends)
    expected = result.summary["journey"]["frustration"]["mean_final"].mean
    assert mean == pytest.approx(expected, abs=0.2)  # node means are rounded to 0.1


@pytest.mark.parametrize("segment", [ALL, "digital", "traditional"])
def test_every_walk_flows_from_its_first_channel_to_an_end(siloed_map, segment):
    _, journey_map = siloed_map
    data = journey_map["segments"][segment]
    nodes = _nodes(data)
    inflow = [0.0] * len(nodes)
    outflow = [0.0] * len(nodes)
    for a, b, count in data["links"]:
        assert nodes[b][0] > nodes[a][0]  # links go forward
        outflow[a] += count
        inflow[b] += count
    for i, (position, kind, _name, count, frustration) in enumerate(nodes):
        assert 0 <= frustration <= 100 and position <= MAX_STEPS
        if position == 0:
            assert kind == "channel" and inflow[i] == 0
        else:
            assert inflow[i] == pytest.approx(count, abs=0.05)
        if kind == "end":
            assert outflow[i] == 0
        else:
            assert outflow[i] == pytest.approx(count, abs=0.05)
    first = sum(count for position, *_rest, count, _f in nodes if position == 0)
    assert first == pytest.approx(data["customers"], abs=0.05)


def test_a_walk_is_told_step_by_step(everything):
    steps = {
        ev.ARRIVED: "channel",
        ev.CONTACTED: "channel",
        ev.BOT_STARTED: "bot",
        ev.ANSWERED: "team",
        ev.ABANDONED: "left",
        ev.BLOCKED: "left",
        ev.CLOSED: "left",
    }
    told = 0
    for t in everything:
        expected = [steps[e.activity] for e in t.events if e.activity in steps] + ["end"]
        if len(expected) >= MAX_STEPS:
            continue
        recorder = JourneyMapRecorder()
        for event in t.events:
            recorder(event)
        nodes = sorted(recorder.finish([])[t.record.segment].nodes)
        assert [kind for _, kind, _ in nodes] == expected
        assert [position for position, _, _ in nodes] == list(range(len(expected)))
        assert nodes[-1][2] == ("resolved" if t.record.resolved else "gave_up")
        told += 1
    assert told > 100


def test_customers_of_the_warm_up_are_left_out_and_open_walks_end_unfinished():
    scenario = load_scenario_text(EVERYTHING)
    _records, events = collect(scenario)
    flat = sorted((e for case in events.values() for e in case), key=lambda e: e.time)
    warm = JourneyMapRecorder(warmup=1800.0)
    for event in flat:
        warm(event)
    arrived_late = sum(1 for case in events.values() if case[0].time >= 1800.0)
    counts = warm.finish([])
    assert sum(c.customers for c in counts.values()) == arrived_late
    cut = JourneyMapRecorder()
    for event in flat[: len(flat) // 2]:
        cut(event)
    ended = cut.finish([])
    unfinished = sum(
        count
        for c in ended.values()
        for (_, kind, name), (count, _f) in c.nodes.items()
        if (kind, name) == ("end", "unfinished")
    )
    assert unfinished > 0


def test_products_merge_in_any_order_and_the_factory_travels():
    scenario = load_scenario_text(EVERYTHING)
    forward, backward = JourneyMap(), JourneyMap()
    products = []
    for r in range(3):
        _records, events = collect(scenario, r)
        recorder = MapRecorders()(scenario, r, scenario.seed)
        for event in sorted((e for c in events.values() for e in c), key=lambda e: e.time):
            recorder(event)
        products.append(pickle.loads(pickle.dumps(recorder.finish([]))))
    for r, product in enumerate(products):
        forward.receive(r, product)
    for r, product in reversed(list(enumerate(products))):
        backward.receive(r, product)
    assert json.dumps(forward.as_dict()) == json.dumps(backward.as_dict())
    assert pickle.loads(pickle.dumps(forward.factory)) == forward.factory


def test_a_long_walk_folds_its_later_steps_into_one_node():
    def event(time: float, activity: str, frustration: float) -> JourneyEvent:
        detail = "general/digital" if activity == ev.ARRIVED else ""
        return JourneyEvent(0, 7, time, activity, "voice", "team", frustration, detail=detail)

    walk = [event(0, ev.ARRIVED, 0.0)]
    walk += [event(60.0 * i, ev.CONTACTED, 5.0 * i) for i in range(1, 12)]
    walk.append(event(900.0, ev.GAVE_UP, 80.0))
    recorder = JourneyMapRecorder()
    for step in walk:
        recorder(step)
    nodes = recorder.finish([])["digital"].nodes
    assert sorted(nodes)[-2:] == [
        (MAX_STEPS - 1, "more", "later steps"),
        (MAX_STEPS, "end", "gave_up"),
    ]
    assert nodes[(MAX_STEPS - 1, "more", "later steps")] == [1, 5.0 * (MAX_STEPS - 1)]
    assert nodes[(MAX_STEPS, "end", "gave_up")] == [1, 80.0]
    assert len(nodes) == MAX_STEPS + 1
