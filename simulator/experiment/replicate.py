"""Independent replications of a scenario, run serially or through a ``concurrent.futures`` pool.

Replication ``r`` draws from streams seeded by ``(seed, r, purpose)``, so its numbers do not
depend on which worker ran it or in which order: results are identical with any executor.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from simulator.experiment.stats import Estimate, estimate
from simulator.model.world import run_replication
from simulator.scenario.schema import Scenario

Progress = Callable[[int, int], None]


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


def default_workers() -> int:
    return os.cpu_count() or 1


def run_replications(
    scenario: Scenario,
    replications: int,
    seed: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> RunResult:
    """Run ``replications`` independent replications and summarise them.

    ``workers > 1`` uses a local process pool; pass ``executor`` to use another (e.g. Dask's).
    ``progress(done, total)`` is called as replications finish.
    """
    if replications < 1:
        raise ValueError("replications must be at least 1")
    seed = scenario.seed if seed is None else seed
    started = time.perf_counter()
    results: list[dict[str, Any] | None] = [None] * replications
    if progress:
        progress(0, replications)
    own_pool = None
    if executor is None and workers > 1 and replications > 1:
        # forkserver, not fork: forking a process whose numeric libraries already started
        # threads can deadlock the children.
        executor = own_pool = ProcessPoolExecutor(
            max_workers=min(workers, replications),
            mp_context=multiprocessing.get_context("forkserver"),
        )
    try:
        if executor is None:
            for r in range(replications):
                results[r] = run_replication(scenario, r, seed)
                if progress:
                    progress(r + 1, replications)
        else:
            futures = {
                executor.submit(run_replication, scenario, r, seed): r for r in range(replications)
            }
            for done, future in enumerate(as_completed(futures), start=1):
                results[futures[future]] = future.result()
                if progress:
                    progress(done, replications)
    finally:
        if own_pool is not None:
            own_pool.shutdown(cancel_futures=True)
    per_rep = [r for r in results if r is not None]
    customers = int(sum(r["simulated"]["customers"] for r in per_rep))
    return RunResult(
        scenario=scenario,
        seed=seed,
        replications=replications,
        per_replication=per_rep,
        elapsed_s=time.perf_counter() - started,
        customers=customers,
    )


_ABSENT = object()


def summarize(per_replication: Sequence[Any]) -> Any:
    """Combine same-shaped per-replication structures: numbers become :class:`Estimate` s.

    Mappings keyed by what happened (context losses by hand-off, switches by channel pair, bot
    failures by intent) can have keys in some replications only: a missing count is a zero, not
    a reason to drop the key or fail. Keys keep the order in which replications first show them.
    """
    present = [v for v in per_replication if v is not _ABSENT]
    first = present[0]
    if isinstance(first, dict):
        keys: dict[Any, None] = {}
        for rep in present:
            keys.update(dict.fromkeys(rep))
        return {
            key: summarize(
                [
                    rep.get(key, _ABSENT) if rep is not _ABSENT else _ABSENT
                    for rep in per_replication
                ]
            )
            for key in keys
        }
    if isinstance(first, list):
        return [summarize([rep[i] for rep in present]) for i in range(len(first))]
    if isinstance(first, int | float):
        return estimate([0.0 if x is _ABSENT else float(x) for x in per_replication])
    return first  # labels and other constants


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
