"""Scenario texts shared by several test modules (one copy, so they cannot drift apart), and
the helpers that load them expecting problems.

Tests that check a problem's line and column refer to the layout of these texts: change a text
and the positions in those tests move with it.
"""

from __future__ import annotations

import pytest

from simulator.scenario import Problem, ScenarioError, load_scenario_text

FULL = """\
scenario: retail-bank
description: "A retail bank on a Monday"
seed: 7
horizon:
  start: "08:00"
  end: "20:00"
  interval: 30m
  warmup: 30m
  drain: 2h
  date: 2026-11-23
customers:
  segments:
    digital: {share: 0.45, patience_scale: 0.7, reach: 825}
    branch: {share: 0.55}
  intents:
    card_lost: 0.25
    billing_dispute: {share: 0.15}
    general: 0.6
arrivals:
  rate: 600/h
  first_channel: {voice: 0.5, chat: 0.3, email: 0.2}
channels:
  voice:
    patience: {exponential: {mean: 6m}}
    lines: 200
    service_level: 20s
  chat:
    kind: synchronous
    expected_response: 2m
    patience: {lognormal: {mean: 10m, sd: 5m}}
  email: {}
agents:
  voice_team:
    skills: [voice, billing]
    count: {08:00: 12, 14:00: 9, "18:30": 4}   # unquoted 14:00 is the YAML 1.1 integer 840
    shrinkage: 0.3
    wrap_up: 30s
  chat_support:
    skills: chat_support
    count: 10
    concurrency: 3
    empathy: 0.7
  back_office:
    skills: [email]
    count: {"10:00": 3}
    wrap_up: {uniform: {low: 10s, high: 1m}}
handle_time:
  default: {lognormal: {mean: 4m, sd: 3m}}
  by_channel: {chat: {lognormal: {mean: 8m, sd: 5m}}}
  billing_dispute: {gamma: {mean: 9m, sd: 6m}}
  general: {default: 5m, voice: {empirical: [3m, 4m, 5m]}, email: {exponential: {mean: 7m}}}
routing:
  - when: {channel: voice, intent: [billing_dispute], segment: digital}
    to: billing
    priority: 1
  - when: {channel: voice}
    to: voice
  - when: {channel: [chat]}
    to: chat_support
  - to: email
"""

# One channel, one agent group, a 4-hour clock horizon (08:00-12:00, 30-minute intervals).
ONE_CHANNEL = """\
scenario: t
horizon: {start: "08:00", end: "12:00"}
arrivals: {rate: 600/h}
channels:
  voice: {}
agents:
  voice: {count: 5}
handle_time:
  default: 4m
"""

# Two segments, two intents, two channels, explicit routing.
TWO_CHANNELS = """\
scenario: t
horizon: {start: "08:00", end: "12:00"}
customers:
  segments: {digital: 0.4, branch: 0.6}
  intents: {sales: 0.3, service: 0.7}
arrivals: {rate: 600/h, first_channel: {voice: 0.5, chat: 0.5}}
channels:
  voice: {}
  chat: {}
agents:
  voice: {count: 5}
  chat: {count: 5}
handle_time:
  default: 4m
routing:
  - when: {channel: voice}
    to: voice
  - when: {channel: chat, segment: [digital, branch]}
    to: chat
"""

# Every journey block: bots, redirects, overflow, callbacks, resolution, transfers, context,
# retrial and frustration.
JOURNEYS = """\
scenario: journeys
horizon: {start: "08:00", end: "12:00"}
customers:
  segments:
    digital: {share: 0.45, reach: 825, sensitivity: 1.3, churn_base: 0.02, churn_max: 0.35}
    traditional: {share: 0.55}
  intents: {card_lost: 0.25, billing_dispute: 0.35, general: 0.4}
arrivals: {rate: 600/h, first_channel: {voice: 0.5, chat: 0.3, social: 0.1, email: 0.1}}
channels:
  voice: {patience: {exponential: {mean: 6m}}}
  chat: {patience: {exponential: {mean: 4m}}}
  email: {}
  social: {}
  letter: {}
bots:
  web_assistant:
    channel: chat
    duration: {lognormal: {mean: 2m, sd: 1m}}
    resolves: {card_lost: 0.7, general: 0.3, default: 0.05}
    max_turns: 2
    on_failure: {to: chat_support, passes_context: false}
  ivr:
    duration: 45s
    on_failure: {redirect: chat, passes_context: true}
routing:
  - when: {channel: chat}
    to: web_assistant
  - when: {channel: voice, intent: billing_dispute}
    to: billing
    priority: 1
    overflow: {after: 5m, to: voice_general}
    callback: {threshold: 3m, accept: 0.5}
  - when: {channel: voice}
    to: voice_general
    callback: {threshold: 2m}
  - when: {channel: social, segment: digital}
    redirect: {to: voice, follow: 0.6}
  - when: {channel: social}
    redirect: voice
  - when: {channel: email}
    to: email
agents:
  billing:
    count: 5
    resolves: {default: 0.85, billing_dispute: 0.7}
    transfers:
      billing_dispute: {to: voice_general, probability: 0.2}
  voice_general: {count: 10, transfers: {default: {to: billing, probability: 0.05}}}
  chat_support: {count: 4, concurrency: 2}
  email_team: {skills: [email], count: 2}
handle_time:
  default: {lognormal: {mean: 4m, sd: 3m}}
context:
  shared_record: false
  bot_to_agent: true
  transfer: false
  carried_switches: [[chat, voice]]
  re_explain: {lognormal: {mean: 90s, sd: 60s}}
retrial:
  max_contacts: 3
  probability: 0.7
  contact_decay: 0.9
  delay: {exponential: {mean: 20m}}
  switch:
    default: {voice: {voice: 0.6, chat: 0.4}, social: {voice: 0.5, social: 0.5}}
    digital: {voice: {chat: 0.7, voice: 0.3}}
frustration:
  repeat: 15
  wait_fast: 8
"""

