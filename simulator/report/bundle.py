"""Putting a report folder together: results, plots, recorded journeys and the HTML page.

``cxsim run --html`` and ``cxsim report DIR`` both end here. The explorer's journeys are recorded
during the run (:func:`~simulator.observe.collector.journey_explorer`) and handed in as traced
journeys; they are saved, told and compact (:mod:`simulator.report.story.explorer`), in
``journeys.json`` beside ``results.json``, with the journey map when the run drew one, so a report
can be rebuilt from the folder alone. Nothing here simulates: it writes and reads files.

``journeys.json``::

    {"format": "cxsim journeys 2",
     "explorer": [{"id": 1042, "segment": ..., "steps": [[clock, f, state, changed, text]...]}],
     "map": {...} or null}

Older folders hold a plain list of entries with each journey's whole trace; they are read into
the same shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from simulator.errors import CxsimError
from simulator.observe.trace import TracedJourney
from simulator.report.files import write_atomic
from simulator.report.html import render_report
from simulator.report.plots import all_plots, write_plots
from simulator.report.story.explorer import entry_from_trace_json, explorer_entry

RESULTS = "results.json"
JOURNEYS = "journeys.json"
REPORT = "report.html"
#: The ``format`` of the journeys.json this version writes.
JOURNEYS_FORMAT = "cxsim journeys 2"


def explorer_entries(journeys: Iterable[TracedJourney]) -> list[dict[str, Any]]:
    """The explorer's entries for traced journeys: compact facts and told stories."""
    return [explorer_entry(traced) for traced in journeys]


def journeys_document(
    entries: Sequence[Mapping[str, Any]], journey_map: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What ``journeys.json`` holds: the explorer's entries and the journey map (if drawn)."""
    return {
        "format": JOURNEYS_FORMAT,
        "explorer": list(entries),
        "map": dict(journey_map) if journey_map is not None else None,
    }


def write_html_report(
    out: Path, document: Mapping[str, Any], journeys: Mapping[str, Any]
) -> list[Path]:
    """Write the PNG plots, journeys.json and report.html into ``out``; return the paths.

    ``journeys`` is a :func:`journeys_document`.
    """
    plots = all_plots(document)
    written = write_plots(document, out, plots)
    text = json.dumps(journeys, separators=(",", ":"), allow_nan=False) + "\n"
    written.append(write_atomic(out / JOURNEYS, text))
    page = render_report(document, plots, journeys.get("explorer") or [], journeys.get("map"))
    written.append(write_atomic(out / REPORT, page))
    return written


class ResultsFolderError(CxsimError, FileNotFoundError):
    """A folder ``cxsim report`` cannot rebuild a report from; the message says why."""


def read_journeys(path: Path) -> dict[str, Any]:
    """A saved journeys.json as a :func:`journeys_document` (an older list of entries, too);
    none saved: no journeys."""
    if not path.is_file():
        return journeys_document([])
    saved = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(saved, list):  # before "cxsim journeys 2": each entry kept its whole trace
        return journeys_document(
            [entry_from_trace_json(e.get("journey") or {}) for e in saved if isinstance(e, dict)]
        )
    return journeys_document(saved.get("explorer") or [], saved.get("map"))


def report_from_folder(folder: Path) -> list[Path]:
    """Rebuild the HTML report and plots of a results folder written by ``cxsim run``."""
    results = folder / RESULTS
    if not results.is_file():
        raise ResultsFolderError(
            f"{results}: no results.json here (run `cxsim run FILE --out DIR`)"
        )
    document = json.loads(results.read_text())
    return write_html_report(folder, document, read_journeys(folder / JOURNEYS))
