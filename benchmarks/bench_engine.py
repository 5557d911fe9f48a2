"""Engine speed and memory, through the same code path as ``cxsim run``.

    python benchmarks/bench_engine.py            # all cases
    python benchmarks/bench_engine.py --quick    # smaller runs, for a smoke check

Prints customers simulated per second (one core, one replication at a time) and peak memory.
(a) scenarios/single_queue.yaml scaled to M/M/100+M at rho = 0.95 with 200,000 customers;
(b) scenarios/multichannel_day.yaml, the realistic day;
(c) scenarios/retail_bank_siloed.yaml, the omnichannel journey day (bots-free but with
    redirects, transfers, retrials, channel switches, context loss and frustration), and
    scenarios/ecommerce_ai_bot.yaml (a chat bot in front of agents);
(d) peak memory of a 1,000,000-customer run of (a), measured in a fresh process:
    peak resident set size, and its growth over the process after imports;
(e) scenarios/week_three_channels.yaml run Monday to Friday (five days, nights and backlogs
    included) against its Monday alone: a week must simulate at no less than 80 % of one
    day's throughput per customer (issue #12).
Timings are the best of ``--repeat`` runs, because other load on the machine only slows a run.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.experiment.replicate import run_replications  # noqa: E402
from simulator.model.world import World  # noqa: E402
from simulator.scenario import load_scenario, load_scenario_text  # noqa: E402
from simulator.scenario.schema import Scenario  # noqa: E402


def mm100(customers: int) -> Scenario:
    """The bundled single queue as M/M/100+M at rho = 0.95 (no trunk limit), N customers."""
    base = load_scenario(ROOT / "scenarios" / "single_queue.yaml")
    rate = 95 / 60.0  # per second: 95 calls/min against 100 agents of 1 min each
    duration = customers / rate
    horizon = dataclasses.replace(
        base.horizon, duration=duration, interval=duration, warmup=0.0, drain=0.0
    )
    voice = dataclasses.replace(base.channels["voice"], lines=None)
    arrivals = dataclasses.replace(base.arrivals, rates=(rate,))
    return dataclasses.replace(base, horizon=horizon, arrivals=arrivals, channels={"voice": voice})


def throughput(scenario: Scenario, replications: int, repeat: int) -> tuple[float, int]:
    best = 0.0
    customers = 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = run_replications(scenario, replications, workers=1)
        elapsed = time.perf_counter() - started
        customers = result.customers
        best = max(best, customers / elapsed)
    return best, customers


def week_days(days: int) -> Scenario:
    """The bundled week, cut to its first ``days`` days (Monday first)."""
    text = (ROOT / "scenarios" / "week_three_channels.yaml").read_text()
    assert "  days: 7\n" in text
    return load_scenario_text(text.replace("  days: 7\n", f"  days: {days}\n"))


def events_per_customer(scenario: Scenario) -> float:
    """SimPy events scheduled per customer in replication 0 (read off SimPy's event counter)."""
    world = World(scenario, 0).run()
    scheduled = int(re.search(r"\d+", repr(world.env._eid)).group())  # itertools.count(N)
    return scheduled / max(world.arrived, 1)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def memory_child(customers: int) -> None:
    """Runs in a fresh process: prints JSON with the peak RSS and the growth over the baseline."""
    scenario = mm100(customers)
    baseline = rss_mb()
    result = run_replications(scenario, 1, workers=1)
    print(json.dumps({"customers": result.customers, "baseline_mb": baseline, "peak_mb": rss_mb()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    n_single = 20_000 if args.quick else 200_000
    n_memory = 100_000 if args.quick else 1_000_000
    repeat = 1 if args.quick else args.repeat

    # The memory child runs first: a child starts with its parent's peak RSS as its own (Linux
    # carries ``ru_maxrss`` over fork and exec), so it must not follow the runs below.
    child = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(n_memory)],
        capture_output=True,
        text=True,
        check=True,
    )

    single = mm100(n_single)
    rate, n = throughput(single, 1, repeat)
    print(
        f"(a) single queue M/M/100+M rho=0.95: {n:,} customers, {rate:,.0f} customers/s, "
        f"{events_per_customer(single):.2f} events/customer"
    )

    for label, name in (
        ("(b) multichannel day", "multichannel_day.yaml"),
        ("(c) omnichannel journeys", "retail_bank_siloed.yaml"),
        ("(c) AI chat bot", "ecommerce_ai_bot.yaml"),
    ):
        scenario = load_scenario(ROOT / "scenarios" / name)
        rate, n = throughput(scenario, 2 if args.quick else 10, repeat)
        print(
            f"{label} ({scenario.name}): {n:,} customers, {rate:,.0f} customers/s, "
            f"{events_per_customer(scenario):.2f} events/customer"
        )

    day_rate, day_n = throughput(week_days(1), 4 if args.quick else 20, repeat)
    week_rate, week_n = throughput(week_days(5), 1 if args.quick else 4, repeat)
    print(
        f"(e) five-day week (week-three-channels, Mon-Fri): {week_n:,} customers, "
        f"{week_rate:,.0f} customers/s, against its Monday alone ({day_n:,} customers, "
        f"{day_rate:,.0f} customers/s): {week_rate / day_rate:.0%} of one day's throughput "
        "(issue #12 asks >= 80 %)"
    )

    mem = json.loads(child.stdout)
    print(
        f"(d) memory, {mem['customers']:,} customers in one run: peak RSS {mem['peak_mb']:.0f} MB, "
        f"{mem['peak_mb'] - mem['baseline_mb']:.0f} MB above the process after imports "
        f"({mem['baseline_mb']:.0f} MB)"
    )


if __name__ == "__main__":
    main()
