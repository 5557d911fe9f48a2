"""Back-tests: the headline KPIs of every bundled scenario, two replications at its own seed.

Any change to the engine, the loader or a bundled scenario that moves a number shows here as a
diff of ``tests/golden/results/<scenario>.json``. If the change is intended, regenerate with

    CXSIM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/validation/test_golden_results.py

and review the diff in the commit that changes the numbers (say why they moved).
"""

from __future__ import annotations

import difflib
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from simulator.experiment.replicate import run_replications
from simulator.scenario import load_scenario
from tests.paths import GOLDEN, ROOT, SCENARIOS

UPDATE = os.environ.get("CXSIM_UPDATE_GOLDEN", "") not in ("", "0")
REPLICATIONS = 2
#: The KPIs kept, by level of the per-replication results (missing ones are skipped, so a KPI
#: that does not apply to a scenario never fails it).
OVERALL = ("offered", "answered", "abandoned", "blocked", "service_level")
CHANNEL = ("offered", "answered", "abandoned", "service_level", "asa_s", "wait_p90_s")
GROUP = ("occupancy",)
JOURNEY = (
    "customers",
    "resolved",
    "gave_up",
    "unfinished",
    "fcr",
    "nps",
    "promoters",
    "detractors",
    "churn_rate",
    "excess_churn_rate",
    "effort",
)
COSTS = ("operating",)


def _rounded(x: Any) -> Any:
    """Six significant digits: enough to see any engine change, stable to print."""
    if isinstance(x, float):
        return None if math.isnan(x) else float(f"{x:.6g}")
    return x


def _pick(level: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _rounded(level[name]) for name in names if name in level}


def headline(rep: dict[str, Any]) -> dict[str, Any]:
    """What a planner reads first, from one replication's results."""
    return {
        "overall": _pick(rep["overall"], OVERALL),
        "by_channel": {n: _pick(c, CHANNEL) for n, c in sorted(rep["by_channel"].items())},
        "by_group": {n: _pick(g, GROUP) for n, g in sorted(rep["by_group"].items())},
        "journey": _pick(rep["journey"], JOURNEY),
        "costs": _pick(rep.get("costs", {}), COSTS),
    }


def golden_text(path: Path) -> str:
    scenario = load_scenario(path)
    result = run_replications(scenario, REPLICATIONS)
    document = {
        "scenario": scenario.name,
        "seed": scenario.seed,
        "replications": [headline(rep) for rep in result.per_replication],
    }
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_bundled_scenario_matches_its_golden_results(path: Path) -> None:
    actual = golden_text(path)
    golden = GOLDEN / "results" / f"{path.stem}.json"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    if not golden.exists():
        pytest.fail(f"{golden} is missing; create it with CXSIM_UPDATE_GOLDEN=1 (module doc)")
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=str(golden.relative_to(ROOT)),
                tofile="actual",
                n=1,
            )
        )
        pytest.fail(
            f"headline KPIs of {path.name} moved:\n{diff}\nIf intended, regenerate with\n"
            "  CXSIM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q "
            "tests/validation/test_golden_results.py\nand review the diff.",
            pytrace=False,
        )


def test_every_bundled_scenario_has_a_golden_file() -> None:
    """A new bundled scenario comes with its golden file in the same change."""
    stems = {p.stem for p in SCENARIOS.glob("*.yaml")}
    goldens = {p.stem for p in (GOLDEN / "results").glob("*.json")}
    assert goldens == stems
