"""``cxsim schedule``: the files it writes and its summary, and shift rules or targets that
cannot give a roster exiting with status 2 at the rule's line, saying which interval and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from tests.scenario_texts import replaced
from tests.staffing.scenario_texts import SHIFT_DAY, UNCERTAIN_DAY

TARGETS = ["-t", "service_level>=0.8", "-t", "abandon_rate<=0.05"]


def run(tmp_path: Path, text: str, *args: str):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(text)
    command = ["schedule", str(scenario), *TARGETS, "-n", "3", "--workers", "1", *args]
    return CliRunner().invoke(cli, [*command, "--out", str(tmp_path / "out")])


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_schedule_writes_its_files_and_says_what_it_found(tmp_path):
    result = run(tmp_path, SHIFT_DAY)
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    names = ["roster.csv", "coverage.png", "schedule.json", "roster.variant.yaml"]
    for name in [*names, "scenario.rostered.yaml"]:
        assert (out / name).is_file(), name
    text = result.stdout
    assert text.startswith("shift-day: a roster for service_level>=0.8, abandon_rate<=0.05\n")
    assert "against the interval lower bound" in text and "chats: " in text
    assert "phones: " in text and "-> " in text


def test_a_requirement_the_limits_cannot_meet_names_the_interval_and_the_rules_line(tmp_path):
    text = replaced(
        '      short: {paid: [2h, 3h], starts: "08:00-12:00", start_step: 30m, part_time: true}',
        '      short: {paid: [2h, 3h], starts: "08:00-12:00", start_step: 30m, part_time: true,'
        " max_heads: 0}",
        SHIFT_DAY,
    ).replace(
        '        starts: "08:00-09:00"\n', '        starts: "08:00-09:00"\n        max_heads: 3\n'
    )
    result = run(tmp_path, text)
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    group_line = line_of(text, "  phones:\n    types")
    assert message.startswith(f"{tmp_path / 's.yaml'}:{group_line}: ")
    assert "shifts.phones: group 'phones' on day cannot meet its requirement: day " in message
    assert "needs" in message and "at most 3 fit" in message
    assert not (tmp_path / "out").exists()


def test_an_interval_no_shift_covers_says_why(tmp_path):
    text = SHIFT_DAY.replace('starts: "08:00-09:00"', 'starts: "08:30"').replace(
        'starts: "08:00-12:00", start_step: 30m', 'starts: "08:30-12:00", start_step: 30m'
    )
    result = run(tmp_path, text)
    assert result.exit_code == 2
    assert (
        "group 'phones' needs" in result.stderr
        and "day 08:00-08:30 but no shift covers it: the earliest shift starts at 08:30"
        in result.stderr
    )


def test_a_break_that_cannot_fit_exits_2_before_anything_runs(tmp_path):
    text = SHIFT_DAY.replace(
        "rest: {length: 15m, within: 1h30m-3h}", "rest: {length: 2h, within: 1h30m-3h}"
    )
    result = run(tmp_path, text)
    assert result.exit_code == 2
    where = f"s.yaml:{line_of(text, 'rest: {length: 2h')}:"
    assert (
        where in result.stderr and "a 2h break cannot fit in its window 1h30m-3h" in result.stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-g", "nobody"], "--group nobody: no shift rules for it in the shifts block"),
        (["-t", "service_level>0.8"], "operator '>' is not supported"),
    ],
)
def test_bad_options_exit_2(tmp_path, args, message):
    result = run(tmp_path, SHIFT_DAY, *args)
    assert result.exit_code == 2 and message in result.stderr, result.output


def test_a_scenario_without_shift_rules_exits_2(tmp_path):
    result = run(tmp_path, SHIFT_DAY.split("shifts:")[0])
    assert result.exit_code == 2
    assert "the scenario has no shifts block" in result.stderr


def test_targets_as_risk_say_on_what_share_of_days_the_roster_holds(tmp_path):
    text = UNCERTAIN_DAY + (
        "shifts:\n  team:\n    types:\n"
        '      short: {paid: [2h, 3h, 4h], starts: "08:00-10:00", start_step: 30m}\n'
    )
    scenario = tmp_path / "s.yaml"
    scenario.write_text(text)
    command = ["schedule", str(scenario), "-t", "service_level>=0.8", "-n", "2"]
    command += ["--on-share-of-days", "0.9", "--risk-days", "60", "--workers", "1"]
    result = CliRunner().invoke(cli, [*command, "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "of 60 simulated days (90% asked: reached" in result.stdout
    risk = json.loads((tmp_path / "out" / "schedule.json").read_text())["risk"]
    assert risk["on_share_of_days"] == 0.9 and risk["days"] == 60
    assert risk["share_by_day"]["day"] >= 0.9
    spread = risk["across_days"]["team"]["day"]["service_level"]
    assert spread["days"] == 60 and spread["p5"] <= spread["p50"] <= spread["p95"]
