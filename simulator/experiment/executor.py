"""Where simulations run: serially, in a local process pool, or on a Dask cluster.

Every simulating command (``run``, ``compare``, ``sweep``, ``staff``) opens one executor with
:func:`open_executor` and hands it to the library, which submits *tasks*: one replication of
one scenario, ``run_replication(scenario, r, seed)``. Replication ``r`` draws from streams
seeded by ``(seed, r, purpose)``, so a task's result does not depend on which worker ran it or
when: results are identical whichever executor ran them (a test checks this for Dask).

Both pools are plain :class:`concurrent.futures.Executor` s (Dask's ``Client.get_executor()``
is one), so there is no home-made scheduler here, only the choice of pool and a loop that
collects results as they finish.

Local workers end when the command that started them dies, however it dies: ``kill -9`` leaves
no pool behind holding memory and the caller's output pipe. A worker is a child of the
forkserver, not of the command, and the forkserver outlives the command as long as a worker
holds its end of their "alive" pipe, which every worker does. So each worker watches the
command itself (:func:`_watch_parent`): a thread looks every half second whether the command
is still the process it was (a zombie or a reused pid is not) and whether the worker's parent
changed, and ends the worker if not; on Linux the kernel also kills it the moment the
forkserver goes (``PR_SET_PDEATHSIG``). ``tests/experiment/test_executor.py`` kills a sweep
with ``kill -9`` and counts what is left 5 s later.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from simulator.errors import CxsimError

Progress = Callable[[int, int], None]

#: How often a worker's watchdog looks for its parent and the command (seconds).
WATCH_INTERVAL_S = 0.5
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

#: Exact install hint printed when ``--scheduler`` is used without the extra.
DASK_HINT = "install the Dask extra: pip install 'cxsim[dask]'"


class ExecutorError(CxsimError, RuntimeError):
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
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_watch_parent,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    except BaseException:
        _stop_now(pool)
        raise
    finally:
        pool.shutdown(cancel_futures=True)


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """End the workers at once when the command fails or is interrupted: ``shutdown`` would
    wait for the replications they are running (and the ones already queued to them), minutes
    for a replication stopped only by the event limit, for results nobody will read."""
    # ProcessPoolExecutor has no public way to end running tasks: its processes, by name,
    # taken before shutdown forgets them.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def _watch_parent(command_pid: int) -> None:
    """A local worker's initializer: end this worker when its parent (the forkserver) or the
    command (``command_pid``) is gone, so that no worker outlives a killed command."""
    parent = os.getppid()
    _signal_on_parent_death()
    command = _identity(command_pid)
    if command is None:  # the command died while the forkserver was starting this worker
        os._exit(1)
    watchdog = threading.Thread(
        target=_watch,
        args=(parent, command_pid, command),
        name="cxsim-watch-parent",
        daemon=True,
    )
    watchdog.start()


def _signal_on_parent_death() -> None:
    """Ask Linux to send SIGKILL when the parent exits (elsewhere the watchdog does it)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no libc to call: the watchdog is enough
        pass


def _watch(parent: int, command_pid: int, command: str | None) -> None:
    while True:
        time.sleep(WATCH_INTERVAL_S)
        if os.getppid() != parent or _identity(command_pid) != command:
            os._exit(1)  # no cleanup to wait for: the results have nowhere to go


def _identity(pid: int) -> str | None:
    """Who ``pid`` is: its start time where /proc tells it (a pid reused by another process
    has another), ``"alive"`` elsewhere; None once it is dead, a zombie included."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None if Path("/proc/self/stat").exists() else _signal_zero(pid)
    except OSError:
        return _signal_zero(pid)
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) "
    return None if fields[0] in ("Z", "X") else fields[19]  # the state, then the start time


def _signal_zero(pid: int) -> str | None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # exists, run by someone else
        pass
    return "alive"


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
