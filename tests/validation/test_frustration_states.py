"""Frustration states from the scenario through every presentation: the results document, the
report and the narrative take the state names and levels from the results document and the
traced journey, i.e. from the scenario, not from a copy of their own (report.document,
report.html, report.narrative and report.story). How a level reads as a state is tested in
tests/report/test_text.py."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest

from simulator.experiment.replicate import run_replications
from simulator.experiment.tracing import trace
from simulator.report import html as html_module
from simulator.report import narrative as narrative_module
from simulator.report.document import results_document
from simulator.report.html import render_report
from simulator.report.narrative import narrate, summary_line, to_json
from simulator.report.text import state_at
from simulator.scenario import load_scenario
from simulator.scenario.frustration import STATES
from simulator.scenario.schema import Scenario
from tests.paths import SCENARIOS

LEVELS = {"calm": 0.0, "irritated": 25.0, "angry": 50.0, "furious": 75.0}


def strict(scenario: Scenario) -> Scenario:
    """The scenario with low thresholds: more customers end angry or furious."""
    frustration = dataclasses.replace(scenario.frustration, irritated=5, angry=10, furious=15)
    return dataclasses.replace(scenario, frustration=frustration)


@pytest.fixture(scope="module")
def siloed() -> Scenario:
    return load_scenario(SCENARIOS / "retail_bank_siloed.yaml")


def test_the_results_document_carries_the_scenarios_states_and_levels(siloed):
    document = results_document(run_replications(strict(siloed), 1))
    states = document["frustration_states"]
    assert list(states) == list(STATES)
    assert states == {"calm": 0.0, "irritated": 5.0, "angry": 10.0, "furious": 15.0}
    keys = list(document)
    assert keys.index("frustration_states") == keys.index("service_level_thresholds_s") + 1


def test_the_report_names_states_with_the_documents_levels(siloed):
    document = json.loads(json.dumps(results_document(run_replications(strict(siloed), 1))))
    page = render_report(document, {}, [])
    assert "calm below 5, irritated below 10, angry below 15, furious from 15" in page
    renamed = {**document, "frustration_states": {"fine": 0.0, "upset": 5.0}}
    page = render_report(renamed, {}, [])
    assert "fine below 5, upset from 5" in page and "Frustration states" not in page
    mean = document["metrics"]["journey"]["frustration"]["mean_final"]["mean"]
    assert f'<span class="chip {state_at(mean, renamed["frustration_states"])}">' in page
    older = {k: v for k, v in document.items() if k != "frustration_states"}
    assert "0-100 scale" not in render_report(older, {}, [])  # no states known: none shown


def test_the_narrative_names_states_with_the_journeys_levels(siloed):
    default = trace(siloed, "worst")
    assert default.state_levels == LEVELS and default.thresholds == {
        k: v for k, v in LEVELS.items() if k != "calm"
    }
    harsh = trace(strict(siloed), "worst")
    assert harsh.state_levels == {"calm": 0.0, "irritated": 5.0, "angry": 10.0, "furious": 15.0}
    for line in narrate(harsh):
        assert line.state == state_at(line.frustration, harsh.state_levels)
    assert to_json(harsh)["states"] == harsh.state_levels
    assert state_at(harsh.record.final_frustration, harsh.state_levels) in summary_line(harsh)


def test_presentation_modules_keep_no_copy_of_the_states():
    story = sorted((Path(narrative_module.__file__).parent / "story").glob("*.py"))
    for path in [Path(html_module.__file__), Path(narrative_module.__file__), *story]:
        tree = ast.parse(path.read_text())
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        assert "STATES" not in names | imported, path.name
        assert not any(
            isinstance(n, ast.ImportFrom) and (n.module or "").startswith("simulator.scenario")
            for n in ast.walk(tree)
        ), path.name
