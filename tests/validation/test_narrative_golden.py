"""Golden files: the exact text of a few traces, so any change of wording or of a journey shows.

On a mismatch the test prints a unified diff. If the change is intended (new wording in
simulator/report/narrative.py, or an engine change that changes who is worst), regenerate with

    CXSIM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/validation/test_narrative_golden.py

and review the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import difflib
import functools
import os

import pytest

from simulator.experiment.tracing import collect, trace
from simulator.observe.trace import Run
from simulator.report.narrative import render_text
from tests.paths import GOLDEN, ROOT

UPDATE = os.environ.get("CXSIM_UPDATE_GOLDEN", "") not in ("", "0")

CASES = [
    ("retail_bank_siloed", "worst"),
    ("retail_bank_siloed", "typical"),
    ("ecommerce_ai_bot", "worst"),
]


@functools.cache
def _run(scenario: str) -> Run:
    return collect(ROOT / "scenarios" / f"{scenario}.yaml")


@pytest.mark.parametrize(("scenario", "how"), CASES, ids=[f"{s}-{h}" for s, h in CASES])
def test_trace_text_matches_golden(scenario: str, how: str) -> None:
    t = trace(ROOT / "scenarios" / f"{scenario}.yaml", how, run=_run(scenario))
    actual = render_text(t, color=False)
    path = GOLDEN / f"{scenario}_{how}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"{path} is missing; create it with CXSIM_UPDATE_GOLDEN=1 (see module doc)")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"golden/{path.name}",
                tofile="actual",
            )
        )
        pytest.fail(
            f"trace text differs from {path.relative_to(ROOT)}:\n{diff}\n"
            "If the change is intended, regenerate the golden files with\n"
            "  CXSIM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q "
            "tests/validation/test_narrative_golden.py\n"
            "and review the diff of tests/golden/.",
            pytrace=False,
        )
