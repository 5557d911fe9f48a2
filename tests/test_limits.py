"""Resource limits: defaults, settings from the environment, and how they are shown."""

from __future__ import annotations

import pytest

from simulator.limits import (
    ALL,
    MAX_CUSTOMERS,
    MAX_FILE,
    MIN_INTERVAL,
    LimitSettingError,
)


def test_defaults_are_shown_as_a_user_writes_them():
    assert MAX_FILE.shown() == "2 MB"
    assert MIN_INTERVAL.shown() == "1m"
    assert MAX_CUSTOMERS.shown() == "1,000,000"


def test_every_limit_has_its_own_variable_and_a_hint_naming_it():
    variables = [limit.variable for limit in ALL]
    assert len(set(variables)) == len(variables)
    for limit in ALL:
        assert limit.variable.startswith("CXSIM_")
        assert limit.variable in limit.hint


def test_settings_are_read_in_their_kind(monkeypatch):
    monkeypatch.setenv("CXSIM_MAX_FILE_MB", "8")
    monkeypatch.setenv("CXSIM_MIN_INTERVAL", "30s")
    monkeypatch.setenv("CXSIM_MAX_CUSTOMERS", "5,000,000")
    assert MAX_FILE.value == 8 * 1024 * 1024
    assert MIN_INTERVAL.value == 30.0
    assert MAX_CUSTOMERS.value == 5_000_000


@pytest.mark.parametrize(
    ("variable", "text"),
    [("CXSIM_MAX_CUSTOMERS", "many"), ("CXSIM_MIN_INTERVAL", "soon"), ("CXSIM_MAX_FILE_MB", "-1")],
)
def test_a_setting_that_is_not_a_limit_is_refused(monkeypatch, variable, text):
    monkeypatch.setenv(variable, text)
    limit = next(limit for limit in ALL if limit.variable == variable)
    with pytest.raises(LimitSettingError, match=variable):
        _ = limit.value
