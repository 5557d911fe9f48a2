"""Reading the YAML itself: missing and oversized files, syntax errors, duplicate keys, tags,
aliases and nesting are refused with a position and no traceback."""

from __future__ import annotations

import os
import threading

import pytest
import yaml

from simulator.limits import MAX_FILE
from simulator.scenario import ScenarioError, load_scenario, load_scenario_text, yamlsrc
from simulator.scenario.yamlsrc import parse
from tests.scenario_texts import ONE_CHANNEL, only


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
    (tmp_path / "retail.yaml").write_text(ONE_CHANNEL)
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
    assert message.startswith("s.yaml:2:10: mapping values are not allowed")


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n# and another\n"])
def test_empty_file(text):
    message = only(text)
    assert message.startswith("s.yaml: the file is empty (a scenario needs at least `scenario:`")


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
    # lol5 alone repeats 9**5 = 59,049 values: its sixth alias crosses the limit of 50,000
    assert message.startswith("s.yaml:6:49: lol5[5]: the document expands")
    assert "more than 50,000 values" in message and "billion laughs" in message
    assert "set CXSIM_MAX_NODES to a larger value" in message


def test_recursive_alias_is_refused():
    # the alias is the anchored node itself, so the position is the anchor's
    assert only("a: &x [1, *x]\n") == "s.yaml:1:4: a[1]: recursive alias: a value contains itself"


@pytest.mark.parametrize("depth", [65, 600])
def test_deep_nesting_is_refused_at_the_first_value_too_deep(depth):
    """The root mapping is level 1, so the 64th bracket is the deepest value allowed."""
    message = only("a: " + "[" * depth + "]" * depth + "\n")
    assert message == (
        "s.yaml:1:67: mappings and lists nested more than 64 deep "
        "(set CXSIM_MAX_DEPTH to a larger value to allow it)"
    )


def test_very_deep_nesting_is_refused_by_the_parser_itself():
    """libyaml stops at 1,000 levels of flow collections while it scans ahead."""
    message = only("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert message.startswith("s.yaml:1:") and "nesting" in message


def test_nesting_up_to_the_limit_is_read():
    located = parse("a: " + "[" * 63 + "1" + "]" * 63 + "\n", "s.yaml")
    inner = located.value["a"]
    for _ in range(62):
        inner = inner.value[0]
    assert inner.value[0].value == 1


def test_oversized_text():
    text = ONE_CHANNEL + "#" * (int(MAX_FILE.value) + 1) + "\n"
    assert only(text).startswith("s.yaml: file too large (2.0 MB; the limit is 2 MB)")


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (3 * 1024 * 1024))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value).startswith(f"{path}: file too large (3.0 MB; the limit is 2 MB)")


def test_duplicate_key_reports_the_second_one():
    text = ONE_CHANNEL.replace("  voice: {count: 5}", "  voice: {count: 5}\n  voice: {count: 6}")
    assert only(text) == (
        "s.yaml:8:3: agents.voice: duplicate key 'voice' (first given on line 7) "
        "(give each key once; YAML would otherwise silently keep the last one)"
    )


def test_duplicate_top_level_block():
    assert only(ONE_CHANNEL + "scenario: again\n").startswith(
        "s.yaml:10:1: scenario: duplicate key 'scenario' (first given on line 1)"
    )


def test_python_tags_are_refused():
    message = only(ONE_CHANNEL + "seed: !!python/name:os.system\n")
    assert message.startswith(
        "s.yaml:10:7: seed: unsupported YAML tag 'tag:yaml.org,2002:python/name:os.system'"
    )
    message = only(ONE_CHANNEL + "seed: !!python/object/apply:os.system ['true']\n")
    assert message.startswith(
        "s.yaml:10:7: seed: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    )


def test_yaml_anchors_and_merge_keys_work():
    text = """\
scenario: anchors
horizon: {duration: 8h}
arrivals: {rate: 60/h}
channels: {voice: {}}
agents:
  day: &base {skills: [voice], count: 4, shrinkage: 0.25}
  night: {<<: *base, count: 1}
handle_time: {default: 4m}
"""
    s = load_scenario_text(text)
    assert s.agents["night"].shrinkage == 0.25 and s.agents["night"].schedule == ((0.0, 1),)
    assert s.agents["day"].schedule == ((0.0, 4),)


def test_a_device_is_read_with_a_cap():
    """/dev/zero reports a size of 0 and never ends: the reader stops at the limit."""
    with pytest.raises(ScenarioError) as info:
        load_scenario("/dev/zero")
    assert str(info.value) == (
        "/dev/zero: file too large (more than 2 MB; the limit is 2 MB) (a scenario file is a "
        "few kilobytes; set CXSIM_MAX_FILE_MB to a larger value to allow it)"
    )


def test_a_pipe_is_read_with_a_cap(tmp_path):
    fifo = tmp_path / "scenario.fifo"
    os.mkfifo(fifo)
    stop = threading.Event()

    def write_forever() -> None:
        try:
            with open(fifo, "wb") as pipe:
                while not stop.is_set():
                    pipe.write(b"# " * 4096)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=write_forever, daemon=True)
    writer.start()
    try:
        with pytest.raises(ScenarioError) as info:
            load_scenario(fifo)
    finally:
        stop.set()
    assert "file too large (more than 2 MB" in str(info.value)


