"""The closing rules (simulator/model/closing.py): nothing answered outside opening hours
without overtime, overtime measured and costed, channels closed outside their hours and at
closing time, e-mail backlog carried overnight, business-hours promises, what is left open when
the run stops, and callbacks that release their line."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import pytest

from simulator.analytic import erlang_a, erlang_c
from simulator.experiment.event_log import write_event_log
from simulator.experiment.replication import run_replication
from simulator.model.wakeups import WAITING
from simulator.model.world import World
from simulator.observe import events as journey_events
from simulator.scenario import load_scenario_text

#: One day open 08:00-20:00, busy enough that queues are long at closing time: voice with
#: impatient callers, and e-mail that waits. Nobody may work past 20:00.
DAY = """\
scenario: closing
horizon: {start: "08:00", end: "20:00", interval: 1h, date: 2026-11-23, drain: 4h}
arrivals: {rate: 60/h, first_channel: {voice: 0.6, email: 0.4}}
channels:
  voice: {patience: {exponential: {mean: 20m}}}
  email: {}
agents:
  voice: {count: 1}
  email: {count: 1}
handle_time: {default: {exponential: {mean: 4m}}}
"""


def answered_times(path: Path) -> list[dt.datetime]:
    with path.open() as handle:
        return [
            dt.datetime.fromisoformat(row["timestamp"])
            for row in csv.DictReader(handle)
            if row["activity"] == journey_events.ANSWERED
        ]


def test_nobody_is_answered_after_closing_without_overtime(tmp_path):
    """The event log of a day open 08:00-20:00 has no answer outside 08:00-20:00, although
    contacts still wait at 20:00 (the drain used to answer them)."""
    scenario = load_scenario_text(DAY)
    log = tmp_path / "events.csv"
    write_event_log(log, scenario, replications=2)
    answered = answered_times(log)
    opens, closes = dt.datetime(2026, 11, 23, 8), dt.datetime(2026, 11, 23, 20)
    assert answered and all(opens <= t < closes for t in answered)
    result = run_replication(scenario, 0)
    assert result["by_channel"]["voice"]["closed"] > 0  # callers told the center is closed
    assert result["by_channel"]["email"]["in_system"] > 0  # e-mails left for another day
    assert result["backlog"]["email"]["at_end"] == result["by_channel"]["email"]["in_system"]
    assert "overtime_hours" not in result["by_group"]["voice"]
    assert result["costs"]["overtime"] == 0.0


def test_declared_overtime_is_worked_measured_and_costed(tmp_path):
    text = DAY.replace("  email: {count: 1}", "  email: {count: 1, overtime: 1h}") + (
        "costs: {agent_hour: 20, overtime_multiplier: 1.5}\n"
    )
    scenario = load_scenario_text(text)
    log = tmp_path / "events.csv"
    write_event_log(log, scenario)
    late = [t for t in answered_times(log) if t >= dt.datetime(2026, 11, 23, 20)]
    assert late and all(t <= dt.datetime(2026, 11, 23, 21) for t in late)
    result = run_replication(scenario, 0)
    hours = result["by_group"]["email"]["overtime_hours"]
    assert 0 < hours <= 1.0  # one agent, at most the hour declared
    assert result["costs"]["overtime"] == pytest.approx(hours * 20 * 1.5)
    assert result["costs"]["operating"] == pytest.approx(
        result["costs"]["agents"] + result["costs"]["overtime"]
    )


def test_overtime_agents_go_home_when_nothing_waits():
    """A quiet e-mail desk: after closing the one agent finishes and leaves, long before the
    overtime allowed is over."""
    text = DAY.replace("rate: 60/h", "rate: 6/h").replace(
        "  email: {count: 1}", "  email: {count: 1, overtime: 2h}"
    )
    results = [run_replication(load_scenario_text(text), r) for r in range(5)]
    hours = [r["by_group"]["email"].get("overtime_hours", 0.0) for r in results]
    assert all(h < 0.5 for h in hours)


def test_a_synchronous_channel_is_closed_outside_its_hours():
    """Chat opens at 10:00: the contacts of the first two hours meet a closed channel."""
    text = (
        DAY.replace("  email: {}", "  email: {}\n  chat: {hours: '10:00-20:00'}").replace(
            "{voice: 0.6, email: 0.4}", "{voice: 0.4, email: 0.3, chat: 0.3}"
        )
        + "routing:\n  - {when: {channel: chat}, to: voice}\n"
        + "  - {when: {channel: voice}, to: voice}\n  - {to: email}\n"
    )
    events: list[journey_events.JourneyEvent] = []
    scenario = load_scenario_text(text)
    World(scenario, 0, recorder=events.append).run()
    closed = [e.time for e in events if e.activity == journey_events.CLOSED and e.channel == "chat"]
    assert closed and all(t < 2 * 3600 or t >= 12 * 3600 for t in closed)
    early = run_replication(scenario, 0)["by_interval"][0]["by_channel"]["chat"]
    assert early["offered"] > 0 and early["closed"] == early["offered"]


def test_email_backlog_is_carried_from_the_evening_to_the_next_morning():
    """Two days: e-mails written after the team leaves at 18:00 wait overnight, are still there
    when the next day opens, and are answered from 08:00 on."""
    text = DAY.replace("date: 2026-11-23, ", "date: 2026-11-23, days: 2, ").replace(
        "  email: {count: 1}", '  email: {count: {"08:00": 3, "18:00": 0}}'
    )
    scenario = load_scenario_text(text)
    events: list[journey_events.JourneyEvent] = []
    World(scenario, 0, recorder=events.append).run()
    result = run_replication(scenario, 0)
    days = result["backlog"]["email"]["by_day"]
    assert days[0]["at_close"] > 0
    assert days[1]["at_open"] == days[0]["at_close"]  # nobody touched it overnight
    arrived = {e.case_id: e.time for e in events if e.activity == journey_events.ARRIVED}
    overnight = [
        e
        for e in events
        if e.activity == journey_events.ANSWERED
        and e.channel == "email"
        and arrived[e.case_id] >= 10 * 3600  # written after 18:00 on the first day
        and arrived[e.case_id] < 12 * 3600
    ]
    assert overnight and all(e.time >= 24 * 3600 for e in overnight)
    assert result["by_day"][0]["day"] == "Mon" and result["by_day"][1]["day"] == "Tue"


def test_business_hours_promise_counts_the_wait_inside_the_hours_only():
    """An e-mail written at 19:00 and answered at 08:30 the next morning waited 13.5 hours,
    30 minutes of them in business hours: within a 1-hour business-hours promise, not within
    a 1-hour calendar promise."""
    text = (
        DAY.replace("date: 2026-11-23, ", "date: 2026-11-23, days: 2, ")
        .replace("  email: {}", "  email: {service_level: {within: 1h, business_hours: true}}")
        .replace("  email: {count: 1}", '  email: {count: {"08:00": 3, "18:00": 0}}')
    )
    business = run_replication(load_scenario_text(text), 0)["by_channel"]["email"]
    calendar = run_replication(load_scenario_text(text.replace(", business_hours: true", "")), 0)[
        "by_channel"
    ]["email"]
    assert business["answered"] == calendar["answered"]  # the same run, counted two ways
    assert business["service_level"] > calendar["service_level"]


def test_the_world_lists_the_journeys_still_open_when_it_stops():
    """The hook for counting unfinished customers (issue #13): every contact still waiting
    belongs to an open journey."""
    world = World(load_scenario_text(DAY), 0).run()
    waiting = {
        contact.journey.cid
        for queue in world.queues.values()
        for _priority, contacts in queue.levels
        for contact in contacts
        if contact.state == WAITING
    }
    open_now = {journey.cid for journey in world.open_journeys()}
    assert waiting and waiting <= open_now
    counts = world.counts()
    assert len(open_now) >= counts.backlog["email"].at_end[0]


# --------------------------------------------------------------------------------------------
# Callbacks and lines: "keeps their place in the queue without holding a line"

CALLBACKS = """\
scenario: callbacks-with-lines
horizon: {duration: 40h, warmup: 2h, drain: 2h}
arrivals: {rate: 4.8/min}
channels:
  voice: {lines: 8}
agents:
  voice: {count: 6}
handle_time:
  default: {exponential: {mean: 1m}}
routing:
  - when: {channel: voice}
    to: voice
"""
LAM, MU = 4.8 / 60, 1 / 60


def _voice(text: str) -> list[dict]:
    """The voice channel's figures in three replications (waits are per channel)."""
    scenario = load_scenario_text(text)
    return [run_replication(scenario, r)["by_channel"]["voice"] for r in range(3)]


def test_without_callbacks_lines_block_as_in_mmck():
    """Six agents and eight lines, nobody leaves: M/M/6/8."""
    model = erlang_a(LAM, MU, 0.0, 6, capacity=8)
    runs = _voice(CALLBACKS)
    blocked = sum(r["blocked_rate"] for r in runs) / len(runs)
    immediate = sum(r["immediate_rate"] for r in runs) / len(runs)
    assert blocked == pytest.approx(model.p_blocked, abs=0.01)
    assert immediate == pytest.approx(model.p_immediate, abs=0.02)


def test_when_every_waiter_takes_a_callback_nobody_is_blocked_and_waits_are_erlang_c():
    """An accepted callback releases its line: the lines only hold callers being served or
    deciding, so with six agents eight lines never fill, and the queue is M/M/6 (Erlang C)."""
    runs = _voice(
        CALLBACKS.replace(
            "    to: voice\n", "    to: voice\n    callback: {threshold: 0s, accept: 1}\n"
        )
    )
    model = erlang_c(LAM, MU, 6)
    assert all(r["blocked"] == 0 for r in runs)
    immediate = sum(r["immediate_rate"] for r in runs) / len(runs)
    assert immediate == pytest.approx(1 - model.p_wait, abs=0.02)
    asa = sum(r["asa_s"] for r in runs) / len(runs)
    assert asa == pytest.approx(model.asa, rel=0.25)
    assert all(not math.isnan(r["asa_s"]) for r in runs)
