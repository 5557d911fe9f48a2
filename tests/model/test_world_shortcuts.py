"""The engine's speed shortcuts compute exactly what the general code computes.

Each shortcut in the hot path of World (see simulator/model/world.py, simulator/model/service.py
and simulator/model/endings.py) skips work for the common case; these tests pin them to the
general definitions bit for bit, so a change to a definition cannot silently diverge from its
shortcut. The occupancy shortcut is pinned in tests/observe/test_metrics.py, the customers'
first uniforms in tests/model/test_customers.py.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.model.entities import Contact, Journey
from simulator.model.frustration import after_event, after_wait, saturate, wait_load
from simulator.model.outcomes import OutcomeTable, effort_score
from simulator.model.world import World
from simulator.observe.journey import JourneyCell
from simulator.observe.pain import CAUSES, EVENT_CAUSES
from simulator.observe.results import replication_results
from simulator.scenario import load_scenario
from simulator.scenario.outcomes import OutcomeParams
from simulator.scenario.schema import Segment
from tests.paths import SCENARIOS


def test_effortless_shortcut_equals_the_general_outcome():
    """World._finish gives a customer with one contact, answered within its promise and
    resolved, effort 1 and the segment's precomputed outcome without computing either; both
    must be what the general code computes for that journey."""
    params = OutcomeParams()
    segments = [Segment("a", 0.5, reach=825.0), Segment("b", 0.5, reach=12.0, churn_base=0.05)]
    table = OutcomeTable(params, segments)
    for index in range(len(segments)):
        effort = effort_score(
            params.effort,
            contacts=1,
            switches=0,
            transfers=0,
            repeats=0,
            bot_failures=0,
            wait_beyond_promise=0.0,
            resolved=True,
            closed_or_blocked=0,
        )
        assert effort == 1.0
        assert table.get(index, True, 1.0) == table.compute(index, True, effort)
    world = World(load_scenario(SCENARIOS / "retail_bank_siloed.yaml"))
    for index in range(len(world.segments)):
        assert world._effortless[index] == world.outcome_table.compute(index, True, 1.0)


def test_every_customers_effort_is_the_general_formula():
    """The inline shortcuts of World._finish (one contact late or unresolved, effortless, the
    outcome looked up without a call) give exactly effort_score of the journey's facts and
    OutcomeTable.get's outcome at that effort, for every customer of a bundled run."""
    scenario = load_scenario(SCENARIOS / "retail_bank_siloed.yaml")
    world = World(scenario, keep_journeys=True).run()
    assert world.journeys
    for r in world.journeys:
        expected = effort_score(
            scenario.outcomes.effort,
            contacts=r.contacts,
            switches=r.switches,
            transfers=r.transfers,
            repeats=r.repeats,
            bot_failures=r.bot_failures,
            wait_beyond_promise=r.wait_beyond_promise,
            resolved=r.resolved,
            closed_or_blocked=r.closed_or_blocked,
        )
        assert r.effort == expected, r
        segment = [s.name for s in world.segments].index(r.segment)
        survey = world.outcome_table.get(segment, r.resolved, expected)
        outcome = (r.churn_probability, r.excess_churn, r.word_of_mouth, r.word_of_mouth_positive)
        assert outcome == survey[2:6] and r.recommend == survey[6], r


#: One world for the wait examples (building one per example would dominate the test).
_SILOED_WORLD = World(load_scenario(SCENARIOS / "retail_bank_siloed.yaml"))


def _waiting_customer(world: World, channel_name: str, f: float):
    """A counted journey of the world's first route on ``channel_name``, and a contact of it."""
    route = next(r for r in world.routes if r is not None and r.channel.name == channel_name)
    journey = Journey(1, 0.0, route, f, None, 0, JourneyCell())
    return journey, Contact(journey, 0.0, route, math.inf, 60.0, 0.5, None)


