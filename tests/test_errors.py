"""One error family for bad input (simulator/errors.py), caught once by the command line."""

from __future__ import annotations

import doctest
import importlib

import pytest

from simulator import errors
from simulator.errors import CxsimError

#: Every error a user can fix, by where it is defined. New ones join the family (and this list).
USER_ERRORS = [
    ("simulator.scenario.errors", "ScenarioError"),
    ("simulator.units", "UnitError"),
    ("simulator.observe.trace", "TraceError"),
    ("simulator.observe.eventlog", "EventLogError"),
    ("simulator.staffing.targets", "TargetError"),
    ("simulator.staffing.roster_rules", "RosterError"),
    ("simulator.calibrate", "CalibrationError"),
    ("simulator.calibrate.history", "HistoryError"),
    ("simulator.experiment.executor", "ExecutorError"),
    ("simulator.experiment.sweep", "SweepError"),
    ("simulator.report.bundle", "ResultsFolderError"),
]


def test_the_module_example_runs() -> None:
    assert doctest.testmod(errors).failed == 0


@pytest.mark.parametrize(("module", "name"), USER_ERRORS, ids=[n for _, n in USER_ERRORS])
def test_user_errors_belong_to_the_family(module: str, name: str) -> None:
    assert issubclass(getattr(importlib.import_module(module), name), CxsimError)


def test_context_goes_in_front_of_the_message() -> None:
    error = CxsimError("no customer finished").within("bank.yaml").within("cxsim trace")
    assert str(error) == "cxsim trace: bank.yaml: no customer finished"
    assert str(CxsimError("plain")) == "plain"
