"""Speed of a one-day staffing search, through the same code path as ``cxsim staff``.

    python benchmarks/bench_staff.py                  # the capacity review day, 2 workers
    python benchmarks/bench_staff.py --quick          # 4 replications, a smoke check
    python benchmarks/bench_staff.py --scenario scenarios/multichannel_day.yaml

The default case is scenarios/capacity_review_day.yaml: 48 quarter hours, 3 agent groups
(voice, billing, chat with concurrency 3), 7,000 customers a day, searched for
``service_level>=0.80`` and ``abandon_rate<=0.05`` with 10 replications per candidate day on
the parallel executor. The target is under 2 minutes on a 2-core machine.

Prints the wall-clock time, the passes, the candidate days and whole-day simulations run, and
the processor time the simulations took summed over workers ("simulation CPU"): on a machine
shared with other work, wall-clock time depends on what else runs, CPU time much less, and
``simulation CPU / workers`` is about what the search takes on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.experiment.executor import open_executor  # noqa: E402
from simulator.scenario import load_scenario  # noqa: E402
from simulator.staffing import parse_targets, search_staffing  # noqa: E402

DEFAULT = ROOT / "scenarios" / "capacity_review_day.yaml"
TARGETS = ["service_level>=0.80", "abandon_rate<=0.05"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=DEFAULT)
    parser.add_argument("--target", action="append", default=None, help="repeatable")
    parser.add_argument("-n", "--replications", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="4 replications")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    replications = 4 if args.quick else args.replications
    scenario = load_scenario(args.scenario)
    targets = parse_targets(args.target or TARGETS, list(scenario.agents))

    wall = time.perf_counter()
    own_cpu = time.process_time()
    with open_executor(args.workers) as executor:
        result = search_staffing(scenario, targets, replications=replications, executor=executor)
    wall = time.perf_counter() - wall
    own_cpu = time.process_time() - own_cpu
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    figures = {
        "scenario": scenario.name,
        "intervals": scenario.horizon.n_intervals,
        "groups": sum(1 for g in result.groups.values() if g.searched),
        "targets": [t.text for t in targets],
        "replications": replications,
        "workers": args.workers,
        "wall_s": round(wall, 1),
        "simulation_cpu_s": round(result.cpu_s, 1),
        "search_process_cpu_s": round(own_cpu, 1),
        "passes": result.passes,
        "candidate_days": result.candidates,
        "simulations": result.simulations,
        "customers": result.customers,
        "settled": result.settled,
        "load_average_1min": round(load, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"{figures['scenario']}: {figures['intervals']} intervals x {figures['groups']} groups, "
        f"targets {', '.join(figures['targets'])}"
    )
    print(
        f"  {figures['wall_s']:.1f} s wall clock with {args.workers} workers "
        f"(1-minute load average {figures['load_average_1min']})"
    )
    print(
        f"  {figures['simulation_cpu_s']:.1f} s simulation CPU summed over workers "
        f"(~{result.cpu_s / args.workers:.1f} s on {args.workers} idle cores), "
        f"{figures['search_process_cpu_s']:.1f} s CPU in the search process"
    )
    print(
        f"  {result.passes} passes, {result.candidates} candidate days, "
        f"{result.simulations} whole-day simulations ({replications} replications each), "
        f"{result.customers:,} customers; settled: {result.settled}"
    )
    print(
        "  per pass: "
        + "; ".join(
            f"{h['pass']}: {h['candidates']} days, +{h['raised']} -{h['lowered']}"
            for h in result.history
        )
    )


if __name__ == "__main__":
    main()
