"""The routing block: rules naming known channels, intents, segments, skills and bots, and the
options only queue rules may have."""

from __future__ import annotations

import pytest

from simulator.scenario import load_scenario_text
from simulator.scenario.schema import Callback, Overflow, Redirect, RoutingRule
from tests.scenario_texts import JOURNEYS, ONE_CHANNEL, TWO_CHANNELS, at, only, problems, replaced


@pytest.fixture(scope="module")
def scenario():
    """The JOURNEYS text, loaded."""
    return load_scenario_text(JOURNEYS, "journeys.yaml")


def test_routing_to_bots_queues_and_redirects(scenario):
    r = scenario.routing
    assert r[0] == RoutingRule("web_assistant", channels=frozenset({"chat"}))
    assert r[1] == RoutingRule(
        "billing",
        channels=frozenset({"voice"}),
        intents=frozenset({"billing_dispute"}),
        priority=1,
        overflow=Overflow(after=300.0, to="voice_general"),
        callback=Callback(threshold=180.0, accept=0.5),
    )
    assert r[2].callback == Callback(threshold=120.0, accept=0.6)
    assert r[3] == RoutingRule(
        "",
        channels=frozenset({"social"}),
        segments=frozenset({"digital"}),
        redirect=Redirect("voice", 0.6),
    )
    assert r[4].redirect == Redirect("voice", 1.0) and r[4].to == ""  # the short form
    assert scenario.skills == ("billing", "voice_general", "email", "chat_support")
    assert scenario.has_journeys


def test_route_to_unknown_skill_lists_known_skills():
    text = TWO_CHANNELS.replace("    to: chat\n", "    to: billing\n")
    assert only(text) == (
        "s.yaml:19:9: routing[1].to: no agent group has skill 'billing' "
        "(allowed skills: chat, voice)"
    )


def test_route_to_misspelt_skill():
    text = TWO_CHANNELS.replace("    to: chat\n", "    to: caht\n")
    assert only(text).endswith(
        "routing[1].to: no agent group has skill 'caht' (did you mean 'chat'?)"
    )


def test_route_to_neither_skill_nor_bot_lists_bots_too():
    text = replaced("    to: web_assistant\n", "    to: web_asistant\n")
    assert only(text) == (
        f"{at(text, 'web_asistant')}: routing[0].to: no agent group has skill 'web_asistant' and "
        "there is no bot 'web_asistant' (did you mean 'web_assistant'?)"
    )
    text = replaced("    to: web_assistant\n", "    to: xyzzy\n")
    assert only(text).endswith(
        "(allowed skills and bots: billing, chat_support, email, voice_general, ivr, web_assistant)"
    )


def test_route_naming_unknown_channel():
    text = TWO_CHANNELS.replace("{channel: voice}", "{channel: [voice, fax]}")
    assert only(text) == (
        "s.yaml:16:29: routing[0].when.channel[1]: unknown channel 'fax' "
        "(allowed channels: chat, voice)"
    )


def test_route_naming_unknown_intent_and_segment():
    text = TWO_CHANNELS.replace("{channel: voice}", "{channel: voice, intent: sale}").replace(
        "segment: [digital,", "segment: [digitl,"
    )
    assert [str(p) for p in problems(text)] == [
        "s.yaml:16:36: routing[0].when.intent: unknown intent 'sale' (did you mean 'sales'?)",
        "s.yaml:18:37: routing[1].when.segment[0]: unknown segment 'digitl' "
        "(did you mean 'digital'?)",
    ]


def test_unknown_condition_key_in_when():
    text = TWO_CHANNELS.replace("{channel: voice}", "{chanel: voice}")
    assert only(text).startswith(
        "s.yaml:16:12: routing[0].when.chanel: unknown key 'chanel' (did you mean 'channel'?)"
    )


def test_default_routing_needs_a_group_with_the_channel_skill():
    text = ONE_CHANNEL.replace("voice: {count: 5}", "team: {count: 5}")
    assert only(text) == (
        "s.yaml:1:1: routing: no routing: block, so channel 'voice' goes to skill 'voice', but no "
        "agent group has that skill (add a routing: block, or give a group skills: [voice] "
        "(known skills: team))"
    )


def test_overflow_on_a_bot_rule():
    text = replaced("    to: web_assistant\n", "    to: web_assistant\n    overflow: {after: 1m}\n")
    assert only(text) == (
        f"{at(text, '{after: 1m}')}: routing[0].overflow: overflow applies only to rules that send "
        "contacts to a skill queue; this rule sends contacts to bot 'web_assistant' (put overflow "
        "on the queue the bot escalates to, or remove it)"
    )


def test_callback_on_a_redirect_rule():
    text = replaced("    redirect: voice\n", "    redirect: voice\n    callback: {threshold: 1m}\n")
    assert only(text) == (
        f"{at(text, '{threshold: 1m}')}: routing[4].callback: callback applies only to rules that "
        "send contacts to a skill queue; this rule redirects customers to another channel "
        "(remove callback, or route these contacts to a skill queue)"
    )


def test_callback_on_an_asynchronous_channel():
    text = replaced("    to: email\n", "    to: email\n    callback: {threshold: 1h}\n")
    assert only(text) == (
        f"{at(text, '{threshold: 1h}')}: routing[5].callback: callback applies only to synchronous "
        "channels; this rule is for email (asynchronous: contacts wait in a backlog anyway) "
        "(remove callback, or set the channel's kind: synchronous)"
    )


def test_overflow_to_unknown_skill():
    text = replaced("to: voice_general}\n    callback", "to: voice_genral}\n    callback")
    assert only(text) == (
        f"{at(text, 'voice_genral')}: routing[1].overflow.to: no agent group has skill "
        "'voice_genral' (did you mean 'voice_general'?)"
    )


def test_rule_with_both_to_and_redirect():
    text = replaced("    redirect: voice\n", "    redirect: voice\n    to: voice_general\n")
    assert only(text).startswith(
        f"{at(text, 'redirect: voice', 'voice')}: routing[4].redirect: give either to or "
        "redirect, not both (to sends the contact to a skill queue or bot"
    )


def test_redirect_to_unknown_channel_and_follow_out_of_range():
    text = replaced("    redirect: voice\n", "    redirect: fax\n").replace("0.6}", "1.5}")
    assert [str(p) for p in problems(text)] == [
        f"{at(text, '1.5}')}: routing[3].redirect.follow: expected a value >= 0 and <= 1, "
        "found 1.5",
        f"{at(text, 'fax')}: routing[4].redirect: unknown channel 'fax' (allowed channels: chat, "
        "email, letter, social, voice)",
    ]
