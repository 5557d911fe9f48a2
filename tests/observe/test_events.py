"""The journey event record (simulator/observe/events.py): every journey starts with its
arrival, a finished one ends with exactly one end activity, and its events agree with the
record the journey ends with."""

from __future__ import annotations

import pytest

from simulator.experiment.tracing import collect
from simulator.observe import events as ev
from simulator.scenario import load_scenario_text
from tests.conftest import EVERYTHING


def spoke_again_after_a_loss(events) -> int:
    """Times the customer explained everything again: a lost hand-off, then someone (an agent
    or a bot) to tell it to. A loss followed by hanging up is no repeat (issue #13)."""
    pending, repeats = False, 0
    for e in events:
        if e.activity == ev.CONTEXT_LOST:
            pending = True
        elif e.activity in (ev.ANSWERED, ev.BOT_STARTED) and pending:
            pending, repeats = False, repeats + 1
    return repeats


def test_events_agree_with_the_records_the_narrative_ends_with(siloed):
    records, events = siloed
    for r in records:
        mine = events[r.cid]
        assert mine[0].activity == ev.ARRIVED
        ends = {"resolved": ev.RESOLVED, "gave_up": ev.GAVE_UP}
        if r.outcome in ends:
            assert mine[-1].activity == ends[r.outcome]
        else:  # still open at the cut-off: no ending event
            assert r.outcome == "unfinished" and mine[-1].activity not in ends.values()
        assert max(e.frustration for e in mine) == r.peak_frustration
        assert mine[-1].frustration == r.final_frustration
        assert sum(e.activity in (ev.ARRIVED, ev.CONTACTED) for e in mine) == r.contacts
        assert spoke_again_after_a_loss(mine) == r.repeats
        assert sum(e.activity == ev.TRANSFERRED for e in mine) == r.transfers


@pytest.fixture(scope="module")
def every_activity():
    """Records and events of a small run where every activity occurs (bots, unfinished too)."""
    return collect(load_scenario_text(EVERYTHING))


def test_every_event_is_a_known_activity_and_a_journey_ends_once(every_activity):
    """Process-mining tools need a single end activity: a bot resolution is ``resolved by bot``
    then ``resolved``; a journey still open at the cut-off has no end."""
    records, events = every_activity
    assert len(set(ev.ACTIVITIES)) == len(ev.ACTIVITIES)
    assert {e.activity for journey in events.values() for e in journey} == set(ev.ACTIVITIES)
    assert any(r.outcome == "unfinished" for r in records)
    for r in records:
        activities = [e.activity for e in events[r.cid]]
        assert activities[0] == ev.ARRIVED, r.cid
        ends = sum(a in (ev.RESOLVED, ev.GAVE_UP) for a in activities)
        assert ends == (0 if r.outcome == "unfinished" else 1), r.cid
        for i, activity in enumerate(activities):
            if activity == ev.BOT_RESOLVED:
                assert activities[i + 1] == ev.RESOLVED, r.cid
        times = [e.time for e in events[r.cid]]
        assert times == sorted(times), r.cid
