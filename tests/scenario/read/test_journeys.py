"""The context and retrial blocks: which hand-offs keep context, how customers try again."""

from __future__ import annotations

import dataclasses

import pytest

from simulator.distributions import Exponential, Lognormal
from simulator.scenario import load_scenario_text
from simulator.scenario.frustration import FrustrationParams
from simulator.scenario.schema import Context
from tests.scenario_texts import JOURNEYS, at, only, problems, replaced


@pytest.fixture(scope="module")
def scenario():
    """The JOURNEYS text, loaded."""
    return load_scenario_text(JOURNEYS, "journeys.yaml")


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
