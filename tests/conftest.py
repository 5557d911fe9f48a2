"""Fixtures shared by tests of several packages: traced runs of the bundled bank scenarios.

Each is a module-scoped run of a day of a few thousand customers (well under a second), shared
by the tests of picking (observe/trace), tracing (experiment/tracing) and telling
(report/narrative) a journey.
"""

from __future__ import annotations

import pytest

from simulator.experiment.tracing import collect, trace, trace_pair
from simulator.observe.events import JourneyEvent
from simulator.observe.journey import JourneyRecord
from simulator.observe.trace import TracedJourney, traced_journey
from simulator.scenario import load_scenario_text
from tests.paths import SCENARIOS

SILOED = SCENARIOS / "retail_bank_siloed.yaml"
OMNI = SCENARIOS / "retail_bank_omnichannel.yaml"
ECOMMERCE = SCENARIOS / "ecommerce_ai_bot.yaml"

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
