"""The journey part of the scenario language: bots, redirects, overflow, callbacks, resolution and
transfers, context, retrial and frustration; their defaults, round trip, schema and problems."""

from __future__ import annotations

import dataclasses
import json

import pytest
import yaml

from simulator.distributions import Constant, Exponential, Lognormal
from simulator.model.frustration import FrustrationParams
from simulator.scenario import (
    Problem,
    ScenarioError,
    effective_dict,
    json_schema,
    load_scenario_text,
)
from simulator.scenario.schema import (
    Bot,
    Callback,
    Context,
    Escalation,
    Overflow,
    Redirect,
    Retrial,
    RoutingRule,
    Segment,
    Transfer,
)

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


def replaced(old: str, new: str, text: str = JOURNEYS) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def at(text: str, needle: str, part: str | None = None) -> str:
    """``s.yaml:line:col`` of ``part`` (default: all) of the first ``needle`` in ``text``."""
    i = text.index(needle) + (needle.index(part) if part is not None else 0)
    line = text.count("\n", 0, i) + 1
    col = i - (text.rfind("\n", 0, i) + 1) + 1
    return f"s.yaml:{line}:{col}"


def problems(text: str) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, "s.yaml")
    return info.value.problems


def only(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, [str(p) for p in found]
    return str(found[0])


# --- Loading --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scenario():
    return load_scenario_text(JOURNEYS, "journeys.yaml")


def test_segments_with_sensitivity_and_churn(scenario):
    assert scenario.segments == (
        Segment("digital", 0.45, reach=825.0, sensitivity=1.3, churn_base=0.02, churn_max=0.35),
        Segment("traditional", 0.55),
    )
    assert scenario.segments[1].churn_base == 0.01 and scenario.segments[1].churn_max == 0.30


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


def test_agent_resolution_and_transfers(scenario):
    billing = scenario.agents["billing"]
    assert billing.resolves == {"billing_dispute": 0.7} and billing.resolves_default == 0.85
    assert billing.transfers == {"billing_dispute": Transfer("voice_general", 0.2)}
    assert billing.resolution_probability("general") == 0.85
    general = scenario.agents["voice_general"]
    assert general.transfer_for("card_lost") == Transfer("billing", 0.05)
    assert general.resolves_default == 1.0 and not general.resolves


def test_context_retrial_and_frustration(scenario):
    assert scenario.context == Context(
        shared_record=False,
        bot_to_agent=True,
        transfer=False,
        channel_switch=None,
        carried_switches=frozenset({("chat", "voice")}),
        re_explain=Lognormal(90.0, 60.0),
    )
    assert scenario.context.keeps("channel_switch", "chat", "voice")
    assert not scenario.context.keeps("channel_switch", "voice", "chat")
    retrial = scenario.retrial
    assert (retrial.enabled, retrial.max_contacts, retrial.probability) == (True, 3, 0.7)
    assert retrial.contact_decay == 0.9 and retrial.delay == Exponential(1200.0)
    assert retrial.switch_row("digital", "voice") == {"chat": 0.7, "voice": 0.3}
    assert retrial.switch_row("digital", "social") == {"voice": 0.5, "social": 0.5}
    assert retrial.switch_row("traditional", "chat") is None
    assert scenario.frustration == dataclasses.replace(
        FrustrationParams(), repeat=15.0, wait_fast=8.0
    )


def test_without_journey_blocks_everything_has_its_default():
    plain = JOURNEYS[: JOURNEYS.index("bots:")] + (
        "routing:\n  - to: voice_general\nagents: {voice_general: {count: 3}}\n"
        "handle_time: {default: 4m}\n"
    )
    s = load_scenario_text(plain)
    assert not s.bots and s.context == Context() and s.retrial == Retrial()
    assert s.frustration == FrustrationParams() and not s.has_journeys


def test_empty_blocks_mean_defaults_and_an_empty_retrial_block_enables_retrial():
    text = JOURNEYS[: JOURNEYS.index("\ncontext:") + 1] + "context:\nretrial:\nfrustration: {}\n"
    s = load_scenario_text(text)
    assert s.context == Context() and s.frustration == FrustrationParams()
    assert s.retrial == Retrial(enabled=True)


# --- Round trip and schema ----------------------------------------------------------------------


@pytest.mark.parametrize("sort_keys", [True, False])
def test_round_trip(scenario, sort_keys):
    effective = effective_dict(scenario)
    again = load_scenario_text(yaml.safe_dump(effective, sort_keys=sort_keys), "effective.yaml")
    assert again == dataclasses.replace(scenario, source="effective.yaml")
    assert effective_dict(again) == effective


def test_effective_dict_of_journey_blocks(scenario):
    d = effective_dict(scenario)
    assert d["routing"][4] == {
        "when": {"channel": ["social"]},
        "redirect": {"to": "voice", "follow": 1.0},
        "priority": 0,
    }
    assert d["bots"]["ivr"]["on_failure"] == {"redirect": "chat", "passes_context": True}
    assert d["context"]["carried_switches"] == [["chat", "voice"]]
    assert d["frustration"]["repeat"] == 15.0 and d["frustration"]["transfer"] == 10.0


jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def validator():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_accepts_the_journey_scenario_and_its_effective_form(validator, scenario):
    data = json.loads(json.dumps(yaml.safe_load(JOURNEYS), default=str))
    assert [e.message for e in validator.iter_errors(data)] == []
    assert [e.message for e in validator.iter_errors(effective_dict(scenario))] == []


def test_schema_frustration_properties_follow_the_dataclass():
    props = json_schema()["properties"]["frustration"]["properties"]
    names = [f.name for f in dataclasses.fields(FrustrationParams)]
    assert list(props) == names
    repeat = props["repeat"]
    assert (repeat["type"], repeat["minimum"], repeat["default"]) == ("number", 0, 20.0)
    assert repeat["description"]  # the field's documentation if it has some, else its name
    journey = json_schema()["properties"]
    assert journey["retrial"]["properties"]["enabled"]["default"] is True
    assert journey["bots"]["additionalProperties"]["properties"]["max_turns"]["default"] == 1
    assert all("description" in journey[k] for k in ("bots", "context", "retrial", "frustration"))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    redirect: voice\n", "    redirect: voice\n    to: voice_general\n"),
        ("    redirect: voice\n", "    redirect: voice\n    callback: {threshold: 1m}\n"),
        ("  repeat: 15\n", "  repaet: 15\n"),
        ("  wait_fast: 8\n", "  wait_fast: -8\n"),
        ("    max_turns: 2\n", "    max_turns: 0\n"),
        ("on_failure: {redirect: chat,", "on_failure: {redirect: chat, to: billing,"),
        ("  transfer: false\n", "  transfer: no way\n"),
        ("  max_contacts: 3\n", "  max_contacts: 3\n  retries: 2\n"),
    ],
)
def test_schema_rejects_bad_journey_blocks(validator, old, new):
    data = json.loads(json.dumps(yaml.safe_load(replaced(old, new)), default=str))
    assert list(validator.iter_errors(data))


