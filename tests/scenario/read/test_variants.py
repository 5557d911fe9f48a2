"""The ``variants`` block as the base scenario reads it (simulator/scenario/read/variants.py):
only its shape, so a broken variant never breaks the base. The overlays themselves are tested
in tests/scenario/test_variants.py."""

from __future__ import annotations

import pytest

from simulator.scenario import (
    ScenarioError,
    load_scenario_text,
    variant_names_text,
)
from tests.scenario.test_variants import BASE, VARIANTS


def _problems(excinfo: pytest.ExceptionInfo[ScenarioError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_base_ignores_variants() -> None:
    assert load_scenario_text(VARIANTS) == load_scenario_text(BASE)
    broken = BASE + "variants:\n  bad:\n    agents.chat_team.shrinkage: 1.5\n"
    assert load_scenario_text(broken) == load_scenario_text(BASE)


def test_base_checks_variants_shape() -> None:
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario_text(BASE + "variants: [a, b]\n")
    assert _problems(excinfo) == [
        "<string>:21:11: variants: expected a mapping of variants, found a list"
    ]
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario_text(BASE + "variants:\n  a: 3\n")
    assert "<string>:22:6: variants.a: expected a mapping of dotted key paths" in str(excinfo.value)
    with pytest.raises(ScenarioError):
        variant_names_text(BASE + "variants:\n  a: 3\n")
