"""A traced journey as the explorer stores it: compact facts and its story, told once, here.

The HTML report lists a few hundred journeys, so each is kept small (about 1.5 KB of JSON): the
facts the explorer filters and sorts on (segment, intent, channels, outcome, frustration, time to
resolution, contacts), then the story as the narrative tells it (:func:`narrate`), one short row
per line, ``[clock, frustration, state, changed, text]``, and the two closing sentences. The
page renders a story only when it is opened. The same entries are saved in ``journeys.json``, so
``cxsim report DIR`` rebuilds the page without the events.

:func:`entry_from_trace_json` reads the entries of older ``journeys.json`` files (which kept the
whole :func:`~simulator.report.story.render.to_json` of each journey) into the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.observe import events as ev
from simulator.observe.trace import TracedJourney
from simulator.report.story.telling import NarrativeLine, header, narrate, summary_line
from simulator.report.story.words import state_of
from simulator.report.text import state_at

__all__ = ["END_ACTIVITIES", "entry_from_trace_json", "explorer_entry", "step_rows"]

#: The activities of the closing lines of a narrative (what happened, what it meant).
END_ACTIVITIES = ("outcome", "impact")


def step_rows(lines: list[NarrativeLine]) -> list[list[Any]]:
    """The story's steps as ``[clock, frustration, state, changed, text]`` rows (closing lines
    apart); frustration to one decimal, ``changed`` 1 when the line changed the state."""
    return [
        [x.clock, round(x.frustration, 1), x.state, int(x.state_changed), x.text]
        for x in lines
        if x.activity not in END_ACTIVITIES
    ]


def _channels(t: TracedJourney) -> list[str]:
    """The channel of each contact, in order (the channel path)."""
    return [e.channel for e in t.events if e.activity in (ev.ARRIVED, ev.CONTACTED)]


def explorer_entry(t: TracedJourney) -> dict[str, Any]:
    """The explorer's entry for a traced journey (plain JSON data)."""
    r = t.record
    lines = narrate(t)
    return {
        "id": r.cid,
        "replication": t.replication,
        "pick": t.pick,
        "segment": r.segment,
        "intent": r.intent,
        "channels": _channels(t),
        "outcome": "resolved" if r.resolved else "gave_up",
        "peak": round(r.peak_frustration, 1),
        "peak_state": state_of(t, r.peak_frustration),
        "final": round(r.final_frustration, 1),
        "state": state_of(t, r.final_frustration),
        "ttr_s": None if r.time_to_resolution_s is None else round(r.time_to_resolution_s),
        "wait_s": round(r.total_wait_s),
        "contacts": r.contacts,
        "repeats": r.repeats,
        "transfers": r.transfers,
        "switches": r.switches,
        "effort": round(r.effort, 1),
        "churn": round(r.churn_probability, 3),
        "nps": r.nps_class,
        "told": round(r.word_of_mouth),
        "summary": summary_line(t),
        "header": header(t),
        "steps": step_rows(lines),
        "ending": [x.text for x in lines if x.activity in END_ACTIVITIES],
    }


def entry_from_trace_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """The explorer's entry for a journey saved as :func:`to_json` data (older journeys.json)."""
    record = data.get("record") or {}
    narrative = [x for x in data.get("narrative") or [] if isinstance(x, Mapping)]
    states = {str(k): float(v) for k, v in (data.get("states") or {}).items()}
    peak = float(record.get("peak_frustration") or 0.0)
    final = float(record.get("final_frustration") or 0.0)
    ttr = record.get("time_to_resolution_s")
    steps = [_step_row(x) for x in narrative if x.get("activity") not in END_ACTIVITIES]
    return {
        "id": record.get("cid"),
        "replication": data.get("replication", 0),
        "pick": data.get("pick", "sample"),
        "segment": record.get("segment", ""),
        "intent": record.get("intent", ""),
        "channels": [
            e.get("channel", "")
            for e in data.get("events") or []
            if e.get("activity") in (ev.ARRIVED, ev.CONTACTED)
        ],
        "outcome": "resolved" if record.get("resolved") else "gave_up",
        "peak": round(peak, 1),
        "peak_state": state_at(peak, states),
        "final": round(final, 1),
        "state": state_at(final, states),
        "ttr_s": None if ttr is None else round(float(ttr)),
        "wait_s": round(float(record.get("total_wait_s") or 0.0)),
        "contacts": record.get("contacts", 0),
        "repeats": record.get("repeats", 0),
        "transfers": record.get("transfers", 0),
        "switches": record.get("switches", 0),
        "effort": round(float(record.get("effort") or 0.0), 1),
        "churn": round(float(record.get("churn_probability") or 0.0), 3),
        "nps": record.get("nps_class", ""),
        "told": round(float(record.get("word_of_mouth") or 0.0)),
        "summary": data.get("summary", ""),
        "header": list(data.get("header") or []),
        "steps": steps,
        "ending": [x.get("text", "") for x in narrative if x.get("activity") in END_ACTIVITIES],
    }


def _step_row(line: Mapping[str, Any]) -> list[Any]:
    """A saved narrative line as a :func:`step_rows` row."""
    frustration = round(float(line.get("frustration") or 0.0), 1)
    changed = int(bool(line.get("state_changed")))
    return [
        line.get("clock", ""),
        frustration,
        line.get("state", ""),
        changed,
        line.get("text", ""),
    ]
