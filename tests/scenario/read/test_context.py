"""Reading mappings: unknown keys with did-you-mean (all of them at once), mappings of the wrong
shape, and names reserved for keywords."""

from __future__ import annotations

from tests.scenario_texts import ONE_CHANNEL, TWO_CHANNELS, only, problems


def test_unknown_key_with_suggestion():
    text = ONE_CHANNEL.replace("voice: {}", "voice: {paitence: {exponential: {mean: 6m}}}")
    assert only(text) == (
        "s.yaml:5:11: channels.voice.paitence: unknown key 'paitence' (did you mean 'patience'?)"
    )


def test_several_unknown_keys_are_all_reported():
    text = ONE_CHANNEL.replace("voice: {}", "voice: {paitence: 3m, linez: 3}").replace(
        "scenario: t", "scenario: t\nsede: 3"
    )
    assert [str(p) for p in problems(text)] == [
        "s.yaml:2:1: sede: unknown block 'sede' (did you mean 'seed'?)",
        "s.yaml:6:11: channels.voice.paitence: unknown key 'paitence' (did you mean 'patience'?)",
        "s.yaml:6:25: channels.voice.linez: unknown key 'linez' (did you mean 'lines'?)",
    ]


def test_unknown_key_without_close_match_lists_allowed_keys():
    text = ONE_CHANNEL.replace("{count: 5}", "{count: 5, xyzzy: 1}")
    assert only(text) == (
        "s.yaml:7:21: agents.voice.xyzzy: unknown key 'xyzzy' (allowed keys: skills, count, "
        "count_by_day, overtime, concurrency, shrinkage, wrap_up, empathy, resolves, transfers)"
    )


def test_block_of_the_wrong_shape():
    assert only(ONE_CHANNEL.replace("  voice: {}", "  voice: [1, 2]")) == (
        "s.yaml:5:10: channels.voice: expected a mapping with keys kind, expected_response, "
        "patience, lines, service_level, hours, found a list"
    )


def test_reserved_names():
    text = TWO_CHANNELS.replace("sales: 0.3", "default: 0.3")
    assert only(text).startswith(
        "s.yaml:5:13: customers.intents.default: 'default' cannot be the name of an intent"
    )
