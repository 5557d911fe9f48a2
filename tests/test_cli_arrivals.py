"""``cxsim calibrate-arrivals``: a history the simulator itself made, with a known day-level CV
and Monday profile, gives them back; bad rows and options exit with status 2 and say where."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import cli
from simulator.model.customers import CustomerSource
from simulator.scenario import load_scenario_text

#: Eight weeks of a center open 08:00-18:00 on weekdays, Mondays 30 % busier, closed at the
#: weekend; every day strays from the forecast with a CV of 9 %.
WEEKS = """\
scenario: history
seed: 3
horizon: {start: "08:00", end: "18:00", interval: 30m, days: 56, first_day: mon}
arrivals:
  daily_total: 3000
  profile: [2, 3, 5, 6, 6, 6, 5, 5, 4, 4, 5, 5, 6, 6, 5, 5, 4, 3, 2, 2]
  by_day:
    mon: {daily_total: 3900}
    weekend: {rate: 0}
  uncertainty: {day_cv: 0.09}
channels: {voice: {}}
agents: {team: {skills: [voice], count: 1}}
handle_time: {default: 4m}
"""


def write_history(path: Path, text: str = WEEKS) -> Path:
    """The simulator's arrivals of one replication as 5-minute counts, weekdays only."""
    scenario = load_scenario_text(text, "weeks.yaml")
    times = np.concatenate([block.times for block in CustomerSource(scenario, 0).blocks()])
    periods = np.bincount((times // 300).astype(int), minlength=56 * 288)
    monday = dt.datetime(2026, 11, 2, 8)
    lines = ["timestamp,count"]
    for day in range(56):
        if day % 7 >= 5:
            continue
        for k in range(120):  # 10 hours of 5-minute periods
            lines.append(
                f"{monday + dt.timedelta(days=day, minutes=5 * k)},{periods[day * 288 + k]}"
            )
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_history(tmp_path_factory.mktemp("history") / "history.csv")


def run(*args: str):
    return CliRunner().invoke(cli, ["calibrate-arrivals", *args], catch_exceptions=False)


def test_the_cv_and_the_monday_profile_the_simulator_drew_are_recovered(history, tmp_path):
    result = run(str(history), "--out", str(tmp_path), "--resamples", "100")
    assert result.exit_code == 0, result.output
    block = yaml.safe_load((tmp_path / "arrivals.yaml").read_text())["arrivals"]
    assert result.stdout.startswith("# Fitted from history.csv: 40 days from 2026-11-02")
    # 40 days estimate a CV to about 0.09 / sqrt(80) = 0.01
    assert block["uncertainty"]["day_cv"] == pytest.approx(0.09, abs=0.025)
    # The simulator drew no interval noise: none is found beyond a trace
    assert block["uncertainty"].get("interval_cv", 0) < 0.03
    weights = np.array([2, 3, 5, 6, 6, 6, 5, 5, 4, 4, 5, 5, 6, 6, 5, 5, 4, 3, 2, 2])
    monday = np.array(block["by_day"]["mon"]["per_interval"])
    assert monday.sum() == pytest.approx(3900, rel=0.06)  # 8 Mondays: 9 % / sqrt(8) = 3 %
    assert np.corrcoef(monday, weights)[0, 1] > 0.97
    assert np.array(block["by_day"]["tue"]["per_interval"]).sum() == pytest.approx(3000, rel=0.06)
    report = (tmp_path / "arrivals.md").read_text()
    assert "| mon | 8 |" in report and "| `day_cv` |" in report


def test_the_interval_noise_the_simulator_drew_is_recovered(tmp_path):
    noisy = WEEKS.replace(
        "{day_cv: 0.09}", "{day_cv: 0.09, interval_cv: 0.1, interval_correlation: 0.6}"
    )
    history = write_history(tmp_path / "noisy.csv", noisy)
    assert run(str(history), "--out", str(tmp_path), "--resamples", "100", "-q").exit_code == 0
    text = (tmp_path / "arrivals.yaml").read_text()
    found = yaml.safe_load(text)["arrivals"]["uncertainty"]
    # The generator's parameters, not what one day shows around its level: the fit undoes the
    # rescaling the simulator does (calibrate/history_noise.py), so the two must agree.
    assert found["interval_cv"] == pytest.approx(0.1, abs=0.02)
    assert found["interval_correlation"] == pytest.approx(0.6, abs=0.15)
    assert found["day_cv"] == pytest.approx(0.09, abs=0.03)


def test_the_block_is_a_scenarios_arrivals(history, tmp_path):
    assert run(str(history), "--out", str(tmp_path), "--resamples", "10", "-q").output == ""
    text = (
        "scenario: fitted\n"
        'horizon: {start: "08:00", end: "18:00", interval: 30m, days: 5}\n'
        + (tmp_path / "arrivals.yaml").read_text()
        + "channels: {voice: {}}\nagents: {team: {skills: [voice], count: 5}}\n"
        "handle_time: {default: 4m}\n"
    )
    scenario = load_scenario_text(text, "fitted.yaml")
    assert scenario.arrivals.uncertainty is not None
    assert sum(scenario.arrivals.rates[:20]) * 1800 == pytest.approx(3900, rel=0.06)


def test_a_pooled_fit_without_interval_noise(history, tmp_path):
    result = run(
        str(history),
        "--out",
        str(tmp_path),
        "--pooled",
        "--no-interval-noise",
        "-q",
        "--resamples",
        "10",
    )
    assert result.exit_code == 0, result.output
    block = yaml.safe_load((tmp_path / "arrivals.yaml").read_text())["arrivals"]
    assert list(block) == ["per_interval", "uncertainty"]
    # Mondays 30 % busier than the other days now count as day-to-day variation
    assert block["uncertainty"]["day_cv"] > 0.12


def test_a_bad_row_exits_2_naming_its_line_and_what_was_expected(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,count\n2026-11-02 08:00,4\n2026-11-02 08:05,x\n")
    result = run(str(bad), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"{bad}:3: expected a count (a whole number >= 0) in column 'count', found 'x'"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--interval", "7m"], "the history's period of 5m does not divide the interval of 7m"),
        (["--interval", "soon"], "--interval: "),
        (["--time-column", "when"], ":1: no time column 'when'; the columns are timestamp, count"),
    ],
)
def test_bad_options_exit_2_and_say_why(history, tmp_path, args, message):
    result = run(str(history), "--out", str(tmp_path), *args)
    assert result.exit_code == 2 and message in result.stderr, result.stderr


def test_a_missing_history_exits_2(tmp_path):
    result = run(str(tmp_path / "none.csv"), "--out", str(tmp_path))
    assert result.exit_code == 2 and "cannot read the history" in result.stderr
