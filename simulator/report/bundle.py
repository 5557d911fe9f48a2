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

A folder given to ``cxsim report`` may hold anything: a truncated or edited ``results.json``, a
binary file, a device. Such files are read with a cap (:data:`~simulator.limits.MAX_RESULTS`) and
refused with a :class:`ReportError` naming the file (and the line and column of a JSON error),
and the whole page is drawn in memory before any file is written, so a document the page cannot
be drawn from leaves the folder as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from simulator.errors import CxsimError
from simulator.limits import MAX_RESULTS
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
#: What a results document holds at the top level, whatever else it holds.
DOCUMENT_KEYS = {"scenario": str, "metrics": dict, "effective_scenario": dict}


class ReportError(CxsimError, ValueError):
    """A results folder the report cannot be drawn from; the message names the file."""


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

    ``journeys`` is a :func:`journeys_document`. Everything is drawn before the first file is
    written."""
    plots = all_plots(document)
    return _write(out, document, journeys, plots, _page(document, plots, journeys))


class ResultsFolderError(CxsimError, FileNotFoundError):
    """A folder ``cxsim report`` cannot rebuild a report from; the message says why."""


def read_journeys(path: Path) -> dict[str, Any]:
    """A saved journeys.json as a :func:`journeys_document` (an older list of entries, too);
    none saved: no journeys. :class:`ReportError` if it is not one."""
    if not path.exists():
        return journeys_document([])
    saved = read_json(path)
    if isinstance(saved, list):  # before "cxsim journeys 2": each entry kept its whole trace
        if not all(isinstance(e, dict) for e in saved):
            raise ReportError(f"{path}: expected a list of journeys, as cxsim run --html writes")
        return journeys_document(
            [entry_from_trace_json(e.get("journey") or {}) for e in saved if isinstance(e, dict)]
        )
    entries = saved.get("explorer") if isinstance(saved, dict) else None
    journey_map = saved.get("map") if isinstance(saved, dict) else None
    if (
        not isinstance(entries, list)
        or not all(isinstance(e, dict) for e in entries)
        or not isinstance(journey_map, dict | None)
    ):
        raise ReportError(
            f"{path}: expected a list of journeys and a map, as cxsim run --html writes "
            f'({{"format": "{JOURNEYS_FORMAT}", "explorer": [...], "map": {{...}}}})'
        )
    return journeys_document(entries, journey_map)


def report_from_folder(folder: Path) -> list[Path]:
    """Rebuild the HTML report and plots of a results folder written by ``cxsim run``;
    :class:`ReportError` (or FileNotFoundError) when its files cannot make one."""
    results = folder / RESULTS
    if not results.exists():
        raise ResultsFolderError(
            f"{results}: no results.json here (run `cxsim run FILE --out DIR`)"
        )
    document = read_json(results)
    check_document(document, results)
    journeys = read_journeys(folder / JOURNEYS)
    try:
        plots = all_plots(document)
        page = _page(document, plots, journeys)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as error:
        # The page reads the files as cxsim run writes them; anything else cannot be drawn.
        raise ReportError(
            f"{results}: not a results document as cxsim run writes it "
            f"({type(error).__name__}: {error}); run the scenario again"
        ) from None
    return _write(folder, document, journeys, plots, page)


def _page(
    document: Mapping[str, Any], plots: Mapping[str, bytes], journeys: Mapping[str, Any]
) -> str:
    return render_report(document, plots, journeys.get("explorer") or [], journeys.get("map"))


def _write(
    out: Path,
    document: Mapping[str, Any],
    journeys: Mapping[str, Any],
    plots: dict[str, bytes],
    page: str,
) -> list[Path]:
    written = write_plots(document, out, plots)
    text = json.dumps(journeys, separators=(",", ":"), allow_nan=False) + "\n"
    written.append(write_atomic(out / JOURNEYS, text))
    written.append(write_atomic(out / REPORT, page))
    return written


def read_json(path: Path) -> Any:
    """The JSON in ``path``, read with a cap; :class:`ReportError` naming the place if it is
    not JSON text (NaN and Infinity, which cxsim never writes, included)."""
    cap = int(MAX_RESULTS.value)
    try:
        with path.open("rb") as handle:  # a folder raises IsADirectoryError here
            data = handle.read(cap + 1)
    except OSError as error:
        raise ReportError(f"{path}: cannot read ({error.strerror or error})") from None
    if len(data) > cap:
        raise ReportError(
            f"{path}: larger than {MAX_RESULTS.shown()}, the limit ({MAX_RESULTS.hint})"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReportError(f"{path}:{line}: not UTF-8 text (a binary file?)") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        where = f"{path}:{error.lineno}:{error.colno}"
        raise ReportError(f"{where}: not valid JSON ({error.msg})") from None
    except (ValueError, RecursionError) as error:
        raise ReportError(f"{path}: not valid JSON ({error})") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def check_document(document: Any, path: Path) -> None:
    """A :class:`ReportError` unless ``document`` has the shape of cxsim run's results."""
    if not isinstance(document, dict):
        raise ReportError(f"{path}: expected a JSON object (a results document of cxsim run)")
    for key, kind in DOCUMENT_KEYS.items():
        if not isinstance(document.get(key), kind):
            found = "missing" if key not in document else f"a {type(document[key]).__name__}"
            raise ReportError(
                f"{path}: '{key}' is {found}, expected a {kind.__name__} "
                "(not a results document of cxsim run?)"
            )
