"""Putting a report folder together: results, plots, traced journeys and the HTML page.

``cxsim run --html`` and ``cxsim report DIR`` both end here. The explorer's traced journeys are
saved as ``journeys.json`` beside ``results.json``, so a report can be rebuilt from the folder
alone, without simulating again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator.report.files import write_atomic
from simulator.scenario.schema import Scenario

RESULTS = "results.json"
JOURNEYS = "journeys.json"
REPORT = "report.html"


def explorer_entries(scenario: Scenario, seed: int, sample: int = 5) -> list[dict[str, Any]]:
    """Worst, typical, best and a sample of customers of replication 0, ready for the page."""
    from simulator.observe.trace import sample_traces
    from simulator.report import narrative

    entries = []
    for traced in sample_traces(scenario, sample=sample, replication=0, seed=seed):
        entries.append(
            {
                "id": str(traced.record.cid),
                "label": narrative.summary_line(traced),
                "pick": traced.pick,
                "timeline_html": narrative.render_html_fragment(traced),
                "journey": narrative.to_json(traced),
            }
        )
    return entries


def write_html_report(
    out: Path, document: dict[str, Any], explorer: list[dict[str, Any]]
) -> list[Path]:
    """Write the PNG plots, journeys.json and report.html into ``out``; return the paths."""
    from simulator.report.html import render_report
    from simulator.report.plots import all_plots, write_plots

    plots = all_plots(document)
    written = write_plots(document, out, plots)
    written.append(write_atomic(out / JOURNEYS, json.dumps(explorer, indent=1) + "\n"))
    written.append(write_atomic(out / REPORT, render_report(document, plots, explorer)))
    return written


def report_from_folder(folder: Path) -> list[Path]:
    """Rebuild the HTML report and plots of a results folder written by ``cxsim run``."""
    results = folder / RESULTS
    if not results.is_file():
        raise FileNotFoundError(f"{results}: no results.json here (run `cxsim run FILE --out DIR`)")
    document = json.loads(results.read_text())
    journeys = folder / JOURNEYS
    explorer = json.loads(journeys.read_text()) if journeys.is_file() else []
    return write_html_report(folder, document, explorer)
