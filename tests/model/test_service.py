"""Skill queues and agents (simulator/model/service.py), read off the events of an overloaded
queue with constant times: first come first served, never more contacts in service than agents,
the next contact taken the moment an agent frees up, and a customer who leaves exactly when
their patience runs out."""

from __future__ import annotations

import pytest

from simulator.experiment.tracing import collect
from simulator.observe import events as ev
from simulator.scenario import load_scenario_text

AGENTS, HANDLE_S, PATIENCE_S = 2, 240.0, 180.0
OVERLOADED = f"""\
scenario: two-agents
seed: 4
horizon: {{duration: 2h, interval: 30m}}
arrivals: {{rate: 40/h}}
channels:
  voice: {{patience: {PATIENCE_S:g}s}}
agents:
  voice: {{count: {AGENTS}}}
handle_time:
  default: {HANDLE_S:g}s
"""


@pytest.fixture(scope="module")
def steps() -> dict[int, dict[str, ev.JourneyEvent]]:
    """Each customer's first event of each activity."""
    _records, events = collect(load_scenario_text(OVERLOADED))
    firsts: dict[int, dict[str, ev.JourneyEvent]] = {}
    for cid, journey in events.items():
        for event in journey:
            firsts.setdefault(cid, {}).setdefault(event.activity, event)
    return firsts


def test_contacts_are_answered_in_the_order_they_queued(steps):
    answered = sorted(
        (s[ev.ANSWERED].time, s[ev.QUEUED].time) for s in steps.values() if ev.ANSWERED in s
    )
    assert len(answered) > 20
    queued_in_answer_order = [queued for _answered, queued in answered]
    assert queued_in_answer_order == sorted(queued_in_answer_order)
    for s in steps.values():
        if ev.ANSWERED in s:
            assert s[ev.ANSWERED].value == pytest.approx(s[ev.ANSWERED].time - s[ev.QUEUED].time)


def test_agents_serve_one_contact_each_and_take_the_next_as_they_free_up(steps):
    services = [
        (s[ev.ANSWERED].time, s[ev.RESOLVED].time) for s in steps.values() if ev.RESOLVED in s
    ]
    assert all(end - start == pytest.approx(HANDLE_S) for start, end in services)
    for start, _end in services:
        busy = sum(a <= start < b for a, b in services)
        assert busy <= AGENTS, start
    ends = {round(end, 6) for _start, end in services}
    waited = [s[ev.ANSWERED] for s in steps.values() if ev.ANSWERED in s and s[ev.ANSWERED].value]
    assert waited and all(round(e.time, 6) in ends for e in waited)


def test_a_customer_leaves_exactly_when_their_patience_runs_out(steps):
    left = [s for s in steps.values() if ev.ABANDONED in s]
    assert len(left) > 5
    for s in left:
        assert s[ev.ABANDONED].time - s[ev.QUEUED].time == pytest.approx(PATIENCE_S)
        assert s[ev.ABANDONED].value == pytest.approx(PATIENCE_S)