@settings(max_examples=150, deadline=None)
@given(
    before=st.floats(0.0, 100.0),
    promises=st.floats(0.0, 6.0),
    sensitivity=st.floats(0.0, 3.0),
    channel=st.sampled_from(["voice", "chat", "email", "social"]),
)
def test_waited_is_after_wait_and_its_pain_split_bit_for_bit(
    before: float, promises: float, sensitivity: float, channel: str
):
    """World._waited writes after_wait and saturate out on precomputed terms: the frustration it
    leaves and the points it counts as waiting within and beyond the promise must be exactly
    what the general functions give, on every channel of the bank (promises of 20 s to days)."""
    world = _SILOED_WORLD
    journey, contact = _waiting_customer(world, channel, before)
    world._sensitivities = [sensitivity] * len(world.segments)
    expected = contact.route.expected
    wait = promises * expected
    pain_before = list(world.pain)
    world._waited(journey, contact, wait)
    after = after_wait(before, wait, expected, world.params, sensitivity)
    assert journey.f == after
    within = (
        saturate(before, wait_load(expected, expected, world.params) * sensitivity)
        if wait > expected
        else after
    )
    gained = {i: world.pain[i] - pain_before[i] for i in range(len(world.pain))}
    start = world._pain_index(0, contact.route.channel.index, journey.segment, journey.intent)
    waiting = CAUSES.index("waiting") * world._cause_stride + start
    beyond = CAUSES.index("waiting_beyond_promise") * world._cause_stride + start
    assert world.pain[waiting] == pain_before[waiting] + (within - before)
    if wait > expected:
        assert world.pain[beyond] == pain_before[beyond] + (after - within)
    assert all(points == 0.0 for i, points in gained.items() if i not in (waiting, beyond))


@settings(max_examples=100, deadline=None)
@given(
    before=st.floats(0.0, 100.0),
    sensitivity=st.floats(0.0, 3.0),
    event=st.sampled_from(sorted(EVENT_CAUSES)),
)
def test_add_frustration_is_after_event_bit_for_bit(before: float, sensitivity: float, event: str):
    """World._add_frustration saturates with a precomputed load, written out: the frustration it
    leaves is after_event's, and the points go to the event's cause."""
    world = World(load_scenario(SCENARIOS / "retail_bank_siloed.yaml"))
    world.segments = [replace(s, sensitivity=sensitivity) for s in world.segments]
    world._precompute_frustration_steps()
    journey, _contact = _waiting_customer(world, "voice", before)
    world._add_frustration(journey, event)
    assert journey.f == after_event(before, event, world.params, sensitivity)
    cause = CAUSES.index(EVENT_CAUSES[event])
    index = world._pain_index(cause, journey.channel.index, journey.segment, journey.intent)
    assert world.pain[index] == journey.f - before


def test_the_event_loop_runs_a_day_as_simpy_run_does(monkeypatch):
    """World._run_until writes SimPy's step out; a day run by ``env.run(until=...)`` must give
    the same results, bit for bit (a bot scenario and the siloed bank: every kind of wake-up)."""
    for name in ("ecommerce_ai_bot", "retail_bank_siloed"):
        scenario = load_scenario(SCENARIOS / f"{name}.yaml")
        ours = replication_results(World(scenario, 1).run().counts(), scenario)
        with monkeypatch.context() as patched:
            patched.setattr(World, "_run_until", lambda self, end: self.env.run(until=end))
            simpy_run = replication_results(World(scenario, 1).run().counts(), scenario)
        assert json.dumps(ours, sort_keys=True) == json.dumps(simpy_run, sort_keys=True)
        assert ours["journey"]["customers"] > 1000


def test_a_failed_event_crashes_the_run_as_simpy_does():
    """The written-out loop keeps SimPy's rule: a failed event that nobody defused stops the run
    with a copy of its exception, the original as its cause."""
    world = World(load_scenario(SCENARIOS / "single_queue.yaml"))
    original = ValueError("broken wake-up")
    simpy.Event(world.env).fail(original)
    with pytest.raises(ValueError, match="broken wake-up") as raised:
        world._run_until(60.0)
    assert raised.value is not original and raised.value.__cause__ is original
