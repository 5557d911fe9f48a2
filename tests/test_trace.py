"""Traces: recording a run (simulator.experiment.tracing), choosing a customer
(simulator.observe.trace) and telling their journey (simulator.report.narrative).

Each bundled scenario is run once per module (a day of a few thousand customers, well under a
second) and shared by the tests through fixtures.
"""

from __future__ import annotations

import dataclasses
import json
import re
import statistics
from pathlib import Path

import pytest

from simulator.experiment.tracing import collect, sample_traces, trace, trace_pair
from simulator.observe import events as ev
from simulator.observe.events import JourneyEvent
from simulator.observe.journey import JourneyRecord
from simulator.observe.trace import TracedJourney, TraceError, pick, traced_journey
from simulator.report import narrative
from simulator.report.narrative import (
    FIELDS,
    TEMPLATES,
    channel_words,
    narrate,
    render_html_fragment,
    render_markdown,
    render_pair_text,
    render_text,
    summary_line,
    template_fields,
    to_json,
)
from simulator.scenario import load_scenario_text

ROOT = Path(__file__).resolve().parent.parent
SILOED = ROOT / "scenarios" / "retail_bank_siloed.yaml"
OMNI = ROOT / "scenarios" / "retail_bank_omnichannel.yaml"
ECOMMERCE = ROOT / "scenarios" / "ecommerce_ai_bot.yaml"

# Every routing feature at once, so every activity occurs: a bot that loops, resolves or
# redirects to the phone, a social redirect that some do not follow, a voice queue with few
# lines (blocked), callbacks and overflow, transfers, unresolved contacts and retries.
EVERYTHING = """\
scenario: everything
seed: 5
horizon: {start: "09:00", end: "11:00", interval: 1h, drain: 1h}
customers:
  intents: {card_lost: {share: 0.5}, billing_dispute: {share: 0.5}}
arrivals:
  rate: 300/h
  first_channel: {voice: 0.4, chat: 0.3, social: 0.3}
channels:
  voice: {patience: {exponential: {mean: 3m}}, expected_response: 1m, lines: 8}
  chat: {patience: {exponential: {mean: 4m}}, expected_response: 1m}
  social: {kind: asynchronous, expected_response: 1h}
bots:
  helper:
    duration: {constant: 40s}
    resolves: {card_lost: 0.5, billing_dispute: 0.1}
    max_turns: 2
    on_failure: {redirect: voice, passes_context: false}
agents:
  front:
    skills: [front]
    count: 3
    transfers: {billing_dispute: {to: billing, probability: 0.5}}
    resolves: {default: 0.7}
  billing: {skills: [billing], count: 2}
  backup: {skills: [backup], count: 1}
handle_time:
  default: {exponential: {mean: 4m}}
routing:
  - when: {channel: social}
    redirect: {to: voice, follow: 0.5}
  - when: {channel: chat}
    to: helper
  - when: {channel: voice}
    to: front
    overflow: {after: 2m, to: backup}
    callback: {threshold: 3m, accept: 0.7}
retrial:
  max_contacts: 3
  delay: {exponential: {mean: 10m}}
"""


@pytest.fixture(scope="module")
def siloed() -> tuple[list[JourneyRecord], dict[int, list[JourneyEvent]]]:
    return collect(SILOED)


@pytest.fixture(scope="module")
def siloed_worst(siloed) -> TracedJourney:
    return trace(SILOED, "worst", run=siloed)


@pytest.fixture(scope="module")
def pair() -> tuple[TracedJourney, TracedJourney]:
    return trace_pair(SILOED, OMNI, how="worst")


@pytest.fixture(scope="module")
def everything() -> list[TracedJourney]:
    """One trace per customer of a small scenario where every activity occurs."""
    scenario = load_scenario_text(EVERYTHING)
    records, events = collect(scenario)
    return [
        traced_journey(scenario, 0, None, "customer", r, events, len(records), None, None, None)
        for r in records
    ]


# -- pick ---------------------------------------------------------------------------------------


def test_worst_has_the_highest_peak_and_the_lowest_id_among_ties(siloed):
    records, _ = siloed
    worst = pick(records, "worst")
    top = max(r.peak_frustration for r in records)
    assert worst.peak_frustration == top
    assert worst.cid == min(r.cid for r in records if r.peak_frustration == top)


