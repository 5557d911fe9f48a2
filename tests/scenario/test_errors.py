"""Problems and ScenarioError: one compiler-style line per problem."""

from __future__ import annotations

from simulator.scenario import Problem, ScenarioError


def test_problem_str_formats():
    assert str(Problem("f.yaml", 3, 7, "a.b", "bad", "fix it")) == "f.yaml:3:7: a.b: bad (fix it)"
    assert str(Problem("f.yaml", 3, None, "a.b", "bad", None)) == "f.yaml:3: a.b: bad"
    assert str(Problem("f.yaml", None, None, "", "no such file", None)) == "f.yaml: no such file"
    error = ScenarioError([Problem("f", 1, 1, "a", "x", None), Problem("f", 2, 1, "b", "y", None)])
    assert str(error) == "f:1:1: a: x\nf:2:1: b: y"
    assert isinstance(error, Exception) and len(error.problems) == 2
