"""The channels block: at least one channel, and what only synchronous channels may have."""

from __future__ import annotations

from simulator.scenario import load_scenario_text
from tests.scenario_texts import ONE_CHANNEL, only


def test_at_least_one_channel():
    text = ONE_CHANNEL.replace("channels:\n  voice: {}", "channels: {}")
    assert only(text).startswith("s.yaml:4:11: channels: expected at least one of the channels")


def test_asynchronous_channel_with_patience():
    text = ONE_CHANNEL.replace("voice: {}", "voice: {kind: asynchronous, patience: 3m}")
    assert only(text) == (
        "s.yaml:5:41: channels.voice.patience: patience applies only to synchronous channels; "
        "'voice' is asynchronous (its contacts wait in a backlog and never abandon) "
        "(remove it, or set kind: synchronous)"
    )


def test_asynchronous_by_name_with_patience():
    text = ONE_CHANNEL.replace("voice: {}", "email: {patience: {exponential: {mean: 1h}}}").replace(
        "voice: {count: 5}", "email: {count: 5}"
    )
    assert only(text).startswith("s.yaml:5:21: channels.email.patience: patience applies only")
    assert load_scenario_text(text.replace("{exponential: {mean: 1h}}", "none"))


def test_lines_on_an_asynchronous_channel():
    text = ONE_CHANNEL.replace("voice: {}", "voice: {kind: asynchronous, lines: 3}")
    assert only(text).startswith(
        "s.yaml:5:38: channels.voice.lines: lines (trunk capacity) applies only to synchronous"
    )


def test_unknown_channel_kind():
    text = ONE_CHANNEL.replace("voice: {}", "voice: {kind: sync}")
    assert only(text) == (
        "s.yaml:5:17: channels.voice.kind: expected one of synchronous, asynchronous, found 'sync' "
        "(allowed values: synchronous, asynchronous)"
    )
