"""The bots block: names apart from skills and channels, turns and containment, escalations."""

from __future__ import annotations

import pytest

from simulator.distributions import Constant, Lognormal
from simulator.scenario import load_scenario_text
from simulator.scenario.schema import Bot, Escalation
from tests.scenario_texts import JOURNEYS, at, only, replaced


@pytest.fixture(scope="module")
def scenario():
    """The JOURNEYS text, loaded."""
    return load_scenario_text(JOURNEYS, "journeys.yaml")


def test_bots_and_escalations(scenario):
    assert list(scenario.bots) == ["ivr", "web_assistant"]  # name order
    assert scenario.bots["web_assistant"] == Bot(
        name="web_assistant",
        duration=Lognormal(120.0, 60.0),
        escalation=Escalation(to="chat_support", passes_context=False),
        resolves={"card_lost": 0.7, "general": 0.3},
        resolves_default=0.05,
        max_turns=2,
        channel="chat",
    )
    assert scenario.bots["ivr"] == Bot(
        name="ivr",
        duration=Constant(45.0),
        escalation=Escalation(redirect="chat", passes_context=True),
    )
    assert scenario.bots["web_assistant"].containment("billing_dispute") == 0.05


def test_bot_named_like_a_skill():
    text = replaced("  ivr:\n", "  email:\n")
    where = at(text, "email:\n    duration", "email")
    assert only(text) == (
        f"{where}: bots.email: bot 'email' has the name of a skill (a routing rule's `to` names a "
        "skill queue or a bot, so bot names must differ from skill and channel names; rename it, "
        "e.g. email_bot)"
    )


def test_bot_named_like_a_channel():
    text = replaced("  ivr:\n", "  letter:\n")
    where = at(text, "letter:\n    duration", "letter")
    assert only(text).startswith(f"{where}: bots.letter: bot 'letter' has the name of a channel")


def test_bot_probabilities_and_turns():
    text = replaced("card_lost: 0.7,", "card_lost: 1.7,")
    assert only(text) == (
        f"{at(text, '1.7')}: bots.web_assistant.resolves.card_lost: expected a value >= 0 and "
        "<= 1, found 1.7"
    )
    text = replaced("max_turns: 2", "max_turns: 0")
    assert only(text) == (
        f"{at(text, 'max_turns: 0', '0')}: bots.web_assistant.max_turns: expected a value >= 1, "
        "found 0"
    )


def test_bot_resolves_unknown_intent():
    text = replaced("general: 0.3, default", "genral: 0.3, default")
    assert only(text) == (
        f"{at(text, 'genral')}: bots.web_assistant.resolves.genral: unknown intent 'genral' "
        "(neither an intent nor default) (did you mean 'general'?)"
    )


def test_bot_escalation_needs_exactly_one_target_and_a_known_skill():
    text = replaced("{redirect: chat, passes_context: true}", "{passes_context: true}")
    assert only(text) == (
        f"{at(text, '{passes_context: true}')}: bots.ivr.on_failure: give one of to or redirect "
        "(a bot escalates either to a skill queue (to: chat_support) or to another channel "
        "(redirect: voice))"
    )
    text = replaced("{to: chat_support,", "{to: chat_suport,")
    assert only(text) == (
        f"{at(text, 'chat_suport')}: bots.web_assistant.on_failure.to: no agent group has skill "
        "'chat_suport' (did you mean 'chat_support'?)"
    )


def test_bot_channel_must_be_declared():
    text = replaced("    channel: chat\n", "    channel: caht\n")
    assert only(text) == (
        f"{at(text, 'channel: caht', 'caht')}: bots.web_assistant.channel: unknown channel 'caht' "
        "(did you mean 'chat'?)"
    )


def test_bot_needs_duration_and_on_failure():
    text = replaced("    duration: 45s\n", "")
    assert only(text).startswith(
        f"{at(text, 'on_failure: {redirect')}: bots.ivr.duration: missing required key 'duration' "
        "(the time one bot turn takes"
    )
