"""Problems and ScenarioError: one compiler-style line per problem."""

from __future__ import annotations

from click.testing import CliRunner

from simulator.cli import cli
from simulator.scenario import Problem, ScenarioError
from tests.scenario_texts import WEEK, replaced


def test_problem_str_formats():
    assert str(Problem("f.yaml", 3, 7, "a.b", "bad", "fix it")) == "f.yaml:3:7: a.b: bad (fix it)"
    assert str(Problem("f.yaml", 3, None, "a.b", "bad", None)) == "f.yaml:3: a.b: bad"
    assert str(Problem("f.yaml", None, None, "", "no such file", None)) == "f.yaml: no such file"
    error = ScenarioError([Problem("f", 1, 1, "a", "x", None), Problem("f", 2, 1, "b", "y", None)])
    assert str(error) == "f:1:1: a: x\nf:2:1: b: y"
    assert isinstance(error, Exception) and len(error.problems) == 2


def test_bad_days_and_hours_exit_2_with_file_line_and_hint(tmp_path):
    """What an analyst sees from ``cxsim validate`` for the bad input of issue #12: every
    problem at once, each at its file:line:col with a hint, and exit status 2."""
    text = replaced('["09:00-12:00", "13:00-17:00"]', '["09:00-12:00", "11:00-17:00"]', WEEK)
    text = replaced('sat: "09:00-13:00"', 'sat: "13:00-09:00"', text)
    text = replaced("      sun: 0\n", "      sunday: 0\n", text)
    text = replaced("within: 8h", "within: 10m", text)
    path = tmp_path / "week.yaml"
    path.write_text(text)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "channels.voice.hours.sat",
        "channels.chat.hours[1]",
        "channels.email.service_level.within",
        "agents.voice_team.count_by_day.sunday",
    ]
    assert all(line.startswith(f"{path}:") and line.endswith(")") for line in lines)
    assert "Traceback" not in result.output