# The fewest keys a scenario can have; everything else takes its default.
MINIMAL = """\
scenario: tiny
horizon: {duration: 8h}
arrivals: {rate: 60}
channels: {voice: {}}
agents: {voice: {count: 2}}
handle_time: {default: 4m}
"""

# A duration horizon (no clock) with per-interval arrivals and an offset schedule.
DURATION_FORM = """\
scenario: long-run
horizon: {duration: 200h, interval: 50h, warmup: 10h, drain: 0s}
customers:
  intents: {sales: 0.5, service: 0.5}
arrivals:
  per_interval: [100, 200, 300, 400]
channels:
  chat: {patience: none, lines: 12}
agents:
  team:
    skills: chat
    count: {2h: 5, 0h: 3, 100h: 0}
    wrap_up: {gamma: {shape: 2, scale: 15s}}
handle_time:
  sales: {constant: 3m}
  service: {chat: {uniform: {low: 1m, high: 9m}}}
  by_channel: {chat: 5m}
"""

# A clock horizon past midnight with a daily total spread by a profile.
PROFILE = """\
scenario: profiled
horizon: {start: "22:00", end: "30:00", interval: 3h}
arrivals: {daily_total: 1000, profile: [1, 2, 1]}
channels: {sms: {expected_response: 2h}}
agents: {night: {skills: [sms], count: 0}}
handle_time: {default: {exponential: {mean: 100ms}}}
"""


# A week of three channels: every key of days, opening hours and backlogs. Monday to Friday
# from 08:00 to 20:00 in hourly intervals; voice closes early on Saturday and all Sunday, chat
# keeps shorter hours, e-mail is promised within 8 business hours.
WEEK = """\
scenario: week
horizon:
  start: "08:00"
  end: "20:00"
  interval: 1h
  days: 7
  first_day: mon
  warmup: 1h
  drain: 2h
customers:
  intents: {general: 1}
arrivals:
  daily_total: 1200
  profile: [1, 2, 3, 3, 2, 2, 2, 2, 3, 3, 2, 1]
  first_channel: {voice: 0.5, chat: 0.3, email: 0.2}
  by_day:
    mon: {daily_total: 1500}
    weekend: {rate: 20/h}
    sun: {rate: 0}
channels:
  voice:
    patience: {exponential: {mean: 5m}}
    hours: {default: "08:00-20:00", sat: "09:00-13:00", sun: closed}
  chat:
    hours: ["09:00-12:00", "13:00-17:00"]
  email:
    hours: "08:00-18:00"
    service_level: {within: 8h, business_hours: true}
agents:
  voice_team:
    skills: [voice]
    count: {"08:00": 12, "14:00": 9}
    count_by_day:
      sat: {"09:00": 4, "13:00": 0}
      sun: 0
    overtime: 30m
  chat_team:
    skills: [chat]
    count: 5
    count_by_day: {weekend: 0}
  email_team:
    skills: [email]
    count: {"08:00": 3, "18:00": 0}
    count_by_day: {weekend: 0}
handle_time:
  default: {lognormal: {mean: 5m, sd: 3m}}
routing:
  - when: {channel: voice}
    to: voice
  - when: {channel: chat}
    to: chat
  - to: email
costs:
  agent_hour: 30
  overtime_multiplier: 1.5
"""