def test_a_pipe_with_a_scenario_is_read(tmp_path):
    fifo = tmp_path / "scenario.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(ONE_CHANNEL), daemon=True)
    writer.start()
    assert load_scenario(fifo).name == "t"


def test_the_file_size_limit_can_be_raised(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_text(ONE_CHANNEL + "#" * (3 * 1024 * 1024) + "\n")
    monkeypatch.setenv("CXSIM_MAX_FILE_MB", "4")
    assert load_scenario(path).name == "t"


def test_a_unicode_escape_beyond_the_last_code_point_is_a_syntax_error():
    message = only('scenario: "\\U00110000"\n')
    assert message.startswith("s.yaml:1:")
    assert "escape" in message


def test_control_characters_are_refused_with_their_position():
    assert only("scenario: t\x01\n") == "s.yaml:1:12: character #x0001 is not allowed in YAML"


def plain_routing_rules(rules: int) -> str:
    """A legal scenario with ``rules`` identical routing rules (5 values each)."""
    lines = ["  - when: {channel: voice}\n    to: voice\n"] * rules
    return ONE_CHANNEL + "routing:\n" + "".join(lines)


def test_a_large_file_of_plain_values_is_refused_at_the_value_limit():
    """2 MB of routing rules is legal YAML, but 350,000 values are far beyond a hand-written
    scenario: refused where the 50,000th value is, before the rest is even parsed (which took
    38 s and 600 MB when the whole file was composed first)."""
    text = plain_routing_rules(50_000)
    assert len(text) > 1.9 * 1024 * 1024
    message = only(text)
    assert message.startswith("s.yaml:")
    assert "the document holds more than 50,000 values (the limit for a scenario)" in message
    assert "set CXSIM_MAX_NODES to a larger value" in message
    line = int(message.split(":")[1])
    assert line < 50_000 * 2 // 5 + 20  # stopped at the limit, not at the end of the file


def test_the_value_limit_can_be_raised(monkeypatch):
    monkeypatch.setenv("CXSIM_MAX_NODES", "80000")
    assert len(load_scenario_text(plain_routing_rules(10_000)).routing) == 10_000


def test_a_bad_limit_setting_is_refused(monkeypatch):
    from simulator.limits import LimitSettingError

    monkeypatch.setenv("CXSIM_MAX_NODES", "lots")
    with pytest.raises(LimitSettingError, match="CXSIM_MAX_NODES='lots': expected a whole number"):
        load_scenario_text(ONE_CHANNEL)


def test_duplicate_anchors_are_refused():
    message = only("a: &x 1\nb: &x 2\n")
    assert message == (
        "s.yaml:2:4: b: anchor &x is defined twice (first on line 1) "
        "(give each anchor its own name)"
    )


def test_an_undefined_alias_is_a_syntax_error():
    assert only("a: *nowhere\n").startswith("s.yaml:1:4: found undefined alias 'nowhere'")


def test_a_second_document_is_refused():
    message = only(ONE_CHANNEL + "---\nscenario: u\n")
    assert message.startswith("s.yaml:10:1: but found another document")


def test_a_mapping_as_key_is_refused():
    assert only("? [a, b]\n: 1\n") == "s.yaml:1:3: a key must be a plain value"


@pytest.mark.parametrize(
    "text",
    [
        'scenario: "\\U00110000"\n',
        "a: " + "[" * 200 + "]" * 200 + "\n",
        "a: &x [1, *x]\n",
        "a: !!set {x}\n",
        "a: 2026-13-01\n",
    ],
)
def test_the_pure_python_parser_gives_the_same_kind_of_refusal(monkeypatch, text):
    """Without libyaml, PyYAML's own scanner runs: its errors are caught the same way."""
    monkeypatch.setattr(yamlsrc, "_LOADER", yaml.SafeLoader)
    with pytest.raises(ScenarioError) as info:
        parse(text, "s.yaml")
    (problem,) = info.value.problems
    assert problem.line == 1


@pytest.mark.parametrize("tagged", ["!!set a: 1", "!!binary aGk=: 1", "a: !!binary aGk="])
def test_scalars_with_other_tags_are_refused(tagged):
    """A ``!!set`` key used to be built as an empty set, which no mapping can hold as a key
    (a TypeError, found by the fuzzer)."""
    assert "unsupported YAML tag" in only(f"scenario: t\n{tagged}\n")
