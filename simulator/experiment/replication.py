"""One replication of one scenario: the only place that builds and runs a ``World``.

Everything that simulates goes through here, whether it runs many replications in worker
processes (:mod:`simulator.experiment.replicate`, sweeps, staffing searches) or one in this
process (traces): :func:`run_replication` returns the results dictionary,
:func:`replication_counts` the raw counts. The functions are module-level so process pools and
Dask can pickle them.
"""

from __future__ import annotations

from simulator.model.world import World
from simulator.observe.counts import RunCounts
from simulator.observe.results import replication_results
from simulator.scenario.schema import Scenario


def run_replication(scenario: Scenario, replication: int, seed: int | None = None) -> dict:
    """Run one replication and return its KPIs (a plain dict, cheap to send between processes)."""
    counts = World(scenario, replication, seed).run().counts()
    return replication_results(counts, scenario)


def replication_counts(scenario: Scenario, replication: int, seed: int | None = None) -> RunCounts:
    """Run one replication and return what it counted, before any summary."""
    return World(scenario, replication, seed).run().counts()
