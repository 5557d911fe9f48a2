"""Warnings about legal scenarios that probably do not say what was meant (scenario/lint.py)."""

from __future__ import annotations

import doctest

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.scenario import lint, load_scenario, load_scenario_text
from tests.paths import SCENARIOS

TEXT = """\
scenario: lint
horizon: {start: "08:00", end: "12:00"}
arrivals: {rate: 60/h, first_channel: {voice: 1}}
channels: {voice: {}, chat: {}, email: {}}
agents:
  voice_team: {skills: [voice], count: 2}
  chat_team: {skills: [chat], count: 1}
  mail_team: {skills: [mail], count: 1}
handle_time: {default: 4m}
retrial: {switch: {default: {voice: {voice: 0.5, email: 0.5}}}}
routing:
  - {when: {channel: voice}, to: voice}
  - {when: {channel: chat}, to: chat}
  - {when: {channel: email}, to: voice}
"""


def test_the_module_example_runs() -> None:
    assert doctest.testmod(lint).failed == 0


def test_unreached_channel_and_idle_teams() -> None:
    warnings = lint.scenario_warnings(load_scenario_text(TEXT))
    # chat: nothing arrives; email is reached by retries switching to it; mail_team's skill is
    # never routed to, chat_team's is (a rule exists even if nothing arrives on chat).
    assert [w.split(":")[0] for w in warnings] == ["channels.chat", "agents.mail_team"]


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_scenarios_have_no_warnings(path) -> None:
    assert lint.scenario_warnings(load_scenario(path)) == []


def test_validate_prints_warnings_and_still_passes(tmp_path) -> None:
    path = tmp_path / "lint.yaml"
    path.write_text(TEXT)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0
    assert f"warning: {path}: channels.chat: nothing arrives" in result.output
    assert f"warning: {path}: agents.mail_team: no routing rule" in result.output


def test_validate_a_variant(tmp_path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text(TEXT + "variants:\n  more: {agents.voice_team.count: 4}\n")
    ok = CliRunner().invoke(cli, ["validate", str(path), "--variant", "more"])
    assert ok.exit_code == 0 and "--variant more" in ok.output
    bad = CliRunner().invoke(cli, ["validate", str(path), "--variant", "mroe"])
    assert bad.exit_code == 2 and "did you mean 'more'?" in bad.output
