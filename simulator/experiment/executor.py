"""Where simulations run: serially, in a local process pool, or on a Dask cluster.

Every simulating command (``run``, ``compare``, ``sweep``, ``staff``) opens one executor with
:func:`open_executor` and hands it to the library, which submits *tasks*: one replication of
one scenario, ``run_replication(scenario, r, seed)``. Replication ``r`` draws from streams
seeded by ``(seed, r, purpose)``, so a task's result does not depend on which worker ran it or
when: results are identical whichever executor ran them (a test checks this for Dask).

Both pools are plain :class:`concurrent.futures.Executor` s (Dask's ``Client.get_executor()``
is one), so there is no home-made scheduler here, only the choice of pool and a loop that
collects results as they finish.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any

Progress = Callable[[int, int], None]

#: Exact install hint printed when ``--scheduler`` is used without the extra.
DASK_HINT = "install the Dask extra: pip install 'cxsim[dask]'"


class ExecutorError(RuntimeError):
    """An executor could not be opened (no Dask, unreachable scheduler): a user problem."""


def default_workers() -> int:
    """One worker per core: replications are CPU-bound and share nothing."""
    return os.cpu_count() or 1


@contextmanager
def open_executor(
    workers: int | None = None, scheduler: str | None = None, tasks: int | None = None
) -> Iterator[Executor | None]:
    """Yield the executor to submit tasks to, or ``None`` to run them in this process.

    ``scheduler`` (e.g. ``tcp://10.0.0.5:8786``) connects to a Dask cluster; otherwise
    ``workers`` local processes (default: one per core) are started, but only when there is
    more than one worker and more than one task, since a pool costs about a second to start.
    """
    if scheduler:
        with _dask_executor(scheduler) as executor:
            yield executor
        return
    workers = default_workers() if workers is None else workers
    if tasks is not None:
        workers = min(workers, tasks)
    if workers <= 1:
        yield None
        return
    # forkserver, not fork: forking a process whose numeric libraries already started threads
    # can deadlock the children. The server imports the engine once, so every worker forked
    # from it starts with numpy, scipy and simpy loaded instead of importing them again.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["simulator.experiment.replication"])
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


@contextmanager
def _dask_executor(address: str) -> Iterator[Executor]:
    try:
        from distributed import Client
    except ImportError as error:
        raise ExecutorError(f"--scheduler {address}: Dask is not installed; {DASK_HINT}") from error
    # How long to try to reach the scheduler before giving up (a dask duration, e.g. "30s").
    timeout = os.environ.get("CXSIM_SCHEDULER_TIMEOUT", "10s")
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as error:
        raise ExecutorError(
            f"--scheduler {address}: cannot reach the Dask scheduler ({error}); "
            "check the address and that `dask scheduler` is running there"
        ) from error
    try:
        yield client.get_executor()
    finally:
        client.close()


def run_tasks(
    function: Callable[..., Any],
    arguments: Sequence[tuple[Any, ...]],
    executor: Executor | None = None,
    progress: Progress | None = None,
    on_result: Callable[[int, Any], None] | None = None,
) -> list[Any]:
    """``[function(*args) for args in arguments]``, through ``executor`` when there is one.

    Results come back in the order of ``arguments`` whatever order the workers finish in.
    ``progress(done, total)`` and ``on_result(index, result)`` are called in this process as
    each task finishes, so a caller can store finished work before the rest is done (sweeps
    do, to be resumable).
    """
    total = len(arguments)
    results: list[Any] = [None] * total
    if progress:
        progress(0, total)
    if executor is None:
        for index, args in enumerate(arguments):
            results[index] = function(*args)
            if on_result:
                on_result(index, results[index])
            if progress:
                progress(index + 1, total)
        return results
    futures = {executor.submit(function, *args): i for i, args in enumerate(arguments)}
    try:
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            results[index] = future.result()
            if on_result:
                on_result(index, results[index])
            if progress:
                progress(done, total)
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return results