# --- Problems -------------------------------------------------------------------------------


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


def test_redirect_target_must_be_routed():
    text = replaced("    redirect: voice\n", "    redirect: letter\n")
    assert only(text) == (
        f"{at(text, '  - when: {channel: chat}', '-')}: routing: no rule matches channel 'letter', "
        "intent 'billing_dispute', segment 'digital' (and 5 more combinations); 'letter' is not a "
        "first channel, but routing[4] redirects customers there (such contacts would have "
        "nowhere to go; add a catch-all rule at the end, e.g. - {to: billing})"
    )


def test_bot_redirect_target_must_be_routed():
    text = replaced("{redirect: chat, passes_context: true}", "{redirect: letter}")
    message = only(text)
    assert message.startswith(
        f"{at(text, '  - when: {channel: chat}', '-')}: routing: no rule matches"
    )
    assert (
        "'letter' is not a first channel, but bot 'ivr' sends the customers it cannot help there "
        "(bots.ivr.on_failure.redirect)" in message
    )


def test_retrial_switch_target_must_be_routed_when_retrial_is_enabled():
    text = replaced("{voice: 0.6, chat: 0.4}", "{voice: 0.6, letter: 0.4}")
    assert "but customers retrying switch to it (retrial.switch.default.voice.letter)" in only(text)
    load_scenario_text(replaced("  max_contacts: 3\n", "  enabled: false\n", text))


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


def test_redirect_loop():
    text = replaced(
        "    to: voice_general\n    callback: {threshold: 2m}\n", "    redirect: social\n"
    )
    assert only(text) == (
        f"{at(text, 'redirect: social', 'social')}: routing[2].redirect: redirect loop social -> "
        "voice -> social for intent 'card_lost', segment 'digital' (customers would be sent "
        "round in circles; route 'social' to a skill queue or bot for these contacts before the "
        "rule that redirects them)"
    )


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


