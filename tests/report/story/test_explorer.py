"""A traced journey as the explorer stores it (simulator/report/story/explorer.py)."""

from __future__ import annotations

import json

from simulator.report.story.explorer import entry_from_trace_json, explorer_entry
from simulator.report.story.render import to_json
from simulator.report.story.telling import header, narrate, summary_line


def test_an_entry_holds_the_facts_and_the_told_story(siloed_worst):
    t = siloed_worst
    entry = explorer_entry(t)
    r = t.record
    assert (entry["id"], entry["segment"], entry["intent"]) == (r.cid, r.segment, r.intent)
    assert entry["channels"][0] == t.events[0].channel and len(entry["channels"]) == r.contacts
    assert entry["outcome"] == "gave_up" and entry["state"] == "furious"
    assert (entry["contacts"], entry["repeats"]) == (r.contacts, r.repeats)
    lines = narrate(t)
    assert [row[4] for row in entry["steps"]] == [x.text for x in lines[:-2]]
    assert entry["ending"] == [lines[-2].text, lines[-1].text]
    assert entry["summary"] == summary_line(t) and entry["header"] == header(t)
    assert any(row[3] for row in entry["steps"])  # the changes of state are marked


def test_entries_are_compact(everything):
    sizes = [len(json.dumps(explorer_entry(t), separators=(",", ":"))) for t in everything]
    assert sum(sizes) / len(sizes) < 1500  # bytes: a few hundred journeys stay well under 1 MB
    assert all(json.loads(json.dumps(explorer_entry(t), allow_nan=False)) for t in everything)


def test_an_older_saved_trace_reads_into_the_same_entry(everything, siloed_worst):
    for t in [siloed_worst, *everything[:40]]:
        saved = json.loads(json.dumps(to_json(t)))
        assert entry_from_trace_json(saved) == explorer_entry(t)
