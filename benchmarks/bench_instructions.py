"""Instructions the processor executes per simulated customer, counted by callgrind.

    python benchmarks/bench_instructions.py                      # the three journey days
    python benchmarks/bench_instructions.py retail_bank_siloed   # one bundled scenario
    python benchmarks/bench_instructions.py --root ../other-checkout retail_bank_siloed

Wall-clock speed on a shared virtual machine moves by up to a third between two runs of the same
code, so two versions of the code are compared by what they execute instead. For each scenario
this runs ``run_replications`` (the path of ``cxsim run``: engine, counts, results, summary) under
``valgrind --tool=callgrind`` twice, with one replication and with three, in fresh processes with
``PYTHONHASHSEED=0``, and divides the difference in instructions by the difference in customers:
imports, scenario loading and the first replication's warm-up cancel out. Repeatable to a per
cent or two; a run takes a few minutes per scenario. Needs valgrind (``apt-get install
valgrind``); a development tool, not part of ``make test`` or CI.

``--root`` measures another checkout of the code (its ``simulator/`` and ``scenarios/``) with
this Python environment: that is how docs/background.md compares today's code with older
commits (``git worktree add``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("retail_bank_siloed", "ecommerce_ai_bot", "multichannel_day")

#: What each measured process runs: ``replications`` of a bundled scenario, customers printed.
CHILD = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from simulator.experiment.replicate import run_replications
from simulator.scenario import load_scenario
scenario = load_scenario(Path({root!r}) / "scenarios" / "{name}.yaml")
print(run_replications(scenario, {replications}, workers=1).customers)
"""


def counted(root: Path, name: str, replications: int) -> tuple[int, int]:
    """(instructions, customers) of one process running ``replications`` of ``name``."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        child = CHILD.format(root=str(root), name=name, replications=replications)
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
        done = subprocess.run(
            [*command, sys.executable, "-c", child],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        totals = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
        assert totals is not None, "callgrind wrote no totals"
        return int(totals.group(1)), int(done.stdout.split()[-1])


def per_customer(root: Path, name: str) -> tuple[float, int]:
    """Instructions per customer of replications 2 and 3 (after a first one), and customers."""
    one, one_customers = counted(root, name, 1)
    three, three_customers = counted(root, name, 3)
    customers = three_customers - one_customers
    return (three - one) / customers, customers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenarios", nargs="*", default=list(SCENARIOS))
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("bench_instructions: needs valgrind (apt-get install valgrind)")
    root = args.root.resolve()
    for name in args.scenarios:
        instructions, customers = per_customer(root, name)
        print(f"{name}: {instructions:,.0f} instructions/customer ({customers:,} customers)")


if __name__ == "__main__":
    main()
