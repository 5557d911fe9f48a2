"""The SimPy world of one replication: customers, queues, agents, bots and their journeys.

Only :mod:`simulator.experiment` builds and runs a :class:`World`; it hands its counts to
:mod:`simulator.observe` and its journey events to the observers a run asks for.

The names below are this package's entry points, importable from it directly; everything else
lives in its submodules. They load on first use (PEP 562), so importing one of them does not
import the whole package (the command line starts faster, and the report's matplotlib loads
only when a chart is drawn).
"""

from __future__ import annotations

from simulator.lazy import lazy_entry_points

#: Entry point -> the module that defines it.
_ENTRY_POINTS = {
    "CustomerSource": "simulator.model.customers",
    "World": "simulator.model.world",
    "after_event": "simulator.model.frustration",
    "after_wait": "simulator.model.frustration",
    "stream": "simulator.model.rng",
}

__all__, __getattr__, __dir__ = lazy_entry_points(__name__, _ENTRY_POINTS)
