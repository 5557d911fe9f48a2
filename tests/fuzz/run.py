"""A fuzz campaign: mutants of the seeds, each checked, and one summary line.

``make fuzz`` runs the long profile (10,000 mutants, one in 25 accepted ones simulated);
``tests/fuzz/test_fuzz.py`` runs a fast one in ``make test``. Mutant ``n`` of campaign seed
``s`` is seed ``n % len(seeds)`` mutated by ``random.Random(f"{s}:{n}")``: any mutant can be
shown again with ``--show n``. Exit status 1 when any mutant failed, with each failure listed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.fuzz.check import FAILURES, Outcome, check_mutant, peak_rss_kb
from tests.fuzz.corpus import Seed, seeds
from tests.fuzz.mutate import mutant


@dataclass
class Campaign:
    mutants: int
    seed: int = 1
    simulate_every: int = 25  # of accepted mutants
    kinds: Counter = field(default_factory=Counter)
    failures: list[tuple[int, str, Outcome]] = field(default_factory=list)
    slowest_validation_s: float = 0.0
    slowest_replication_s: float = 0.0
    elapsed_s: float = 0.0

    def text(self, number: int, corpus: list[Seed]) -> tuple[str, str]:
        """Mutant ``number``: its seed's name and its text."""
        chosen = corpus[number % len(corpus)]
        return chosen.name, mutant(chosen.text, random.Random(f"{self.seed}:{number}"))

    def run(self, progress: bool = False) -> Campaign:
        corpus = seeds()
        started = time.monotonic()
        accepted = 0
        for number in range(self.mutants):
            name, text = self.text(number, corpus)
            simulate = accepted % self.simulate_every == 0
            outcome = check_mutant(text, simulate=simulate)
            accepted += outcome.kind in ("accepted", "simulated")
            self.kinds[outcome.kind] += 1
            self.slowest_validation_s = max(self.slowest_validation_s, outcome.validate_cpu_s)
            self.slowest_replication_s = max(self.slowest_replication_s, outcome.simulate_cpu_s)
            if outcome.failed:
                self.failures.append((number, name, outcome))
            if progress and (number + 1) % 500 == 0:
                print(f"  {number + 1:,} mutants: {self._counts()}", file=sys.stderr, flush=True)
        self.elapsed_s = time.monotonic() - started
        return self

    def _counts(self) -> str:
        return ", ".join(f"{n:,} {k}" for k, n in sorted(self.kinds.items()))

    @property
    def summary(self) -> str:
        accepted = self.kinds["accepted"] + self.kinds["simulated"]
        failed = ", ".join(f"{self.kinds[k]:,} {k}" for k in FAILURES)
        return (
            f"fuzz: {self.mutants:,} mutants (seed {self.seed}): {self.kinds['refused']:,} "
            f"refused cleanly, {accepted:,} accepted and round-tripped, "
            f"{self.kinds['simulated']:,} simulated with consistent KPIs; {failed}; "
            f"slowest validation {self.slowest_validation_s:.2f} s CPU, slowest replication "
            f"{self.slowest_replication_s:.1f} s CPU, peak memory {peak_rss_kb() // 1024:,} MB; "
            f"{self.elapsed_s:,.0f} s"
        )

    def report(self) -> str:
        lines = []
        for number, name, outcome in self.failures:
            lines.append(f"mutant {number} (of {name}): {outcome.kind}: {outcome.detail}")
        return "\n".join([*lines, self.summary])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--simulate-every", type=int, default=25)
    parser.add_argument("--show", type=int, default=None, help="print mutant N and check it")
    args = parser.parse_args(argv)
    campaign = Campaign(args.mutants, args.seed, args.simulate_every)
    if args.show is not None:
        name, text = campaign.text(args.show, seeds())
        print(f"# mutant {args.show} of {name}\n{text}")
        outcome = check_mutant(text, simulate=True)
        print(f"# {outcome.kind}: {outcome.detail}", file=sys.stderr)
        return 1 if outcome.failed else 0
    campaign.run(progress=True)
    print(campaign.report())
    return 1 if campaign.failures else 0


if __name__ == "__main__":
    sys.exit(main())
