"""Tables, charts, narratives and self-contained HTML, made from result documents and records.

The report never runs a simulation: it reads what a run wrote (``results.json``,
``journeys.json``) or what the experiment hands it.

The names below are this package's entry points, importable from it directly; everything else
lives in its submodules. They load on first use (PEP 562), so importing one of them does not
import the whole package (the command line starts faster, and the report's matplotlib loads
only when a chart is drawn).
"""

from __future__ import annotations

from simulator.lazy import lazy_entry_points

#: Entry point -> the module that defines it.
_ENTRY_POINTS = {
    "ResultsFolderError": "simulator.report.bundle",
    "comparison_document": "simulator.report.comparison",
    "comparison_markdown": "simulator.report.comparison",
    "comparison_text": "simulator.report.comparison",
    "intervals_csv": "simulator.report.document",
    "render_report": "simulator.report.html",
    "render_text": "simulator.report.narrative",
    "report_from_folder": "simulator.report.bundle",
    "results_document": "simulator.report.document",
    "summary_text": "simulator.report.text",
    "write_atomic": "simulator.report.files",
    "write_html_report": "simulator.report.bundle",
}

__all__, __getattr__, __dir__ = lazy_entry_points(__name__, _ENTRY_POINTS)