def test_agent_resolution_and_transfer_problems():
    text = replaced("billing_dispute: 0.7}", "billing_dispute: -0.1}")
    assert only(text) == (
        f"{at(text, '-0.1')}: agents.billing.resolves.billing_dispute: expected a value >= 0 and "
        "<= 1, found -0.1"
    )
    text = replaced("{to: voice_general, probability: 0.2}", "{to: voice_generl, probability: 2}")
    assert [str(p) for p in problems(text)] == [
        f"{at(text, '2}')}: agents.billing.transfers.billing_dispute.probability: expected a "
        "value >= 0 and <= 1, found 2",
    ]
    text = replaced("{to: voice_general, probability: 0.2}", "{to: voice_generl, probability: 1}")
    assert only(text) == (
        f"{at(text, 'voice_generl')}: agents.billing.transfers.billing_dispute.to: no agent group "
        "has skill 'voice_generl' (did you mean 'voice_general'?)"
    )


def test_segment_churn_and_sensitivity():
    text = replaced("churn_base: 0.02", "churn_base: 0.5")
    assert only(text) == (
        f"{at(text, '0.35}')}: customers.segments.digital.churn_max: churn_max (0.35) is below "
        "churn_base (0.5) (churn_base is the churn of a calm customer and churn_max of a furious "
        "one, so churn_base <= churn_max)"
    )
    text = replaced("sensitivity: 1.3", "sensitivity: 0")
    assert only(text) == (
        f"{at(text, '0, churn')}: customers.segments.digital.sensitivity: expected a value > 0, "
        "found 0"
    )


def test_context_problems():
    text = replaced("[[chat, voice]]", "[[chat, fax], [voice, voice]]")
    assert [str(p) for p in problems(text)] == [
        f"{at(text, 'fax')}: context.carried_switches[0][1]: unknown channel 'fax' (allowed "
        "channels: chat, email, letter, social, voice)",
        f"{at(text, '[voice, voice]')}: context.carried_switches[1]: a channel switch goes from "
        "one channel to another, found [voice, voice] (e.g. [chat, voice])",
    ]
    text = replaced("  transfer: false\n", "  transfer: maybe\n")
    assert only(text) == (
        f"{at(text, 'maybe')}: context.transfer: expected true or false (or nothing), found 'maybe'"
    )


def test_retrial_problems():
    text = replaced("  max_contacts: 3\n", "  max_contacts: 0\n")
    assert (
        only(text)
        == f"{at(text, 'contacts: 0', '0')}: retrial.max_contacts: expected a value >= 1, found 0"
    )
    text = replaced("  probability: 0.7\n", "  probability: 1.2\n")
    assert only(text) == (
        f"{at(text, '1.2')}: retrial.probability: expected a value >= 0 and <= 1, found 1.2"
    )
    text = replaced("{chat: 0.7, voice: 0.3}", "{chat: 0.7, voice: 0.2}")
    assert only(text) == (
        f"{at(text, '{chat: 0.7, voice: 0.2}')}: retrial.switch.digital.voice: shares sum to 0.9, "
        "expected 1 (they are fractions of the whole (chat 0.7, voice 0.2); make them add up to 1)"
    )
    text = replaced("    digital: {voice:", "    digitl: {voice:")
    assert only(text) == (
        f"{at(text, 'digitl')}: retrial.switch.digitl: unknown segment 'digitl' (neither a "
        "segment nor default) (did you mean 'digital'?)"
    )


def test_frustration_problems():
    text = replaced("  repeat: 15\n", "  repaet: 15\n")
    assert only(text) == (
        f"{at(text, 'repaet')}: frustration.repaet: unknown key 'repaet' (did you mean 'repeat'?)"
    )
    text = replaced("  wait_fast: 8\n", "  wait_fast: -8\n")
    assert only(text) == f"{at(text, '-8')}: frustration.wait_fast: expected a value >= 0, found -8"
    text = replaced("  wait_fast: 8\n", "  resolution_relief: 2\n")
    assert only(text) == (
        f"{at(text, 'relief: 2', '2')}: frustration.resolution_relief: "
        "frustration.resolution_relief is a share and must be <= 1 (the defaults and their "
        "meaning are in simulator/scenario/frustration.py and docs/model.md)"
    )
    text = replaced("  wait_fast: 8\n", "  angry: 90\n")
    assert only(text).startswith(
        f"{at(text, 'repeat')}: frustration: frustration thresholds must satisfy"
    )
