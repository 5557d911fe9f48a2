"""Every package names its entry points (``__all__``), and each of them resolves."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = [
    "simulator.calibrate",
    "simulator.scenario",
    "simulator.model",
    "simulator.observe",
    "simulator.experiment",
    "simulator.report",
    "simulator.staffing",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_entry_points_resolve(name: str) -> None:
    package = importlib.import_module(name)
    assert package.__all__, f"{name} names no entry points"
    for entry in package.__all__:
        assert getattr(package, entry) is not None, f"{name}.{entry}"
    with pytest.raises(AttributeError):
        package.no_such_entry_point  # noqa: B018
