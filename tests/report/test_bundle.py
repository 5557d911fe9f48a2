"""A report folder (simulator/report/bundle.py): journeys.json holds the explorer's told
journeys, and a folder rebuilds the same page from its files alone, older folders too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.experiment.replicate import run_replications
from simulator.observe.collector import journey_explorer
from simulator.report.bundle import (
    JOURNEYS_FORMAT,
    ResultsFolderError,
    explorer_entries,
    journeys_document,
    read_journeys,
    report_from_folder,
    write_html_report,
)
from simulator.report.document import results_document
from simulator.report.story.render import to_json
from simulator.scenario import load_scenario
from tests.paths import SCENARIOS


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    scenario = load_scenario(SCENARIOS / "ecommerce_ai_bot.yaml")
    explorer = journey_explorer(2, size=30)
    result = run_replications(scenario, 2, observers=[explorer])
    out = tmp_path_factory.mktemp("bot")
    document = json.loads(json.dumps(results_document(result)))
    (out / "results.json").write_text(json.dumps(document))
    write_html_report(out, document, journeys_document(explorer_entries(explorer.journeys)))
    return out


def test_journeys_json_holds_the_told_journeys(folder: Path):
    saved = json.loads((folder / "journeys.json").read_text())
    assert saved["format"] == JOURNEYS_FORMAT and len(saved["explorer"]) == 30
    assert all(entry["steps"] and entry["ending"] for entry in saved["explorer"])
    assert read_journeys(folder / "journeys.json") == saved


def test_a_folder_rebuilds_the_same_report(folder: Path):
    page = (folder / "report.html").read_text()
    (folder / "report.html").unlink()
    report_from_folder(folder)
    assert (folder / "report.html").read_text() == page


def test_an_older_folder_with_whole_traces_still_rebuilds(folder: Path, siloed_worst, tmp_path):
    (tmp_path / "results.json").write_bytes((folder / "results.json").read_bytes())
    older = [{"id": str(siloed_worst.cid), "pick": "worst", "journey": to_json(siloed_worst)}]
    (tmp_path / "journeys.json").write_text(json.dumps(older))
    report_from_folder(tmp_path)
    rebuilt = read_journeys(tmp_path / "journeys.json")
    assert rebuilt == journeys_document(explorer_entries([siloed_worst]))
    assert siloed_worst.record.segment in (tmp_path / "report.html").read_text()


def test_no_journeys_saved_is_an_empty_explorer(tmp_path: Path):
    assert read_journeys(tmp_path / "journeys.json") == journeys_document([])
    with pytest.raises(ResultsFolderError, match=r"no results\.json"):
        report_from_folder(tmp_path)
