"""``make demo`` (simulator/demo.py): the scenarios it names are bundled and load, and a demo that
cannot run says why and exits with the command's status instead of going on. The whole demo
runs in ``make demo``, not here (it writes every report of every bundled scenario)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator import demo
from simulator.scenario import load_scenario


@pytest.mark.parametrize("name", [demo.FLAGSHIP, demo.FLAGSHIP_VARIANT, demo.CAPACITY_REVIEW])
def test_the_scenarios_the_demo_names_are_bundled(name: str) -> None:
    assert (demo.SCENARIOS / name).is_file()
    assert load_scenario(demo.SCENARIOS / name).name


def test_without_scenarios_the_demo_says_where_it_looked(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setattr(demo, "SCENARIOS", tmp_path)
    assert demo.main() == 2
    assert f"no scenarios found in {tmp_path}" in capsys.readouterr().err


def test_a_command_that_fails_stops_the_demo_with_its_status(tmp_path: Path, monkeypatch, capsys):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "broken.yaml").write_text("scenario: broken\nhorizon: {duration: soon}\n")
    monkeypatch.setattr(demo, "SCENARIOS", scenarios)
    monkeypatch.chdir(tmp_path)
    assert demo.main() == 2
    out = capsys.readouterr()
    assert "=== cxsim run scenarios/broken.yaml" in out.out
    assert "broken.yaml:2" in out.err and "cxsim compare" not in out.out
