"""How replications scale with local worker processes, through ``run_many`` as the CLI uses it.

    python benchmarks/bench_scaling.py                 # 1 and 2 workers (this machine: 2 cores)
    python benchmarks/bench_scaling.py --workers 1,2,4 --replications 160 --repeat 5

Runs the same replications of ``scenarios/retail_bank_siloed.yaml`` serially and with N
workers, checks the results are identical, and prints customers per second and the speed-up.

Three figures per N, each the best of ``--repeat`` timings (the usual way to read a benchmark
on a shared machine: noise only ever adds time):

- *end to end*: starting the pool included, what a user waits for;
- *warm*: a pool that already ran one task per worker, against a serial run in a process that
  already ran one replication; what a long sweep or staffing search sees;
- *ceiling*: N independent processes, each running its share of the replications serially,
  against one such process alone. No executor can beat this: it is what the machine's cores
  give when nothing is shared (a virtual machine's cores may give well under N).

The machine must be otherwise idle for the figures to mean anything.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.experiment.executor import open_executor  # noqa: E402
from simulator.experiment.replicate import RunResult, run_many  # noqa: E402
from simulator.scenario import load_scenario  # noqa: E402

SCENARIO = ROOT / "scenarios" / "retail_bank_siloed.yaml"


def timed(workers: int, replications: int, warm: bool) -> tuple[float, RunResult]:
    """Seconds for ``replications`` through ``workers`` (1: in this process), and the result."""
    scenario = load_scenario(SCENARIO)
    with open_executor(workers, tasks=replications) as pool:
        if warm:
            run_many([scenario], max(workers, 1), executor=pool)  # start and warm every worker
        started = time.perf_counter()
        result = run_many([scenario], replications, executor=pool)[0]
        return time.perf_counter() - started, result


def _share(replications: int, start: multiprocessing.synchronize.Barrier, out) -> None:
    """One independent process of the ceiling: warm up, wait for the others, run its share."""
    scenario = load_scenario(SCENARIO)
    run_many([scenario], 1)
    start.wait()
    started = time.perf_counter()
    run_many([scenario], replications)
    out.put(time.perf_counter() - started)


def ceiling(workers: int, replications: int) -> float:
    """Wall-clock seconds for ``workers`` independent processes sharing ``replications``."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers)
    out = context.Queue()
    share = -(-replications // workers)
    processes = [context.Process(target=_share, args=(share, barrier, out)) for _ in range(workers)]
    for process in processes:
        process.start()
    times = [out.get() for _ in processes]
    for process in processes:
        process.join()
    return max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--replications", type=int, default=80)
    parser.add_argument("--repeat", type=int, default=3, help="timings per figure; best is kept")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",") if int(w) > 1]
    best = {}
    serial = None
    for warm in (False, True):
        times = []
        for _ in range(args.repeat):
            elapsed, serial = timed(1, args.replications, warm)
            times.append(elapsed)
        best[1, warm] = min(times)
    assert serial is not None
    customers = serial.customers
    print(
        f"{args.replications} replications of retail_bank_siloed ({customers:,} customers in all),"
        f" best of {args.repeat}"
    )

    def line(label: str, workers: int, elapsed: float, baseline: float) -> None:
        speed_up = f"  speed-up {baseline / elapsed:4.2f}x" if workers > 1 else ""
        print(
            f"  {label:<11} {workers} worker{'s' if workers > 1 else ' '}: {elapsed:6.2f}s"
            f"  {customers / elapsed:9,.0f} customers/s{speed_up}"
        )

    line("end to end", 1, best[1, False], best[1, False])
    line("warm", 1, best[1, True], best[1, True])
    alone = min(ceiling(1, args.replications) for _ in range(args.repeat))
    line("ceiling", 1, alone, alone)
    for workers in counts:
        for warm in (False, True):
            times = []
            for _ in range(args.repeat):
                elapsed, result = timed(workers, args.replications, warm)
                # json text, because NaN (an undefined KPI) never equals itself
                same = json.dumps(result.per_replication) == json.dumps(serial.per_replication)
                assert same, "results differ from the serial run"
                times.append(elapsed)
            label = "warm" if warm else "end to end"
            line(label, workers, min(times), best[1, warm])
        together = min(ceiling(workers, args.replications) for _ in range(args.repeat))
        line("ceiling", workers, together, alone)
    print("  results identical to the serial run: yes")


if __name__ == "__main__":
    main()
