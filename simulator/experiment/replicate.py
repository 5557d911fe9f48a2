"""Independent replications of a scenario, run serially or through a ``concurrent.futures`` pool.

Replication ``r`` draws from streams seeded by ``(seed, r, purpose)``, so its numbers do not
depend on which worker ran it or in which order: results are identical with any executor.
Observers (an event log, traced journeys) ride along with the same replications, so one run
feeds the results and every observer (see :func:`run_replications`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simulator.experiment.executor import Progress, open_executor, run_tasks
from simulator.experiment.executor import default_workers as default_workers
from simulator.experiment.replication import observed_replication, run_replication
from simulator.experiment.stats import Estimate, estimate, estimate_rows
from simulator.observe.observer import Observer
from simulator.scenario.schema import Scenario


@dataclass
class RunResult:
    """Everything a run produced: per-replication KPIs and their summary with CIs.

    ``customers`` counts every customer simulated in all replications, warm-up included.
    """

    scenario: Scenario
    seed: int
    replications: int
    per_replication: list[dict[str, Any]]
    elapsed_s: float = 0.0
    customers: int = 0
    summary: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.summary:
            self.summary = summarize(self.per_replication)


def run_replications(
    scenario: Scenario,
    replications: int,
    seed: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    executor: Executor | None = None,
    observers: Sequence[Observer] = (),
) -> RunResult:
    """Run ``replications`` independent replications and summarise them.

    ``workers > 1`` opens a local process pool for this call; pass ``executor`` to use one the
    caller opened (see :func:`~simulator.experiment.executor.open_executor`), e.g. Dask's.
    ``progress(done, total)`` is called as replications finish.

    ``observers`` watch the same runs (:mod:`simulator.observe.observer`): each replication is
    simulated once, wherever it runs, and every event goes to each observer's recorder for it;
    the observers receive the products here, as replications finish.
    """
    if executor is not None:
        return run_many([scenario], replications, seed, executor, progress, observers=observers)[0]
    with open_executor(workers, tasks=replications) as pool:
        return run_many([scenario], replications, seed, pool, progress, observers=observers)[0]


def extend(result: RunResult, more: RunResult) -> RunResult:
    """One result holding the replications of both (``more`` continuing ``result``)."""
    return RunResult(
        scenario=result.scenario,
        seed=result.seed,
        replications=result.replications + more.replications,
        per_replication=result.per_replication + more.per_replication,
        elapsed_s=result.elapsed_s + more.elapsed_s,
        customers=result.customers + more.customers,
    )


def run_many(
    scenarios: Sequence[Scenario],
    replications: int,
    seed: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    first: int = 0,
    observers: Sequence[Observer] = (),
    observers_by_scenario: Sequence[Sequence[Observer]] = (),
) -> list[RunResult]:
    """Replications ``first..first+n-1`` of every scenario, all submitted at once.

    Submitting everything together keeps every worker busy. Every scenario uses the same
    ``seed`` (default: the first scenario's), so replication ``r`` of each sees the same
    customers wherever their demand is the same: the ground of paired comparisons, sweeps and
    staffing searches. ``first`` lets a caller add replications to ones it already has.
    ``observers`` (see :func:`run_replications`) watch the replications of one scenario;
    ``observers_by_scenario`` gives each scenario its own (one sequence per scenario, in order),
    as a comparison that follows the same customers through every design does.
    """
    if replications < 1:
        raise ValueError("replications must be at least 1")
    if not scenarios:
        return []
    if observers and len(scenarios) > 1:
        raise ValueError("observers watch the replications of one scenario at a time")
    watchers = [list(group) for group in observers_by_scenario] or [list(observers)]
    if observers_by_scenario and len(watchers) != len(scenarios):
        raise ValueError("observers_by_scenario needs one sequence of observers per scenario")
    seed = scenarios[0].seed if seed is None else seed
    started = time.perf_counter()
    replication_numbers = range(first, first + replications)
    if any(watchers):
        flat = _observed(scenarios, replication_numbers, seed, executor, progress, watchers)
    else:
        tasks = [(scenario, r, seed) for scenario in scenarios for r in replication_numbers]
        flat = run_tasks(run_replication, tasks, executor, progress)
    elapsed = time.perf_counter() - started
    results = []
    for i, scenario in enumerate(scenarios):
        per_rep = flat[i * replications : (i + 1) * replications]
        results.append(
            RunResult(
                scenario=scenario,
                seed=seed,
                replications=replications,
                per_replication=per_rep,
                elapsed_s=elapsed,
                customers=int(sum(r["simulated"]["customers"] for r in per_rep)),
            )
        )
    return results


def _observed(
    scenarios: Sequence[Scenario],
    replication_numbers: range,
    seed: int,
    executor: Executor | None,
    progress: Progress | None,
    watchers: Sequence[Sequence[Observer]],
) -> list[dict[str, Any]]:
    """Each replication's KPIs, scenario by scenario; the products of the observers watching a
    scenario go to them as its replications finish."""
    factories = [tuple(observer.factory for observer in group) for group in watchers]
    tasks = [
        (scenario, r, seed, factories[i] if i < len(factories) else ())
        for i, scenario in enumerate(scenarios)
        for r in replication_numbers
    ]

    def hand_over(index: int, outcome: tuple[dict[str, Any], dict[int, Any]]) -> None:
        scenario_index, k = divmod(index, len(replication_numbers))
        for position, product in outcome[1].items():
            watchers[scenario_index][position].receive(replication_numbers[k], product)

    outcomes = run_tasks(observed_replication, tasks, executor, progress, on_result=hand_over)
    return [results for results, _products in outcomes]


_ABSENT = object()


#: Numbers waiting to become estimates: ``(mapping or list, its keys or indices, the values by
#: replication)``.
Pending = list[tuple[dict[Any, Any] | list[Any], list[Any], list[tuple[float, ...]]]]


def summarize(per_replication: Sequence[Any]) -> Any:
    """Combine same-shaped per-replication structures: numbers become :class:`Estimate` s.

    Mappings keyed by what happened (context losses by hand-off, switches by channel pair, bot
    failures by intent) can have keys in some replications only: a missing count is a zero, not
    a reason to drop the key or fail. Keys keep the order in which replications first show them.

    A run has thousands of KPIs (every scope of every interval): a mapping of numbers with the
    same keys in every replication (one scope's KPIs), or a list of numbers as long in every
    replication (a distribution), is queued whole, and all the queued numbers are estimated
    together at the end (:func:`estimate_rows`), not one call per number.
    """
    pending: Pending = []
    summary = _summarize(per_replication, pending)
    if pending:
        values = np.array([row for _, _, rows in pending for row in rows], dtype=float)
        estimates = iter(estimate_rows(values))
        for target, keys, _ in pending:
            for key in keys:
                target[key] = next(estimates)
    return summary


def _summarize(per_replication: Sequence[Any], pending: Pending) -> Any:
    """:func:`summarize`, the numbers of same-keyed mappings left in ``pending``."""
    present = [v for v in per_replication if v is not _ABSENT]
    first = present[0]
    if isinstance(first, dict) and len(present) == len(per_replication):
        keys = list(first)
        if all(list(rep) == keys for rep in per_replication):
            return _summarize_same_keys(per_replication, keys, pending)
    if isinstance(first, dict):
        every_key: dict[Any, None] = {}
        for rep in present:
            every_key.update(dict.fromkeys(rep))
        return {
            key: _summarize(
                [
                    rep.get(key, _ABSENT) if rep is not _ABSENT else _ABSENT
                    for rep in per_replication
                ],
                pending,
            )
            for key in every_key
        }
    if isinstance(first, list):
        if _numbers_alike(per_replication, first):  # a distribution: queued whole, as above
            out: list[Any] = [None] * len(first)
            pending.append((out, list(range(len(first))), list(zip(*per_replication, strict=True))))
            return out
        return [_summarize([rep[i] for rep in present], pending) for i in range(len(first))]
    if isinstance(first, int | float):
        return estimate([0.0 if x is _ABSENT else float(x) for x in per_replication])
    return first  # labels and other constants


def _numbers_alike(per_replication: Sequence[Any], first: list[Any]) -> bool:
    """Whether every replication has a list of numbers as long as ``first`` (a distribution
    over answers or frustration bands: dozens per scope and interval)."""
    return all(type(v) is float or type(v) is int for v in first) and all(
        type(rep) is list and len(rep) == len(first) for rep in per_replication
    )


def _summarize_same_keys(
    per_replication: Sequence[dict[Any, Any]], keys: list[Any], pending: Pending
) -> dict[Any, Any]:
    """Mappings with the same keys in the same order (the common case). Their numbers are
    queued, in one block when every value is a number (a KPI is a number in every replication
    or in none: one code computed them all)."""
    out: dict[Any, Any] = dict.fromkeys(keys)  # the keys' order; estimates filled in later
    first = per_replication[0]
    if all(type(v) is float or type(v) is int for v in first.values()):
        pending.append(
            (out, keys, list(zip(*(rep.values() for rep in per_replication), strict=True)))
        )
        return out
    numbers = []
    for key, value in first.items():
        values = [rep[key] for rep in per_replication]
        if type(value) is float or type(value) is int:
            numbers.append((key, tuple(values)))
        else:
            out[key] = _summarize(values, pending)
    if numbers:
        pending.append((out, [key for key, _ in numbers], [values for _, values in numbers]))
    return out


def to_jsonable(summary: Any) -> Any:
    """Estimates as ``{"mean", "ci_low", "ci_high"}``; NaN as null."""
    if isinstance(summary, Estimate):
        return summary.as_dict()
    if isinstance(summary, dict):
        return {k: to_jsonable(v) for k, v in summary.items()}
    if isinstance(summary, list):
        return [to_jsonable(v) for v in summary]
    if isinstance(summary, float) and math.isnan(summary):
        return None
    return summary
