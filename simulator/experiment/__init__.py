"""Many runs: replications with confidence intervals, what-if comparisons, sweeps, traces.

The only package that runs worlds (:mod:`~simulator.experiment.replication`), serially or
through a ``concurrent.futures`` executor (local processes or Dask).

The names below are this package's entry points, importable from it directly; everything else
lives in its submodules. They load on first use (PEP 562), so importing one of them does not
import the whole package (the command line starts faster, and the report's matplotlib loads
only when a chart is drawn).
"""

from __future__ import annotations

from simulator.lazy import lazy_entry_points

#: Entry point -> the module that defines it.
_ENTRY_POINTS = {
    "Comparison": "simulator.experiment.compare",
    "Estimate": "simulator.experiment.stats",
    "ExecutorError": "simulator.experiment.executor",
    "RunResult": "simulator.experiment.replicate",
    "SweepError": "simulator.experiment.sweep",
    "collect": "simulator.experiment.tracing",
    "compare": "simulator.experiment.compare",
    "estimate": "simulator.experiment.stats",
    "open_executor": "simulator.experiment.executor",
    "run_many": "simulator.experiment.replicate",
    "run_replication": "simulator.experiment.replication",
    "run_replications": "simulator.experiment.replicate",
    "trace": "simulator.experiment.tracing",
    "trace_pair": "simulator.experiment.tracing",
    "write_event_log": "simulator.experiment.event_log",
}

__all__, __getattr__, __dir__ = lazy_entry_points(__name__, _ENTRY_POINTS)
