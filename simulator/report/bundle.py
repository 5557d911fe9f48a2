"""Putting a report folder together: results, plots, traced journeys and the HTML page.

``cxsim run --html`` and ``cxsim report DIR`` both end here. The explorer's traced journeys are
recorded during the run (:class:`~simulator.observe.collector.JourneyCollector`) and handed in;
they are saved as ``journeys.json`` beside ``results.json``, so a report can be rebuilt from the
folder alone. Nothing here simulates: it writes and reads files and records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from simulator.observe.trace import TracedJourney
from simulator.report import narrative
from simulator.report.files import write_atomic
from simulator.report.html import render_report
from simulator.report.plots import all_plots, write_plots

RESULTS = "results.json"
JOURNEYS = "journeys.json"
REPORT = "report.html"


def explorer_entries(journeys: Iterable[TracedJourney]) -> list[dict[str, Any]]:
    """The explorer's entries for traced journeys, ready for the page and ``journeys.json``."""
    return [
        {
            "id": str(traced.record.cid),
            "label": narrative.summary_line(traced),
            "pick": traced.pick,
            "timeline_html": narrative.render_html_fragment(traced),
            "journey": narrative.to_json(traced),
        }
        for traced in journeys
    ]


def write_html_report(
    out: Path, document: dict[str, Any], explorer: list[dict[str, Any]]
) -> list[Path]:
    """Write the PNG plots, journeys.json and report.html into ``out``; return the paths."""
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
