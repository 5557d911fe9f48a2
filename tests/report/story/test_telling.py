"""Telling a journey: events become lines (simulator/report/story/telling.py)."""

from __future__ import annotations

import re

from simulator.experiment.tracing import trace
from simulator.observe import events as ev
from simulator.report.story.telling import narrate, summary_line
from simulator.report.story.wording import STATE_DOWN
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
    assert first.clock == "11:25"  # 08:00 + arrival
    h, m = divmod(int((t.horizon_start + arrival.time) // 60), 60)
    assert first.clock == f"{h:02d}:{m:02d}"
    assert first.time == arrival.time
    assert "billing dispute" in first.text


def test_states_changes_and_outcome(siloed_worst):
    lines = narrate(siloed_worst)
    assert lines[0].state == "calm"
    changed = [x for x in lines if x.state_changed]
    assert changed and all(
        f"now {x.state}" in x.text or STATE_DOWN[x.state] in x.text for x in changed
    )
    assert lines[-3].state == "irritated" and max(x.frustration for x in lines) > 70
    outcome, impact = lines[-2].text, lines[-1].text
    assert "resolved 37 min" in outcome and "2 contacts" in outcome
    assert "explaining everything again 2 times" in outcome
    assert "effort 5.4" in impact and "churn risk 4 %" in impact and "(detractor)" in impact
    assert "about 53 people hear about it from you, on average" in impact


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
        "Customer 1218 (digital, billing dispute): 2 contacts, 2 repeats, resolved in 37 min, "
        "irritated"
    )


# -- regressions of issue #13: what the story counts agrees with what happened -----------------


def _times_spoken_again(t) -> tuple[int, int]:
    """(context losses, times the customer then spoke to an agent or a bot) from the events."""
    losses = spoken = 0
    lost = False
    for e in t.events:
        if e.activity == ev.CONTEXT_LOST:
            losses += 1
            lost = True
        elif e.activity in (ev.ANSWERED, ev.BOT_STARTED) and lost:
            spoken += 1
            lost = False
    return losses, spoken


def test_a_repeat_is_counted_only_when_the_customer_speaks_again(everything):
    """The story once said "explaining everything again 3 times" of a customer whose third
    hand-off ended with a hang-up before anyone answered. A repeat is a time the customer told
    someone again, and the story says exactly that many."""
    hung_up_after_a_loss = 0
    for t in everything:
        losses, spoken = _times_spoken_again(t)
        assert t.record.repeats == spoken, t.record.cid
        if losses > spoken:
            hung_up_after_a_loss += 1
        told = sum(", and you explain everything again" in x.text for x in narrate(t))
        assert told == spoken, t.record.cid
        outcome = narrate(t)[-2].text
        if spoken > 1:
            assert f"explaining everything again {spoken} times" in outcome
        elif spoken == 0:
            assert "explaining everything again" not in outcome
    assert hung_up_after_a_loss, "the run should have a customer who lost context and hung up"


def test_please_call_us_from_social_media_loses_context(siloed):
    """The siloed bank tells social-media customers to call: the phone agent cannot see the
    post, so the customer explains again (once, 708 such redirects caused no context loss)."""
    records, events = siloed
    redirected_then_answered = 0
    for r in records:
        mine = events[r.cid]
        activities = [e.activity for e in mine]
        if mine[0].channel != "social" or ev.REDIRECTED not in activities:
            continue
        after = activities[activities.index(ev.REDIRECTED) :]
        assert ev.CONTEXT_LOST in after or ev.ANSWERED not in after, r.cid
        if ev.ANSWERED in after:
            redirected_then_answered += 1
            assert r.repeats >= 1, r.cid
            lost = next(e for e in mine if e.activity == ev.CONTEXT_LOST)
            assert lost.detail == "channel_switch:social->voice"
    assert redirected_then_answered > 100
