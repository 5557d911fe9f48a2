"""Telling a journey in plain language (simulator/report/narrative.py)."""

from __future__ import annotations

import dataclasses
import json
import re

from simulator.experiment.tracing import trace
from simulator.observe import events as ev
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
from tests.conftest import ECOMMERCE

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
