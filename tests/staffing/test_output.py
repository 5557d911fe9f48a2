"""What ``cxsim staff`` writes: the variant overlay loads and simulates what was searched."""

from __future__ import annotations

import yaml

from simulator.experiment.compare import compare
from simulator.scenario import load_variants_text
from simulator.staffing.output import recommended_heads, variant_overlay
from simulator.staffing.plan import staffed_scenario
from simulator.staffing.simulate import run_day
from tests.staffing.scenario_texts import SMALL


def test_the_written_variant_loads_and_compares(small_result, tmp_path):
    scenario, result = small_result
    overlay = variant_overlay(result)
    text = SMALL + yaml.safe_dump(overlay, sort_keys=False)
    variants = load_variants_text(text, "small+variant.yaml")
    recommended = variants["recommended"]
    for name, values in recommended_heads(result).items():
        group = recommended.agents[name]
        assert [group.heads_at(i * 1800.0) for i in range(4)] == values
        assert group.schedule == result.recommended.agents[name].schedule
    comparison = compare(scenario, {"recommended": recommended}, 2)
    assert "recommended" in comparison.differences
    # The variant simulates exactly what the search verified (same customers, same staffing).
    searched = run_day(staffed_scenario(result.measured, _levels(result)), 0, result.seed)
    pasted = run_day(recommended, 0, result.seed)
    for run in (searched, pasted):
        del run["cpu_s"]
    assert searched == pasted


def _levels(result) -> dict[str, list[int]]:
    levels: dict[str, list[int]] = {}
    for row in result.rows:
        levels.setdefault(row.group, []).append(row.required)
    return levels
