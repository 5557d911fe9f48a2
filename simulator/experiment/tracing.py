"""Run one replication to follow customers through it: traces and same-customer comparisons.

``cxsim trace`` and the trace tests end here. A replication is recorded once, in this process,
with an :class:`~simulator.observe.collector.EventKeeper` (every event by customer, and the
finished records); choosing and describing customers is :mod:`simulator.observe.trace`'s job.
Memory grows with the customers of the run (every event is kept): fine for a day, not a year.
"""

from __future__ import annotations

from pathlib import Path

from simulator.experiment.replication import recorded_replication
from simulator.observe.collector import EventKeeper
from simulator.observe.trace import Run, TracedJourney, same_customer_in, sample_in, trace_in
from simulator.scenario import load_scenario
from simulator.scenario.schema import Scenario

__all__ = ["ScenarioLike", "collect", "sample_traces", "trace", "trace_pair"]

ScenarioLike = Scenario | str | Path


def _scenario(scenario: ScenarioLike) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def draw_seed(scenario: Scenario, seed: int | None, rng_seed: int | None) -> int:
    """The seed of a ``random`` pick: ``rng_seed`` when given, else the run's seed, so another
    ``--seed`` draws another customer (a fixed draw seed picked the same arrival rank, i.e. the
    same customer id, whatever the run)."""
    if rng_seed is not None:
        return rng_seed
    return scenario.seed if seed is None else seed


def collect(scenario: ScenarioLike, replication: int = 0, seed: int | None = None) -> Run:
    """Run one replication keeping every event: finished records, and events by customer id.

    The records are the customers counted after the warm-up who finished (resolved or gave up)
    before the run stopped; the events cover every customer, warm-up and unfinished ones too.
    """
    run: Run = recorded_replication(_scenario(scenario), replication, seed, EventKeeper())
    return run


def trace(
    scenario: ScenarioLike,
    how: str = "worst",
    *,
    segment: str | None = None,
    intent: str | None = None,
    customer: int | None = None,
    replication: int = 0,
    seed: int | None = None,
    rng_seed: int | None = None,
    run: Run | None = None,
) -> TracedJourney:
    """Run one replication and trace the customer chosen by
    :func:`~simulator.observe.trace.pick`.

    ``run`` is the result of :func:`collect` for the same scenario, replication and seed, to
    trace several customers of one run without simulating it again. A ``random`` pick draws with
    ``rng_seed``, by default the run's seed (:func:`draw_seed`).
    """
    scenario = _scenario(scenario)
    recorded = collect(scenario, replication, seed) if run is None else run
    return trace_in(
        recorded,
        scenario,
        how,
        segment=segment,
        intent=intent,
        customer=customer,
        replication=replication,
        seed=seed,
        rng_seed=draw_seed(scenario, seed, rng_seed),
    )


def sample_traces(
    scenario: ScenarioLike,
    *,
    sample: int = 5,
    replication: int = 0,
    seed: int | None = None,
    rng_seed: int | None = None,
) -> list[TracedJourney]:
    """The worst, typical and best customers and ``sample`` random others, all distinct, of ONE run.

    Fewer come back when the run has fewer finished customers (see
    :func:`~simulator.observe.trace.sample_picks`).
    """
    scenario = _scenario(scenario)
    return sample_in(
        collect(scenario, replication, seed),
        scenario,
        sample=sample,
        replication=replication,
        seed=seed,
        rng_seed=draw_seed(scenario, seed, rng_seed),
    )


def trace_pair(
    base: ScenarioLike,
    variant: ScenarioLike,
    *,
    how: str = "worst",
    segment: str | None = None,
    intent: str | None = None,
    customer: int | None = None,
    replication: int = 0,
    seed: int | None = None,
    rng_seed: int | None = None,
) -> tuple[TracedJourney, TracedJourney]:
    """The same customer in two scenarios, chosen by ``how`` (or ``customer``) in ``base``.

    Same id means the same person (arrival, segment, intent, patience) when both scenarios
    describe the same demand with the same seed; otherwise, or when the customer did not finish
    in ``variant``, a :class:`~simulator.observe.trace.TraceError` says so.
    """
    base_scenario, variant_scenario = _scenario(base), _scenario(variant)
    first = trace(
        base_scenario,
        how,
        segment=segment,
        intent=intent,
        customer=customer,
        replication=replication,
        seed=seed,
        rng_seed=rng_seed,
    )
    second = same_customer_in(
        first,
        collect(variant_scenario, replication, seed),
        variant_scenario,
        base_name=base_scenario.name,
        replication=replication,
        seed=seed,
    )
    return first, second