def test_best_has_the_lowest_peak_then_the_quickest_resolution(siloed):
    records, _ = siloed
    best = pick(records, "best")
    low = min(r.peak_frustration for r in records)
    assert best.peak_frustration == low
    tied = [r for r in records if r.peak_frustration == low and r.resolved]
    if tied:
        assert best.resolved
        assert best.time_to_resolution_s == min(r.time_to_resolution_s for r in tied)


def test_typical_has_the_median_peak(siloed):
    records, _ = siloed
    typical = pick(records, "typical")
    peaks = sorted(r.peak_frustration for r in records)
    assert typical.peak_frustration == statistics.median_low(peaks)


def test_random_is_deterministic_for_a_seed_and_changes_with_it(siloed):
    records, _ = siloed
    a = pick(records, "random", rng_seed=1)
    assert pick(records, "random", rng_seed=1) == a
    others = {pick(records, "random", rng_seed=s).cid for s in range(2, 6)}
    assert others - {a.cid}


def test_filters_apply_before_the_pick(siloed):
    records, _ = siloed
    for how in ("worst", "typical", "best", "random"):
        r = pick(records, how, segment="traditional", intent="card_lost")
        assert (r.segment, r.intent) == ("traditional", "card_lost")
    worst = pick(records, "worst", intent="general")
    assert worst.peak_frustration == max(
        r.peak_frustration for r in records if r.intent == "general"
    )


def test_pick_by_customer_id(siloed):
    records, _ = siloed
    assert pick(records, "worst", customer=records[10].cid) == records[10]


def test_unknown_customer_id_is_a_clear_error(siloed):
    records, _ = siloed
    with pytest.raises(TraceError, match=r"customer 99999 .*ids 0\.\.\d+"):
        pick(records, "worst", customer=99999)
    with pytest.raises(TraceError, match=r"customer 99999 did not arrive .*replication 0"):
        trace(load_scenario_text(EVERYTHING), customer=99999)


def test_an_empty_filter_is_a_clear_error_with_a_hint(siloed):
    records, _ = siloed
    with pytest.raises(TraceError, match=r"segment 'vip'.*segments: digital, traditional"):
        pick(records, "worst", segment="vip")
    with pytest.raises(TraceError, match=r"intent 'mortgage'.*intents: billing_dispute"):
        pick(records, "best", intent="mortgage")
    with pytest.raises(TraceError, match="unknown pick"):
        pick(records, "median")
    with pytest.raises(TraceError, match="nothing to trace"):
        pick([], "worst")
    assert issubclass(TraceError, ValueError)


def test_events_agree_with_the_records_the_narrative_ends_with(siloed):
    records, events = siloed
    for r in records:
        mine = events[r.cid]
        assert mine[0].activity == ev.ARRIVED and mine[-1].activity in (ev.RESOLVED, ev.GAVE_UP)
        assert max(e.frustration for e in mine) == r.peak_frustration
        assert mine[-1].frustration == r.final_frustration
        assert sum(e.activity in (ev.ARRIVED, ev.CONTACTED) for e in mine) == r.contacts
        assert sum(e.activity == ev.CONTEXT_LOST for e in mine) == r.repeats
        assert sum(e.activity == ev.TRANSFERRED for e in mine) == r.transfers


# -- trace, sample_traces, trace_pair -----------------------------------------------------------


def test_trace_is_deterministic(siloed_worst):
    again = trace(SILOED, "worst")
    assert again == siloed_worst
    assert render_text(again) == render_text(siloed_worst)


def test_trace_carries_the_customer_and_the_scenario_facts(siloed_worst, siloed):
    records, events = siloed
    t = siloed_worst
    assert t.record == pick(records, "worst")
    assert list(t.events) == events[t.record.cid]
    assert t.events[0].activity == ev.ARRIVED and t.events[0].time == t.record.arrived_s
    assert (t.scenario, t.replication, t.seed, t.pick) == ("retail-bank-siloed", 0, 11, "worst")
    assert (t.horizon_start, t.clock, t.population) == (8 * 3600.0, True, len(records))
    assert t.expected_response["voice"] == 60.0
    assert t.thresholds == {"irritated": 25.0, "angry": 50.0, "furious": 75.0}
    hash(t)  # usable as a key


