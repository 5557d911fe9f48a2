"""A report folder (simulator/report/bundle.py): journeys.json holds the explorer's told
journeys, and a folder rebuilds the same page from its files alone, older folders too; and
``cxsim report DIR`` on whatever a folder holds: a results.json that is truncated, edited,
binary, a device or not cxsim's at all is refused with a message naming the file, and the
folder is left as it was (issue #16: these ended in a traceback)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from simulator.experiment.replicate import run_replications
from simulator.observe.collector import journey_explorer
from simulator.report.bundle import (
    JOURNEYS_FORMAT,
    ReportError,
    ResultsFolderError,
    explorer_entries,
    journeys_document,
    read_journeys,
    report_from_folder,
    write_html_report,
)
from simulator.report.document import results_document
from simulator.report.story.render import to_json
from simulator.scenario import load_scenario, load_scenario_text
from tests.fuzz.mutate import TREE_MUTATIONS
from tests.paths import SCENARIOS
from tests.test_cli import TINY, cxsim


@pytest.fixture(scope="module")
def bot_folder(tmp_path_factory) -> Path:
    scenario = load_scenario(SCENARIOS / "ecommerce_ai_bot.yaml")
    explorer = journey_explorer(2, size=30)
    result = run_replications(scenario, 2, observers=[explorer])
    out = tmp_path_factory.mktemp("bot")
    document = json.loads(json.dumps(results_document(result)))
    (out / "results.json").write_text(json.dumps(document))
    write_html_report(out, document, journeys_document(explorer_entries(explorer.journeys)))
    return out


def test_journeys_json_holds_the_told_journeys(bot_folder: Path):
    saved = json.loads((bot_folder / "journeys.json").read_text())
    assert saved["format"] == JOURNEYS_FORMAT and len(saved["explorer"]) == 30
    assert all(entry["steps"] and entry["ending"] for entry in saved["explorer"])
    assert read_journeys(bot_folder / "journeys.json") == saved


def test_a_folder_rebuilds_the_same_report(bot_folder: Path):
    page = (bot_folder / "report.html").read_text()
    (bot_folder / "report.html").unlink()
    report_from_folder(bot_folder)
    assert (bot_folder / "report.html").read_text() == page


def test_an_older_folder_with_whole_traces_still_rebuilds(bot_folder: Path, siloed_worst, tmp_path):
    (tmp_path / "results.json").write_bytes((bot_folder / "results.json").read_bytes())
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


# --------------------------------------------------------------------------------------------
# Folders cxsim did not write


@pytest.fixture(scope="module")
def results_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder as ``cxsim run --html`` leaves it (without journeys)."""
    folder = tmp_path_factory.mktemp("run")
    result = run_replications(load_scenario_text(TINY, "tiny.yaml"), 2)
    document = results_document(result)
    (folder / "results.json").write_text(json.dumps(document, indent=2, allow_nan=False))
    write_html_report(folder, document, journeys_document([]))
    return folder


@pytest.fixture
def folder(results_folder: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(results_folder, copy)
    (copy / "report.html").unlink()
    return copy


def refused(folder: Path) -> str:
    with pytest.raises(ReportError) as info:
        report_from_folder(folder)
    assert not (folder / "report.html").exists()  # nothing written
    return str(info.value)


def test_a_good_folder_is_reported(folder: Path) -> None:
    written = report_from_folder(folder)
    assert folder / "report.html" in written


def test_truncated_json_names_line_and_column(folder: Path) -> None:
    results = folder / "results.json"
    results.write_text('{\n  "scenario": "tiny",\n  "metrics": {')
    assert (
        refused(folder)
        == f"{results}:3:15: not valid JSON (Expecting property name enclosed in double quotes)"
    )


def test_a_binary_results_file_is_refused(folder: Path) -> None:
    (folder / "results.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    assert refused(folder) == f"{folder / 'results.json'}:1: not UTF-8 text (a binary file?)"


def test_a_device_is_read_with_a_cap(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXSIM_MAX_RESULTS_MB", "1")
    (folder / "results.json").unlink()
    (folder / "results.json").symlink_to("/dev/zero")
    assert "larger than 1 MB, the limit (set CXSIM_MAX_RESULTS_MB" in refused(folder)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "expected a JSON object"),
        ('{"scenario": "t"}', "'metrics' is missing, expected a dict"),
        ('{"scenario": "t", "metrics": [], "effective_scenario": {}}', "'metrics' is a list"),
        ('{"scenario": NaN}', "NaN is not a number JSON allows"),
    ],
)
def test_json_that_is_not_a_results_document_is_refused(
    folder: Path, text: str, message: str
) -> None:
    (folder / "results.json").write_text(text)
    assert message in refused(folder)


def test_journeys_that_are_not_a_list_are_refused(folder: Path) -> None:
    (folder / "journeys.json").write_text('{"a": 1}')
    assert "expected a list of journeys" in refused(folder)


def test_mutated_documents_are_reported_or_refused_never_a_traceback(folder: Path) -> None:
    """Five documents, each with one mutation of the fuzzer's (``make fuzz`` runs more)."""
    original = json.loads((folder / "results.json").read_text())
    for number in range(5):
        rng = random.Random(f"report:{number}")
        document = rng.choice(TREE_MUTATIONS)(json.loads(json.dumps(original)), rng)
        (folder / "results.json").write_text(json.dumps(document))
        try:
            report_from_folder(folder)
        except ReportError as error:
            assert str(error).startswith(str(folder / "results.json")), error


def test_the_command_exits_2_with_one_line(folder: Path) -> None:
    (folder / "results.json").write_text("{")
    done = cxsim("report", folder)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "not valid JSON" in done.stderr
