"""One replication of one scenario: the only place that builds and runs a ``World``.

Everything that simulates goes through here, whether it runs many replications in worker
processes (:mod:`simulator.experiment.replicate`, sweeps, staffing searches) or one in this
process (traces): :func:`run_replication` returns the results dictionary,
:func:`replication_counts` the raw counts, :func:`observed_replication` the results and what the
observers' recorders made of the same run. One run feeds every observer: each event goes to
every recorder of the replication, in the order they were given (:func:`fan_out`). The
functions are module-level so process pools and Dask can pickle them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator.model.world import World
from simulator.observe.counts import RunCounts
from simulator.observe.events import JourneyEvent, Recorder
from simulator.observe.observer import RecorderFactory, ReplicationRecorder
from simulator.observe.results import replication_results
from simulator.scenario.schema import Scenario


def run_replication(scenario: Scenario, replication: int, seed: int | None = None) -> dict:
    """Run one replication and return its KPIs (a plain dict, cheap to send between processes)."""
    counts = World(scenario, replication, seed).run().counts()
    return replication_results(counts, scenario)


def replication_counts(scenario: Scenario, replication: int, seed: int | None = None) -> RunCounts:
    """Run one replication and return what it counted, before any summary."""
    return World(scenario, replication, seed).run().counts()


def fan_out(recorders: Sequence[Recorder]) -> Recorder | None:
    """One recorder calling each of ``recorders`` in turn; ``None`` for none, itself for one.

    With no recorder the engine pays one ``None`` check per step; with one, no extra call.
    """
    if not recorders:
        return None
    if len(recorders) == 1:
        return recorders[0]
    every = tuple(recorders)

    def each_in_turn(event: JourneyEvent) -> None:
        for recorder in every:
            recorder(event)

    return each_in_turn


def _recorded_world(
    scenario: Scenario, replication: int, seed: int, recorders: Sequence[ReplicationRecorder]
) -> tuple[World, list[Any]]:
    """Run one replication with ``recorders`` attached; the world and each recorder's product.

    If the run or a recorder fails, or the run is interrupted, every recorder is aborted (a part
    file written so far is removed) before the error goes on.
    """
    keep = any(recorder.keeps_records for recorder in recorders)
    try:
        world = World(scenario, replication, seed, keep_journeys=keep, recorder=fan_out(recorders))
        world.run()
        records = world.journeys if world.journeys is not None else []
        return world, [r.finish(records if r.keeps_records else ()) for r in recorders]
    except BaseException:
        for recorder in recorders:
            recorder.abort()
        raise


def observed_replication(
    scenario: Scenario, replication: int, seed: int, factories: Sequence[RecorderFactory]
) -> tuple[dict, dict[int, Any]]:
    """Run one replication for its KPIs and for the observers whose ``factories`` watch it.

    Returns the results dictionary and the products by factory position (an observer that
    does not watch this replication has no entry).
    """
    recorders = {}
    for position, factory in enumerate(factories):
        recorder = factory(scenario, replication, seed)
        if recorder is not None:
            recorders[position] = recorder
    world, products = _recorded_world(scenario, replication, seed, list(recorders.values()))
    results = replication_results(world.counts(), scenario)
    return results, dict(zip(recorders, products, strict=True))


def recorded_replication(
    scenario: Scenario, replication: int, seed: int | None, recorder: ReplicationRecorder
) -> Any:
    """Run one replication for one recorder alone (a trace); its product."""
    seed = scenario.seed if seed is None else seed
    _world, (product,) = _recorded_world(scenario, replication, seed, [recorder])
    return product
