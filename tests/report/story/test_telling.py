"""Telling a journey: events become lines (simulator/report/story/telling.py)."""

from __future__ import annotations

import re

from simulator.experiment.tracing import trace
from simulator.observe import events as ev
from simulator.report.story.telling import narrate, summary_line
from simulator.report.story.words import channel_words
from simulator.scenario import load_scenario_text


def test_every_activity_is_narrated_in_a_real_run(everything):
    told: set[str] = set()
    for t in everything:
        lines = narrate(t)
        assert lines[-2].activity == "outcome" and lines[-1].activity == "impact"
        assert all(x.text and "{" not in x.text and "_" not in x.text for x in lines)
        told |= {e.activity for e in t.events}
    assert told == set(ev.ACTIVITIES)


def test_first_line_mentions_the_arrival_channel_and_clock(siloed_worst):
    t = siloed_worst
    first = narrate(t)[0]
    arrival = t.events[0]
    words = channel_words(arrival.channel)
    assert words.reach in first.text
    assert first.clock == "13:17"  # 08:00 + arrival
    h, m = divmod(int((t.horizon_start + arrival.time) // 60), 60)
    assert first.clock == f"{h:02d}:{m:02d}"
    assert first.time == arrival.time
    assert "billing dispute" in first.text


def test_states_changes_and_outcome(siloed_worst):
    lines = narrate(siloed_worst)
    assert lines[0].state == "calm"
    changed = [x for x in lines if x.state_changed]
    assert changed and all(f"now {x.state}" in x.text for x in changed)
    assert lines[-3].state == "furious"
    outcome, impact = lines[-2].text, lines[-1].text
    assert "not resolved" in outcome and "3 contacts" in outcome
    assert "effort 7.0" in impact and "churn risk 18 %" in impact and "825 people" in impact


def test_clock_without_a_horizon_clock():
    scenario = load_scenario_text(
        "scenario: tiny\nseed: 3\nhorizon: {duration: 2h, interval: 1h}\n"
        "arrivals: {rate: 60/h}\n"
        "channels: {voice: {patience: {exponential: {mean: 2m}}}}\n"
        "agents: {voice: {count: 1}}\nhandle_time: {default: 4m}\n"
    )
    assert not scenario.horizon.clock
    t = trace(scenario, "worst")
    clocks = [x.clock for x in narrate(t)]
    assert all(re.fullmatch(r"\+\d+h\d\dm", c) for c in clocks), clocks


def test_summary_line(siloed_worst):
    assert summary_line(siloed_worst) == (
        "Customer 2008 (digital, billing dispute): 3 contacts, 3 repeats, gave up furious"
    )
