"""Routing as a whole: every channel customers can reach is routed for every intent and segment,
and no redirect sends them round in circles."""

from __future__ import annotations

from simulator.scenario import load_scenario_text
from tests.scenario_texts import TWO_CHANNELS, at, only, replaced


def test_unrouted_combination():
    message = only(TWO_CHANNELS.replace("segment: [digital, branch]", "segment: digital"))
    assert message == (
        "s.yaml:16:3: routing: no rule matches channel 'chat', intent 'sales', segment 'branch' "
        "(and 1 more combinations) (such contacts would have nowhere to go; add a catch-all rule "
        "at the end, e.g. - {to: chat})"
    )


def test_unrouted_channel_without_first_contacts_is_fine():
    text = TWO_CHANNELS.replace("{voice: 0.5, chat: 0.5}", "{voice: 1, chat: 0}").replace(
        "segment: [digital, branch]", "segment: digital"
    )
    assert load_scenario_text(text).route("chat", "sales", "branch") is None


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
