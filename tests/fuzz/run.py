"""A fuzz campaign: mutated scenarios, odd command lines and mutated results folders, each
checked, and one summary line.

``make fuzz`` runs the long profile (10,000 scenario mutants with one accepted mutant in eight
simulated, 200 command lines, 100 results folders); ``tests/fuzz/test_fuzz.py`` runs a fast one
in ``make test``. Mutant ``n`` of campaign seed ``s`` is seed ``n % len(seeds)`` mutated by
``random.Random(f"{s}:{n}")``: any mutant can be shown again with ``--show n``. Exit status 1
when anything failed, with each failure listed.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.fuzz import commands, documents
from tests.fuzz.check import FAILURES, Outcome, check_mutant, peak_rss_kb
from tests.fuzz.corpus import Seed, seeds
from tests.fuzz.mutate import mutant

#: Events a simulated mutant may take: a thousand times a normal one, and seconds of CPU.
EVENT_LIMIT = "2000000"


@dataclass
class Campaign:
    mutants: int
    seed: int = 1
    simulate_every: int = 25  # of accepted mutants
    command_lines: int = 0
    results_folders: int = 0
    kinds: Counter = field(default_factory=Counter)
    command_kinds: Counter = field(default_factory=Counter)
    document_kinds: Counter = field(default_factory=Counter)
    failures: list[tuple[str, Outcome]] = field(default_factory=list)
    slowest_validation_s: float = 0.0
    slowest_replication_s: float = 0.0
    elapsed_s: float = 0.0

    def text(self, number: int, corpus: list[Seed]) -> tuple[str, str]:
        """Mutant ``number``: its seed's name and its text."""
        chosen = corpus[number % len(corpus)]
        return chosen.name, mutant(chosen.text, random.Random(f"{self.seed}:{number}"))

    def run(self, progress: bool = False) -> Campaign:
        started = time.monotonic()
        saved = os.environ.get("CXSIM_MAX_EVENTS")
        os.environ["CXSIM_MAX_EVENTS"] = EVENT_LIMIT
        try:
            self._scenarios(progress)
            self._command_lines(progress)
            self._results_folders(progress)
        finally:
            if saved is None:
                os.environ.pop("CXSIM_MAX_EVENTS", None)
            else:
                os.environ["CXSIM_MAX_EVENTS"] = saved
        self.elapsed_s = time.monotonic() - started
        return self

    def _scenarios(self, progress: bool) -> None:
        corpus = seeds()
        accepted = 0
        for number in range(self.mutants):
            name, text = self.text(number, corpus)
            simulate = accepted % self.simulate_every == 0
            outcome = check_mutant(text, simulate=simulate)
            accepted += outcome.kind in ("accepted", "simulated", "limited")
            self.kinds[outcome.kind] += 1
            self.slowest_validation_s = max(self.slowest_validation_s, outcome.validate_cpu_s)
            self.slowest_replication_s = max(self.slowest_replication_s, outcome.simulate_cpu_s)
            if outcome.failed:
                self.failures.append((f"mutant {number} (of {name})", outcome))
            if progress and (number + 1) % 500 == 0:
                print(
                    f"  {number + 1:,} mutants: {_counts(self.kinds)}", file=sys.stderr, flush=True
                )

    def _command_lines(self, progress: bool) -> None:
        with commands.workspace() as files:
            for number in range(self.command_lines):
                args = commands.command_line(random.Random(f"{self.seed}:cli:{number}"), files)
                outcome = commands.check_command(args)
                self.command_kinds[outcome.kind] += 1
                if outcome.failed:
                    self.failures.append((f"command line {number}", outcome))
        if progress and self.command_lines:
            print(f"  command lines: {_counts(self.command_kinds)}", file=sys.stderr, flush=True)

    def _results_folders(self, progress: bool) -> None:
        if not self.results_folders:
            return
        with tempfile.TemporaryDirectory(prefix="cxsim-report-fuzz-") as name:
            folder = Path(name)
            document = documents.results_folder(folder)
            for number in range(self.results_folders):
                rng = random.Random(f"{self.seed}:report:{number}")
                outcome = documents.check_document(folder, documents.mutated_text(document, rng))
                self.document_kinds[outcome.kind] += 1
                if outcome.failed:
                    self.failures.append((f"results folder {number}", outcome))
        if progress:
            print(f"  results folders: {_counts(self.document_kinds)}", file=sys.stderr, flush=True)

    @property
    def summary(self) -> str:
        accepted = self.kinds["accepted"] + self.kinds["simulated"] + self.kinds["limited"]
        simulated = self.kinds["simulated"] + self.kinds["limited"]
        failed = sum(
            self.kinds[k] + self.command_kinds[k] + self.document_kinds[k] for k in FAILURES
        )
        by_kind = ", ".join(
            f"{self.kinds[k] + self.command_kinds[k] + self.document_kinds[k]:,} {k}"
            for k in FAILURES
        )
        lines = f"; {self.command_lines:,} command lines" if self.command_lines else ""
        folders = f"; {self.results_folders:,} results folders" if self.results_folders else ""
        return (
            f"fuzz: {self.mutants:,} mutants (seed {self.seed}): {self.kinds['refused']:,} refused "
            f"cleanly, {accepted:,} accepted and round-tripped, {simulated:,} simulated "
            f"({self.kinds['limited']:,} stopped at the event limit) with consistent KPIs"
            f"{lines}{folders}; {failed:,} failures ({by_kind}); slowest validation "
            f"{self.slowest_validation_s:.2f} s CPU, slowest replication "
            f"{self.slowest_replication_s:.1f} s CPU, peak memory {peak_rss_kb() // 1024:,} MB; "
            f"{self.elapsed_s:,.0f} s"
        )

    def report(self) -> str:
        lines = [f"{where}: {outcome.kind}: {outcome.detail}" for where, outcome in self.failures]
        return "\n".join([*lines, self.summary])


def _counts(kinds: Counter) -> str:
    return ", ".join(f"{n:,} {k}" for k, n in sorted(kinds.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--simulate-every", type=int, default=25)
    parser.add_argument("--command-lines", type=int, default=0)
    parser.add_argument("--results-folders", type=int, default=0)
    parser.add_argument("--show", type=int, default=None, help="print mutant N and check it")
    args = parser.parse_args(argv)
    campaign = Campaign(
        args.mutants, args.seed, args.simulate_every, args.command_lines, args.results_folders
    )
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
