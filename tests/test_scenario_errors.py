"""Every kind of scenario problem is reported with file:line:col, the key path and a useful hint."""

from __future__ import annotations

import sys

import pytest

from simulator.scenario import Problem, ScenarioError, load_scenario, load_scenario_text
from simulator.scenario.yamlsrc import MAX_BYTES

# Line numbers below refer to this layout.
BASE = """\
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


def problems(text: str, source: str = "s.yaml") -> list[Problem]:
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


def test_base_scenarios_are_valid():
    load_scenario_text(BASE)
    load_scenario_text(TWO_CHANNELS)


# --- Problem and ScenarioError formatting -----------------------------------------------------


def test_problem_str_formats():
    assert str(Problem("f.yaml", 3, 7, "a.b", "bad", "fix it")) == "f.yaml:3:7: a.b: bad (fix it)"
    assert str(Problem("f.yaml", 3, None, "a.b", "bad", None)) == "f.yaml:3: a.b: bad"
    assert str(Problem("f.yaml", None, None, "", "no such file", None)) == "f.yaml: no such file"
    error = ScenarioError([Problem("f", 1, 1, "a", "x", None), Problem("f", 2, 1, "b", "y", None)])
    assert str(error) == "f:1:1: a: x\nf:2:1: b: y"
    assert isinstance(error, Exception) and len(error.problems) == 2


# --- File-level problems ------------------------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.col, problem.key_path) == (
        str(path),
        None,
        None,
        "",
    )
    assert str(problem).startswith(f"{path}: no such file (")
    assert problem.hint


def test_missing_file_suggests_a_close_name(tmp_path):
    (tmp_path / "retail.yaml").write_text(BASE)
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "retial.yaml")
    assert info.value.problems[0].hint == "did you mean 'retail.yaml'?"


def test_yaml_syntax_error_has_position_and_no_traceback():
    message = only("scenario: t\nhorizon: [1, 2\narrivals: 3\n")
    assert message.startswith("s.yaml:3:9: ")
    assert "expected ','" in message and "flow sequence" in message
    assert "Traceback" not in message


def test_bad_indentation_is_a_syntax_error():
    message = only("scenario: t\n  horizon: 3\n")
    assert message.startswith("s.yaml:2:10: mapping values are not allowed here")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n# and another\n"])
def test_empty_file(text):
    message = only(text)
    assert message.startswith("s.yaml: the file is empty (a scenario needs at least `scenario:`")


def test_top_level_not_a_mapping():
    assert only("- scenario: t\n").startswith(
        "s.yaml:1:1: expected a mapping of blocks (scenario:, horizon:, arrivals:, ...)"
    )
    assert "found 'hello'" in only("hello\n")


def billion_laughs(levels: int = 9) -> str:
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*lol{i - 1}"] * 9)
        lines.append(f"lol{i}: &lol{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_explosion_is_refused_fast():
    """Expanded, this document holds 9**9 (387 million) values: loading it would take minutes
    and gigabytes. The loader counts values as it expands aliases and stops at its limit, which
    the message shows; no clock is needed to see that it never expanded the whole document."""
    message = only(billion_laughs())
    assert message.startswith("s.yaml:6:7: lol6[1]: the document expands")
    assert "more than 200,000 values" in message and "billion laughs" in message


def test_recursive_alias_is_refused():
    # the alias is the anchored node itself, so the position is the anchor's
    assert only("a: &x [1, *x]\n") == "s.yaml:1:4: a[1]: recursive alias: a value contains itself"


def test_deep_nesting_is_refused():
    depth = sys.getrecursionlimit() // 2 + 100  # PyYAML's composer recurses twice per level
    message = only("a: " + "[" * depth + "]" * depth + "\n")
    assert "nested too deeply" in message


def test_oversized_text():
    text = BASE + "#" * (MAX_BYTES + 1) + "\n"
    assert only(text).startswith("s.yaml: file too large (2.0 MB; the limit is 2 MB)")


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (3 * 1024 * 1024))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value).startswith(f"{path}: file too large (3.0 MB; the limit is 2 MB)")


def test_duplicate_key_reports_the_second_one():
    text = BASE.replace("  voice: {count: 5}", "  voice: {count: 5}\n  voice: {count: 6}")
    assert only(text) == (
        "s.yaml:8:3: agents.voice: duplicate key 'voice' (first given on line 7) "
        "(give each key once; YAML would otherwise silently keep the last one)"
    )


def test_duplicate_top_level_block():
    assert only(BASE + "scenario: again\n").startswith(
        "s.yaml:10:1: scenario: duplicate key 'scenario' (first given on line 1)"
    )


def test_python_tags_are_refused():
    message = only(BASE + "seed: !!python/name:os.system\n")
    assert message.startswith("s.yaml:10:7: could not determine a constructor for the tag")
    message = only(BASE + "seed: !!python/object/apply:os.system ['true']\n")
    assert message.startswith(
        "s.yaml:10:7: seed: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    )


# --- Unknown keys -------------------------------------------------------------------------


def test_unknown_key_with_suggestion():
    text = BASE.replace("voice: {}", "voice: {paitence: {exponential: {mean: 6m}}}")
    assert only(text) == (
        "s.yaml:5:11: channels.voice.paitence: unknown key 'paitence' (did you mean 'patience'?)"
    )


def test_several_unknown_keys_are_all_reported():
    text = BASE.replace("voice: {}", "voice: {paitence: 3m, linez: 3}").replace(
        "scenario: t", "scenario: t\nsede: 3"
    )
    assert [str(p) for p in problems(text)] == [
        "s.yaml:2:1: sede: unknown block 'sede' (did you mean 'seed'?)",
        "s.yaml:6:11: channels.voice.paitence: unknown key 'paitence' (did you mean 'patience'?)",
        "s.yaml:6:25: channels.voice.linez: unknown key 'linez' (did you mean 'lines'?)",
    ]


def test_unknown_key_without_close_match_lists_allowed_keys():
    text = BASE.replace("{count: 5}", "{count: 5, xyzzy: 1}")
    assert only(text) == (
        "s.yaml:7:21: agents.voice.xyzzy: unknown key 'xyzzy' (allowed keys: skills, count, "
        "concurrency, shrinkage, wrap_up, empathy, resolves, transfers)"
    )


def test_unknown_distribution_kind():
    text = BASE.replace("default: 4m", "default: {lognormale: {mean: 4m, sd: 1m}}")
    assert only(text) == (
        "s.yaml:9:13: handle_time.default.lognormale: unknown distribution 'lognormale' "
        "(did you mean 'lognormal'?)"
    )


def test_unknown_handle_time_key_suggests_intents():
    text = TWO_CHANNELS.replace("default: 4m", "default: 4m\n  sevrice: 5m")
    assert only(text).startswith(
        "s.yaml:15:3: handle_time.sevrice: unknown key 'sevrice' (neither default, by_channel nor "
        "an intent) (did you mean 'service'?)"
    )


# --- Wrong types and values ---------------------------------------------------------------


def test_wrong_type():
    text = BASE.replace("count: 5", "count: ten")
    assert only(text) == "s.yaml:7:18: agents.voice.count: expected a whole number, found 'ten'"


def test_wrong_type_for_a_number():
    text = BASE.replace("{count: 5}", "{count: 5, shrinkage: lots}")
    assert only(text) == "s.yaml:7:32: agents.voice.shrinkage: expected a number, found 'lots'"


def test_value_out_of_range():
    text = BASE.replace("{count: 5}", "{count: 5, shrinkage: 1}")
    assert (
        only(text) == "s.yaml:7:32: agents.voice.shrinkage: expected a value >= 0 and < 1, found 1"
    )
    assert "found -2" in only(BASE.replace("scenario: t", "scenario: t\nseed: -2"))


def test_block_of_the_wrong_shape():
    assert only(BASE.replace("  voice: {}", "  voice: [1, 2]")) == (
        "s.yaml:5:10: channels.voice: expected a mapping with keys kind, expected_response, "
        "patience, lines, service_level, found a list"
    )


def test_negative_rate():
    text = BASE.replace("rate: 600/h", "rate: -600/h")
    assert only(text).startswith(
        "s.yaml:3:18: arrivals.rate: a rate cannot be negative, found '-600/h' ("
    )


def test_negative_duration():
    text = BASE.replace("default: 4m", "default: -4m")
    assert only(text).startswith(
        "s.yaml:9:12: handle_time.default: a duration cannot be negative, found '-4m' ("
    )
    text = BASE.replace("voice: {}", "voice: {service_level: -20}")
    assert only(text).startswith(
        "s.yaml:5:26: channels.voice.service_level: a duration cannot be negative, found -20"
    )


def test_bad_duration_text():
    text = BASE.replace("default: 4m", "default: 4 minutes")
    message = only(text)
    assert message.startswith("s.yaml:9:12: handle_time.default: expected a duration such as 45s")
    assert "units are ms, s, m, h, d" in message


def test_distribution_mean_must_be_positive():
    text = BASE.replace("default: 4m", "default: {exponential: {mean: 0s}}")
    assert only(text) == (
        "s.yaml:9:33: handle_time.default.exponential.mean: expected a duration greater than 0, "
        "found '0s'"
    )


def test_uniform_low_above_high():
    text = BASE.replace("default: 4m", "default: {uniform: {low: 5m, high: 1m}}")
    assert (
        only(text) == "s.yaml:9:38: handle_time.default.uniform.high: high (1m) is below low (5m)"
    )


def test_gamma_needs_one_parameterisation():
    text = BASE.replace("default: 4m", "default: {gamma: {mean: 5m, shape: 2}}")
    assert only(text).startswith(
        "s.yaml:9:20: handle_time.default.gamma: a gamma takes either mean and sd, or shape and "
        "scale"
    )


def test_clock_time_must_look_like_one():
    text = BASE.replace('start: "08:00"', "start: 8")
    assert only(text) == (
        "s.yaml:2:18: horizon.start: expected a clock time such as 08:00, found 8 "
        "(write clock times as HH:MM, e.g. '08:00')"
    )


# --- Shares -------------------------------------------------------------------------------


def test_segment_shares_must_sum_to_one():
    text = TWO_CHANNELS.replace("branch: 0.6", "branch: 0.5")
    assert only(text) == (
        "s.yaml:4:13: customers.segments: shares sum to 0.9, expected 1 "
        "(they are fractions of the whole (digital 0.4, branch 0.5); make them add up to 1)"
    )


def test_intent_shares_must_sum_to_one():
    text = TWO_CHANNELS.replace("service: 0.7", "service: 0.75")
    assert only(text).startswith("s.yaml:5:12: customers.intents: shares sum to 1.05, expected 1")


def test_first_channel_shares_must_sum_to_one():
    text = TWO_CHANNELS.replace("chat: 0.5}}", "chat: 0.25}}")
    assert only(text).startswith(
        "s.yaml:6:40: arrivals.first_channel: shares sum to 0.75, expected 1"
    )


def test_shares_within_tolerance_are_fine():
    load_scenario_text(TWO_CHANNELS.replace("branch: 0.6", "branch: 0.6000000001"))


def test_several_segments_need_explicit_shares():
    text = TWO_CHANNELS.replace("digital: 0.4", "digital: {patience_scale: 2}")
    assert only(text).startswith(
        "s.yaml:4:23: customers.segments.digital.share: missing required key 'share'"
    )


# --- Names that must exist ----------------------------------------------------------------


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


def test_first_channel_naming_unknown_channel():
    text = TWO_CHANNELS.replace("chat: 0.5}}", "chta: 0.5}}")
    assert only(text) == (
        "s.yaml:6:53: arrivals.first_channel.chta: unknown channel 'chta' (did you mean 'chat'?)"
    )


def test_first_channel_required_with_several_channels():
    text = TWO_CHANNELS.replace(", first_channel: {voice: 0.5, chat: 0.5}", "")
    message = only(text)
    assert message.startswith(
        "s.yaml:6:11: arrivals.first_channel: first_channel is required when there are several "
        "channels"
    )
    assert "first_channel: {chat: 0.5, voice: 0.5}" in message


def test_handle_time_naming_unknown_channel():
    text = BASE.replace("default: 4m", "default: 4m\n  by_channel: {vioce: 3m}")
    assert only(text) == (
        "s.yaml:10:16: handle_time.by_channel.vioce: unknown channel 'vioce' "
        "(did you mean 'voice'?)"
    )


def test_handle_time_needs_a_default_unless_every_intent_has_one():
    text = TWO_CHANNELS.replace("default: 4m", "sales: 4m\n  service: {voice: 5m}")
    assert only(text) == (
        "s.yaml:14:3: handle_time.default: no handle time for intent 'service' on channel 'chat' "
        "(add default: {lognormal: {mean: 4m, sd: 3m}}, used when nothing more specific is given)"
    )


# --- Horizon, schedules and per-interval lists -----------------------------------------------


def test_schedule_time_outside_the_horizon():
    text = BASE.replace("count: 5", "count: {'07:00': 3, '09:00': 4, '12:00': 1}")
    assert [str(p) for p in problems(text)] == [
        "s.yaml:7:19: agents.voice.count.07:00: time 07:00 is outside the horizon "
        "(the horizon runs from 08:00 to 12:00; schedule times must be in [start, end))",
        "s.yaml:7:43: agents.voice.count.12:00: time 12:00 is outside the horizon "
        "(the horizon runs from 08:00 to 12:00; schedule times must be in [start, end))",
    ]


def test_schedule_time_outside_a_duration_horizon():
    text = BASE.replace('{start: "08:00", end: "12:00"}', "{duration: 4h}").replace(
        "count: 5", "count: {0h: 3, 5h: 2}"
    )
    assert only(text) == (
        "s.yaml:7:26: agents.voice.count.5h: time 5h is outside the horizon "
        "(the horizon runs from 0s to 4h; schedule times must be in [start, end))"
    )


def test_clock_schedule_in_a_duration_horizon():
    text = BASE.replace('{start: "08:00", end: "12:00"}', "{duration: 4h}").replace(
        "count: 5", "count: {'02:00': 3}"
    )
    assert only(text).startswith(
        "s.yaml:7:19: agents.voice.count.02:00: clock time '02:00' in a horizon without a clock"
    )


def test_per_interval_length_must_match_the_horizon():
    text = BASE.replace("rate: 600/h", "per_interval: [100, 120, 130]")
    assert only(text) == (
        "s.yaml:3:26: arrivals.per_interval: expected 8 values, one per interval, found 3 "
        "(the horizon runs from 08:00 to 12:00 in intervals of 30m, which makes 8 intervals)"
    )


def test_profile_length_must_match_the_horizon():
    text = BASE.replace("rate: 600/h", "daily_total: 1000, profile: [1, 2, 3]")
    assert only(text).startswith(
        "s.yaml:3:40: arrivals.profile: expected 8 values, one per interval, found 3 ("
    )


def test_arrivals_need_exactly_one_form():
    assert only(BASE.replace("rate: 600/h", "rate: 600/h, daily_total: 100")) == (
        "s.yaml:3:38: arrivals.daily_total: give only one of rate, per_interval or daily_total "
        "(found rate and daily_total)"
    )
    assert only(BASE.replace("{rate: 600/h}", "{}")).startswith(
        "s.yaml:3:11: arrivals: give one of rate, per_interval or daily_total ("
    )


def test_horizon_forms_are_exclusive():
    text = BASE.replace('end: "12:00"', 'end: "12:00", duration: 4h')
    assert only(text).startswith(
        "s.yaml:2:51: horizon.duration: give either start + end (a clock horizon) or duration, "
        "not both ("
    )


def test_horizon_end_must_be_after_start():
    text = BASE.replace('end: "12:00"', 'end: "07:00"')
    assert only(text).startswith(
        "s.yaml:2:32: horizon.end: end 07:00 must be after start 08:00 (for a horizon past "
        "midnight write the end as e.g. 30:00"
    )


def test_clock_horizon_needs_both_ends():
    assert only(BASE.replace(', end: "12:00"', "")).startswith(
        "s.yaml:2:10: horizon.end: missing required key 'end' (a clock horizon needs start and end"
    )


def test_warmup_must_be_shorter_than_the_horizon():
    text = BASE.replace('end: "12:00"', 'end: "12:00", warmup: 4h')
    assert only(text) == (
        "s.yaml:2:49: horizon.warmup: warmup (4h) must be shorter than the horizon (4h)"
    )


# --- Required blocks, channels, routing coverage ------------------------------------------------


def test_missing_required_block():
    text = BASE.replace("arrivals: {rate: 600/h}\n", "")
    assert only(text) == (
        "s.yaml:1:1: arrivals: missing required block 'arrivals' (e.g. `arrivals: {rate: 600/h}`)"
    )


def test_several_missing_blocks():
    messages = [str(p) for p in problems("scenario: t\n")]
    assert [m.split(": ")[1] for m in messages] == [
        "horizon",
        "arrivals",
        "channels",
        "agents",
        "handle_time",
    ]


def test_at_least_one_channel():
    text = BASE.replace("channels:\n  voice: {}", "channels: {}")
    assert only(text).startswith("s.yaml:4:11: channels: expected at least one of the channels")


def test_asynchronous_channel_with_patience():
    text = BASE.replace("voice: {}", "voice: {kind: asynchronous, patience: 3m}")
    assert only(text) == (
        "s.yaml:5:41: channels.voice.patience: patience applies only to synchronous channels; "
        "'voice' is asynchronous (its contacts wait in a backlog and never abandon) "
        "(remove it, or set kind: synchronous)"
    )


def test_asynchronous_by_name_with_patience():
    text = BASE.replace("voice: {}", "email: {patience: {exponential: {mean: 1h}}}").replace(
        "voice: {count: 5}", "email: {count: 5}"
    )
    assert only(text).startswith("s.yaml:5:21: channels.email.patience: patience applies only")
    assert load_scenario_text(text.replace("{exponential: {mean: 1h}}", "none"))


def test_lines_on_an_asynchronous_channel():
    text = BASE.replace("voice: {}", "voice: {kind: asynchronous, lines: 3}")
    assert only(text).startswith(
        "s.yaml:5:38: channels.voice.lines: lines (trunk capacity) applies only to synchronous"
    )


def test_unknown_channel_kind():
    text = BASE.replace("voice: {}", "voice: {kind: sync}")
    assert only(text) == (
        "s.yaml:5:17: channels.voice.kind: expected one of synchronous, asynchronous, found 'sync' "
        "(allowed values: synchronous, asynchronous)"
    )


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


def test_default_routing_needs_a_group_with_the_channel_skill():
    text = BASE.replace("voice: {count: 5}", "team: {count: 5}")
    assert only(text) == (
        "s.yaml:1:1: routing: no routing: block, so channel 'voice' goes to skill 'voice', but no "
        "agent group has that skill (add a routing: block, or give a group skills: [voice] "
        "(known skills: team))"
    )


def test_all_agent_counts_zero_is_valid():
    text = TWO_CHANNELS.replace("{count: 5}", "{count: 0}")
    s = load_scenario_text(text)
    assert all(g.heads_at(0) == 0 for g in s.agents.values())


def test_reserved_names():
    text = TWO_CHANNELS.replace("sales: 0.3", "default: 0.3")
    assert only(text).startswith(
        "s.yaml:5:13: customers.intents.default: 'default' cannot be the name of an intent"
    )


def test_problems_in_different_blocks_are_all_reported_in_file_order():
    text = BASE.replace("count: 5", "count: -1").replace("rate: 600/h", "rate: fast")
    assert [p.key_path for p in problems(text)] == ["arrivals.rate", "agents.voice.count"]
