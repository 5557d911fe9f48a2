"""What-if comparisons: common random numbers shown to work, paired CIs, verdicts, the command."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.experiment.compare import (
    BETTER,
    DIRECTIONS,
    NEUTRAL,
    SAME,
    WORSE,
    compare,
    paired,
    same_demand,
)
from simulator.experiment.replicate import RunResult
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SILOED = ROOT / "scenarios" / "retail_bank_siloed.yaml"
OMNI = ROOT / "scenarios" / "retail_bank_omnichannel.yaml"
CXSIM = Path(sys.executable).with_name("cxsim")


@pytest.fixture(scope="module")
def bank():
    return compare(load_scenario(SILOED), {"omnichannel": load_scenario(OMNI)}, 5)


def test_two_identical_variants_differ_by_exactly_zero():
    base = load_scenario(ROOT / "scenarios" / "ecommerce_ai_bot.yaml")
    twin = dataclasses.replace(base, description="the very same center")
    result = compare(base, {"twin": twin}, 3)
    for d in result.differences["twin"]:
        # exactly zero (or undefined in both, like blocking on a channel without lines)
        assert d.difference.mean == 0.0 or math.isnan(d.difference.mean), d.kpi
        assert d.verdict in (SAME, NEUTRAL), d.kpi


def test_the_bank_variants_describe_the_same_customers():
    assert same_demand(load_scenario(SILOED), load_scenario(OMNI))


def test_pairing_sharpens_the_bundled_comparison(bank):
    """Paired differences vary far less than independent runs would: the point of CRN."""
    by_kpi = {d.kpi: d for d in bank.differences["omnichannel"]}
    for kpi in (
        "overall.service_level",
        "overall.asa_s",
        "journey.fcr",
        "journey.frustration.mean_final",
        "journey.churn_rate",
        "journey.effort",
    ):
        assert by_kpi[kpi].variance_ratio < 0.6, (kpi, by_kpi[kpi].variance_ratio)


def test_the_bank_story_gets_the_right_verdicts(bank):
    by_kpi = {d.kpi: d for d in bank.differences["omnichannel"]}
    for kpi in ("journey.repeats_per_100", "journey.fcr", "journey.churn_rate", "journey.nps"):
        assert by_kpi[kpi].verdict == BETTER, kpi
    assert by_kpi["overall.occupancy"].verdict == NEUTRAL  # no direction of "better"
    summary = bank.summary("omnichannel")
    assert summary.startswith("omnichannel: repeats -100.0 %")
    assert "FCR +" in summary and "churn -" in summary


def _fake(values: list[float]) -> RunResult:
    scenario = load_scenario(ROOT / "scenarios" / "single_queue.yaml")
    reps = [{"overall": {"abandon_rate": v}} for v in values]
    return RunResult(scenario=scenario, seed=1, replications=len(values), per_replication=reps)


@pytest.mark.parametrize(
    ("base", "variant", "verdict"),
    [
        ([0.10, 0.12, 0.11, 0.13], [0.05, 0.07, 0.06, 0.08], BETTER),  # fewer abandon
        ([0.05, 0.07, 0.06, 0.08], [0.10, 0.12, 0.11, 0.13], WORSE),
        ([0.10, 0.12, 0.11, 0.13], [0.11, 0.11, 0.12, 0.12], SAME),
    ],
)
def test_verdict_follows_the_direction_of_better(base, variant, verdict):
    assert DIRECTIONS["overall.abandon_rate"] == -1
    assert paired("overall.abandon_rate", _fake(base), _fake(variant)).verdict == verdict


def cxsim(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CXSIM), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_compare_files_writes_a_document_and_a_markdown_table(tmp_path):
    done = cxsim("compare", SILOED, OMNI, "-n", "3", "--workers", "1", "--out", tmp_path, "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document == json.loads((tmp_path / "comparison.json").read_text())
    variant = document["variants"]["retail-bank-omnichannel"]
    assert variant["kpis"]["journey.fcr"]["verdict"] == BETTER
    assert "variance ratio" in (tmp_path / "comparison.md").read_text()


def test_a_file_without_variants_is_bad_input(tmp_path):
    done = cxsim("compare", OMNI, "-n", "2", "--out", tmp_path)
    assert done.returncode == 2
    assert "declares no variants" in done.stderr and "Traceback" not in done.stderr
