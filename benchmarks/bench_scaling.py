"""How replications scale with local worker processes, through ``run_many`` as the CLI uses it.

    python benchmarks/bench_scaling.py                 # 1 and 2 workers (this machine: 2 cores)
    python benchmarks/bench_scaling.py --workers 1,2,4 --replications 40

Runs the same replications of ``scenarios/retail_bank_siloed.yaml`` serially and with N
workers, checks the results are identical, and prints customers per second and the speed-up.
Two figures per N: *end to end* includes starting the pool (what a user waits for), *warm*
reuses a pool that already ran one batch (what a long sweep or staffing search sees).
The machine must be otherwise idle for the figures to mean anything.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.experiment.executor import open_executor  # noqa: E402
from simulator.experiment.replicate import RunResult, run_many  # noqa: E402
from simulator.scenario import load_scenario  # noqa: E402


def timed(workers: int, replications: int, warm: bool) -> tuple[float, RunResult]:
    scenario = load_scenario(ROOT / "scenarios" / "retail_bank_siloed.yaml")
    with open_executor(workers, tasks=replications) as pool:
        if warm and pool is not None:
            run_many([scenario], workers, executor=pool)  # start every worker process
        started = time.perf_counter()
        result = run_many([scenario], replications, executor=pool)[0]
        return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--replications", type=int, default=40)
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    serial_s, serial = timed(1, args.replications, warm=False)
    customers = serial.customers
    print(
        f"{args.replications} replications of retail_bank_siloed ({customers:,} customers in all)"
    )
    print(f"  1 worker : {serial_s:6.2f}s  {customers / serial_s:9,.0f} customers/s")
    for workers in counts:
        if workers == 1:
            continue
        for warm in (False, True):
            elapsed, result = timed(workers, args.replications, warm)
            # json text, because NaN (an undefined KPI) never equals itself
            same = json.dumps(result.per_replication) == json.dumps(serial.per_replication)
            assert same, "results differ from the serial run"
            label = "warm pool" if warm else "end to end"
            print(
                f"  {workers} workers: {elapsed:6.2f}s  {customers / elapsed:9,.0f} customers/s"
                f"  speed-up {serial_s / elapsed:4.2f}x ({label})"
            )
    print("  results identical to the serial run: yes")


if __name__ == "__main__":
    main()