def test_sample_traces_are_distinct_and_from_one_run(siloed):
    records, _ = siloed
    traces = sample_traces(SILOED, sample=5)
    assert [t.pick for t in traces] == ["worst", "typical", "best"] + ["random"] * 5
    assert len({t.record.cid for t in traces}) == 8
    assert traces[0].record == pick(records, "worst")
    assert traces[1].record == pick(records, "typical")
    assert traces[2].record == pick(records, "best")


def test_trace_pair_follows_the_same_customer(pair):
    a, b = pair
    assert a.record.cid == b.record.cid
    assert a.record.arrived_s == b.record.arrived_s
    assert (a.record.intent, a.record.segment) == (b.record.intent, b.record.segment)
    assert a.events[0].channel == b.events[0].channel  # same first channel
    assert (a.scenario, b.scenario) == ("retail-bank-siloed", "retail-bank-omnichannel")
    assert a.record.repeats > 0
    assert b.record.repeats <= a.record.repeats


def test_trace_pair_says_when_the_customer_is_not_comparable():
    scenario = load_scenario_text(EVERYTHING)
    moved = dataclasses.replace(scenario, name="other-demand", seed=6)
    with pytest.raises(TraceError, match=r"not the same person|cannot compare"):
        trace_pair(scenario, moved, how="worst")


# -- narrative ----------------------------------------------------------------------------------


def test_every_activity_has_a_template_with_known_fields():
    assert set(TEMPLATES) == set(ev.ACTIVITIES)
    for activity in ev.ACTIVITIES:
        cases = TEMPLATES[activity]
        assert "" in cases, f"{activity!r} has no usual wording"
        assert any(cases.values()), f"{activity!r} is never told"
        for case, wording in cases.items():
            unknown = template_fields(wording) - FIELDS
            assert not unknown, f"{activity!r}/{case!r} uses unknown fields {unknown}"


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


def test_color_codes_only_when_asked(siloed_worst):
    assert "\x1b[" not in render_text(siloed_worst)
    assert "\x1b[" in render_text(siloed_worst, color=True)


def test_pair_text_has_no_color_by_default(pair):
    assert "\x1b[" not in render_pair_text(*pair)
    assert "\x1b[" in render_pair_text(*pair, color=True)


def test_text_fits_the_width(siloed_worst):
    for width in (80, 100):
        assert max(len(line) for line in render_text(siloed_worst, width=width).splitlines()) <= (
            width
        )
    assert re.search(r"\[#{7}\.{3}\]\s+74 angry", render_text(siloed_worst))


def test_to_json_is_serialisable(siloed_worst):
    data = to_json(siloed_worst)
    text = json.dumps(data, allow_nan=False)
    back = json.loads(text)
    assert back["customer"]["id"] == 2008 and back["customer"]["first_channel"] == "chat"
    assert back["record"]["repeats"] == 3
    assert len(back["events"]) == len(siloed_worst.events)
    assert back["narrative"][0]["clock"] == "13:17"
    assert back["summary"] == summary_line(siloed_worst)


def test_markdown_and_html(siloed_worst):
    md = render_markdown(siloed_worst)
    assert md.startswith("### Customer 2008") and "| 13:17 |" in md
    fragment = render_html_fragment(siloed_worst)
    assert fragment.startswith('<ol class="timeline"') and fragment.endswith("</ol>")
    assert fragment.count("<li ") == len(narrate(siloed_worst))


def test_html_escapes_names():
    base = trace(ECOMMERCE, "worst")
    t = dataclasses.replace(base, scenario="<b>&co</b>")
    fragment = render_html_fragment(t)
    assert "<b>" not in fragment and "&lt;b&gt;&amp;co" in fragment
    intents = dict(narrative.INTENTS)
    try:
        narrative.INTENTS[t.record.intent] = "<script>"
        assert "<script>" not in render_html_fragment(t)
    finally:
        narrative.INTENTS.clear()
        narrative.INTENTS.update(intents)


def test_pair_text_shows_the_differences(pair):
    text = render_pair_text(*pair)
    assert (
        "== siloed: retail-bank-siloed" in text
        and "== omnichannel: retail-bank-omnichannel" in text
    )
    a, b = pair
    row = re.search(r"^repeats \(explaining again\)\s+(\d+)\s+(\d+)$", text, re.MULTILINE)
    assert row and (int(row[1]), int(row[2])) == (a.record.repeats, b.record.repeats)
    assert f"With omnichannel, customer {a.record.cid} " in text
