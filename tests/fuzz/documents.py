"""Mutated results folders for ``cxsim report``: the report is drawn or refused by a
:class:`~simulator.report.bundle.ReportError` naming the file, and never ends in a traceback.

The folder is written once by a real run of a bundled scenario (two replications, with the
journey explorer); each mutant applies one to three of the scenario mutator's mutations to its
``results.json`` (or replaces the text: truncated, binary, empty).
"""

from __future__ import annotations

import json
import random
import traceback
from pathlib import Path

from simulator.experiment.replicate import run_replications
from simulator.observe.collector import journey_explorer
from simulator.observe.journey_map import JourneyMap
from simulator.report.bundle import (
    ReportError,
    explorer_entries,
    journeys_document,
    report_from_folder,
    write_html_report,
)
from simulator.report.document import results_document
from simulator.scenario import load_scenario
from tests.fuzz.check import ALARM_S, Hang, Outcome, alarm
from tests.fuzz.corpus import ROOT
from tests.fuzz.mutate import TREE_MUTATIONS, truncate


def results_folder(folder: Path) -> dict:
    """``folder`` as ``cxsim run --html`` leaves it; the results document."""
    scenario = load_scenario(ROOT / "scenarios" / "ecommerce_ai_bot.yaml")
    explorer, journey_map = journey_explorer(2, size=30), JourneyMap()
    result = run_replications(scenario, 2, observers=[explorer, journey_map])
    document = results_document(result)
    (folder / "results.json").write_text(json.dumps(document, indent=2, allow_nan=False))
    journeys = journeys_document(explorer_entries(explorer.journeys), journey_map.as_dict())
    write_html_report(folder, document, journeys)
    return document


def mutated_text(document: dict, rng: random.Random) -> str:
    if rng.random() < 0.15:
        text = json.dumps(document)
        return rng.choice([truncate(text, rng), "", "\x00\xff", "[]", "null", "1e999"])
    mutated = json.loads(json.dumps(document))
    for _ in range(rng.randint(1, 3)):
        mutated = rng.choice(TREE_MUTATIONS)(mutated, rng)
    return json.dumps(mutated, allow_nan=True)


def check_document(folder: Path, text: str) -> Outcome:
    (folder / "results.json").write_text(text, errors="surrogateescape")
    try:
        with alarm(ALARM_S):
            report_from_folder(folder)
    except ReportError as error:
        if not str(error).startswith(str(folder)):
            return Outcome("traceback", f"a ReportError naming no file: {error}")
        return Outcome("refused")
    except Hang as hang:
        return Outcome("hang", str(hang))
    except Exception as error:  # anything else is a traceback for the user
        return Outcome("traceback", "".join(traceback.format_exception(error)))
    return Outcome("ran")
