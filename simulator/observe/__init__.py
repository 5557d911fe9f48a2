"""What happened, as data: journey events, counting cells, results and costs, event logs, traces.

Observers consume the engine's events and counts; they never build or run a world.

The names below are this package's entry points, importable from it directly; everything else
lives in its submodules. They load on first use (PEP 562), so importing one of them does not
import the whole package (the command line starts faster, and the report's matplotlib loads
only when a chart is drawn).
"""

from __future__ import annotations

from simulator.lazy import lazy_entry_points

#: Entry point -> the module that defines it.
_ENTRY_POINTS = {
    "EventLogError": "simulator.observe.eventlog",
    "EventLogParts": "simulator.observe.eventlog_parts",
    "EventLogWriter": "simulator.observe.eventlog",
    "JourneyCell": "simulator.observe.journey",
    "JourneyCollector": "simulator.observe.collector",
    "JourneyEvent": "simulator.observe.events",
    "JourneyRecord": "simulator.observe.journey",
    "Observer": "simulator.observe.observer",
    "Recorder": "simulator.observe.events",
    "RunCounts": "simulator.observe.counts",
    "TraceError": "simulator.observe.trace",
    "TracedJourney": "simulator.observe.trace",
    "pick": "simulator.observe.trace",
    "replication_results": "simulator.observe.results",
    "run_costs": "simulator.observe.costs",
}

__all__, __getattr__, __dir__ = lazy_entry_points(__name__, _ENTRY_POINTS)
