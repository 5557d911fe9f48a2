"""The bundled week (scenarios/week_three_channels.yaml) in one ``cxsim run``: seven days of
voice, chat and e-mail with weekday-dependent arrivals and schedules, opening hours, and the
e-mail backlog carried from each evening to the next morning (issue #12's first check)."""

from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from tests.paths import SCENARIOS

WEEK = SCENARIOS / "week_three_channels.yaml"


@pytest.fixture(scope="module")
def metrics(tmp_path_factory):
    out = tmp_path_factory.mktemp("week")
    result = CliRunner().invoke(
        cli, ["run", str(WEEK), "-n", "2", "--workers", "1", "--out", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    return json.loads((out / "results.json").read_text())["metrics"]


def mean(estimate: dict) -> float:
    return estimate["mean"]


def test_a_week_runs_day_by_day_with_weekday_dependent_demand(metrics):
    days = metrics["by_day"]
    assert [day["day"] for day in days] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    offered = [mean(day["overall"]["offered"]) for day in days]
    assert offered[0] > max(offered[1:5])  # Monday is busier
    assert offered[5] < min(offered[:5]) and offered[6] < offered[5]  # the weekend is quiet
    assert sum(offered) == pytest.approx(mean(metrics["overall"]["offered"]))
    assert len(metrics["by_interval"]) == 7 * 12
    assert metrics["by_interval"][12]["interval"] == "Tue 08:00"
    assert [row["interval"] for row in metrics["by_interval_of_day"]][:2] == ["08:00", "09:00"]


def test_weekday_dependent_hours_and_schedules(metrics):
    sunday = metrics["by_day"][6]
    assert mean(sunday["by_channel"]["voice"]["closed"]) > 0  # the phone line is closed Sunday
    assert mean(metrics["by_day"][1]["overall"]["closed"]) < mean(sunday["overall"]["closed"])
    assert mean(metrics["by_group"]["voice_team"]["overtime_hours"]) > 0
    assert mean(metrics["costs"]["overtime"]) > 0


def test_the_email_backlog_is_carried_from_each_evening_to_the_next_morning(metrics):
    backlog = metrics["backlog"]["email"]
    days = backlog["by_day"]
    for evening, morning in itertools.pairwise(days):
        assert mean(morning["at_open"]) == mean(evening["at_close"])
    assert all(mean(day["at_close"]) > 0 for day in days[:5])
    assert mean(backlog["at_end"]) == mean(metrics["by_channel"]["email"]["in_system"])


def test_the_staffing_search_refuses_a_week_with_a_clear_message(tmp_path):
    """cxsim staff plans one day; a week says so (exit 2) instead of failing half-way."""
    result = CliRunner().invoke(
        cli, ["staff", str(WEEK), "-t", "service_level>=0.8", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "cxsim staff plans one day" in result.output and "7 days" in result.output