def problems(text: str, source: str = "s.yaml") -> list[Problem]:
    """The problems of a text that does not load (it must not load)."""
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, source)
    assert info.value.problems, "a ScenarioError always lists its problems"
    assert str(info.value) == "\n".join(str(p) for p in info.value.problems)
    return info.value.problems


def only(text: str) -> str:
    """The single problem in ``text``, as its message line."""
    found = problems(text)
    assert len(found) == 1, [str(p) for p in found]
    return str(found[0])


def at(text: str, needle: str, part: str | None = None) -> str:
    """``s.yaml:line:col`` of ``part`` (default: all) of the first ``needle`` in ``text``."""
    i = text.index(needle) + (needle.index(part) if part is not None else 0)
    line = text.count("\n", 0, i) + 1
    col = i - (text.rfind("\n", 0, i) + 1) + 1
    return f"s.yaml:{line}:{col}"


def replaced(old: str, new: str, text: str = JOURNEYS) -> str:
    """``text`` with ``old`` (which must occur exactly once) replaced by ``new``."""
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


# Voice and chat, each with its own team, and two variants: `chat_first` moves three agents
# from voice to chat (chat gets much better, voice worse: a trade-off the blended service level
# would hide), `twin` changes only the description (exactly the same center). About 480
# customers per replication, so a comparison of a few replications takes a second.
VOICE_TO_CHAT = """\
scenario: voice-to-chat
seed: 5
horizon: {duration: 2h, interval: 30m}
arrivals:
  rate: 240/h
  first_channel: {voice: 0.5, chat: 0.5}
channels:
  voice: {patience: {exponential: {mean: 3m}}, service_level: 20s}
  chat: {patience: {exponential: {mean: 4m}}, service_level: 60s}
agents:
  voice_team: {skills: [voice], count: 8}
  chat_team: {skills: [chat], count: 4}
handle_time:
  default: {exponential: {mean: 2m}}
routing:
  - when: {channel: voice}
    to: voice
  - when: {channel: chat}
    to: chat
variants:
  chat_first:
    agents.voice_team.count: 5
    agents.chat_team.count: 7
  twin:
    description: the same center, described again
"""

#: Voice and e-mail, each with its own team, and a shared "complaints" queue both reach: the
#: promises of seconds and of hours that no blended wait may mix (issue #11).
VOICE_AND_EMAIL = """\
scenario: voice-and-email
seed: 4
horizon: {duration: 3h, interval: 1h, drain: 1d}
arrivals:
  rate: 120/h
  first_channel: {voice: 0.7, email: 0.3}
customers:
  intents: {general: {share: 0.8}, complaint: {share: 0.2}}
channels:
  voice: {patience: {exponential: {mean: 4m}}, service_level: 20s}
  email: {kind: asynchronous, expected_response: 4h, service_level: 4h}
agents:
  voice_team: {skills: [voice], count: 4}
  email_team: {skills: [email], count: 1}
  complaints_team: {skills: [complaints], count: 2}
handle_time:
  default: {exponential: {mean: 3m}}
routing:
  - when: {intent: complaint}
    to: complaints
  - when: {channel: voice}
    to: voice
  - when: {channel: email}
    to: email
"""

# Shift rules for two teams (every key of the shifts block): full-time days with two paid
# breaks and an unpaid lunch, part-time evenings, a weekend type, limits.
SHIFTS = """\
scenario: shifts
horizon: {start: "07:00", end: "21:00", interval: 30m, days: 7}
arrivals: {rate: 300/h, first_channel: {voice: 0.7, chat: 0.3}}
channels: {voice: {}, chat: {}}
agents:
  voice_team: {skills: [voice], count: 10}
  chat_team: {skills: [chat], count: 4}
handle_time: {default: 4m}
shifts:
  voice_team:
    types:
      full_time:
        paid: 8h
        starts: "07:00-12:00"
        breaks:
          morning: {length: 15m, within: 1h30m-3h}
          lunch: {length: 30m, up_to: 1h, within: 3h-5h, paid: false}
          afternoon: {length: 15m, within: 5h30m-7h30m, from_paid: 6h}
        agent_hour: 28
        min_heads: 2
        max_heads: 30
        days: weekdays
      evening:
        paid: [4h, 5h]
        starts: ["15:00-16:00", "17:00"]
        start_step: 30m
        breaks: {rest: {length: 15m, within: 1h-3h, step: 5m}}
        part_time: true
      weekend: {paid: 6h, starts: "09:00", days: [sat, sun]}
    part_time: {max_heads: 10, max_hours_share: 0.4}
    shrinkage: 0.2
  chat_team:
    types:
      day: {paid: 7h30m, starts: "08:00-13:00"}
"""
