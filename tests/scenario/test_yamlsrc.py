"""Reading the YAML itself: missing and oversized files, syntax errors, duplicate keys, tags,
aliases and nesting are refused with a position and no traceback."""

from __future__ import annotations

import sys

import pytest

from simulator.scenario import ScenarioError, load_scenario, load_scenario_text
from simulator.scenario.yamlsrc import MAX_BYTES
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
    assert message.startswith("s.yaml:2:10: mapping values are not allowed here")


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
    text = ONE_CHANNEL + "#" * (MAX_BYTES + 1) + "\n"
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
    assert message.startswith("s.yaml:10:7: could not determine a constructor for the tag")
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
