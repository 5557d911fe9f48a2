"""Scenario texts shared by several test modules (one copy, so they cannot drift apart)."""

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
