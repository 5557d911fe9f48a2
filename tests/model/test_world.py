"""The world of one replication (simulator.model.world): how it is built, its counts and its
event limit. Its shortcut into SimPy's event queue is tested in tests/model/test_wakeups.py."""

from __future__ import annotations

import json

import pytest

from simulator.limits import LimitError
from simulator.model.world import World
from simulator.observe.results import replication_results
from simulator.scenario import load_scenario, load_scenario_text
from tests.paths import SCENARIOS


def test_the_world_is_wired_as_the_scenario_says():
    """Constructor steps: channels and queues indexed in scenario order, groups serving the
    queues of their skills, a route for every (channel, intent, segment) combination."""
    scenario = load_scenario(SCENARIOS / "retail_bank_siloed.yaml")
    world = World(scenario, 0)
    assert [c.name for c in world.channels] == list(scenario.channels)
    assert [c.index for c in world.channels] == list(range(len(scenario.channels)))
    assert list(world.queues) == list(scenario.skills)
    for group in world.groups:
        assert [q.name for q in group.queues] == list(group.definition.skills)
        assert all(group in q.groups for q in group.queues)
        assert (group.lone_queue is not None) == (len(group.queues) == 1)
    assert len(world.routes) == (
        len(scenario.channels) * len(scenario.intents) * len(scenario.segments)
    )
    assert all(route is not None for route in world.routes)


def test_counts_match_what_the_run_did():
    scenario = load_scenario(SCENARIOS / "ecommerce_ai_bot.yaml")
    world = World(scenario, 1).run()
    counts = world.counts()
    assert counts.customers == world.arrived > 0
    assert sum(cell.offered for cell in counts.cells.values()) > 0
    assert sum(j.customers for j in counts.journeys) <= world.arrived
    assert {name for name in counts.bots} == set(scenario.bots)
    assert [g.heads for g in counts.groups] == [
        [g.definition.heads_at(i * scenario.horizon.interval) for i in range(world.n_intervals)]
        for g in world.groups
    ]


# A customer nobody answers, who gives up at once and retries at once, forever: without a
# limit the replication steps without end at the first instant of the day.
ENDLESS = """\
scenario: endless
horizon: {duration: 1h}
arrivals: {rate: 10/h}
channels:
  voice: {patience: 0s}
agents:
  voice: {count: 0}
handle_time: {default: 3m}
retrial: {max_contacts: 1000000000000000, probability: 1, contact_decay: 1, delay: 0s}
frustration: {enabled: false}
"""


def test_a_replication_stops_at_the_event_limit(monkeypatch):
    monkeypatch.setenv("CXSIM_MAX_EVENTS", "100000")
    world = World(load_scenario_text(ENDLESS), 0)
    with pytest.raises(LimitError) as info:
        world.run()
    message = str(info.value)
    assert message.startswith("replication 0 stopped after 100,000 simulation events, at ")
    assert message.endswith("set CXSIM_MAX_EVENTS to a larger value to allow it")


def test_the_event_limit_changes_nothing_below_it():
    """The loop is SimPy's own: the same events in the same order, the same counts."""
    scenario = load_scenario(SCENARIOS / "retail_bank_siloed.yaml")
    limited = replication_results(World(scenario, 0).run().counts(), scenario)
    world = World(scenario, 0)
    world._run_until = lambda end: world.env.run(until=end)  # SimPy's run, no limit
    unlimited = replication_results(world.run().counts(), scenario)
    assert json.dumps(unlimited) == json.dumps(limited)
