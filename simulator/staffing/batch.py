"""One pass's simulations: a batch of candidate days with common random numbers.

A pass simulates the current staffing (the base) and its probes together: every candidate
with the same seed and the same replications, so candidates differ by their staffing and not
by their customers, and all of them are submitted at once, so every worker stays busy. What
the batches cost (simulations, customers, processor time) is counted as the search goes, and
each pass leaves a line of history for the staffing document.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

from simulator.experiment.executor import Progress, run_tasks
from simulator.scenario.schema import Scenario
from simulator.staffing.plan import Staffing, staffed_scenario
from simulator.staffing.simulate import DayResult, run_day

#: A probe: the intervals it moves (parity 0 or 1, or every interval) and by how many agents.
ProbeKey = tuple[int, int]


@dataclass
class Effort:
    """What the search has simulated so far, and what each pass did."""

    simulations: int = 0
    candidates: int = 0
    customers: int = 0
    cpu_s: float = 0.0
    history: list[dict[str, int]] = field(default_factory=list)

    def add(self, results: list[DayResult], replications: int) -> None:
        """Count one batch of candidate days, each simulated ``replications`` times."""
        self.simulations += len(results) * replications
        self.candidates += len(results)
        self.customers += sum(r.customers for r in results)
        self.cpu_s += sum(r.cpu_s for r in results)

    def record_pass(self, number: int, candidates: int, moves: Staffing | None) -> None:
        """One line of the history: candidate days simulated, cells raised and lowered."""
        raised = lowered = 0
        if moves is not None:
            raised = sum(v > 0 for row in moves.values() for v in row)
            lowered = sum(v < 0 for row in moves.values() for v in row)
        self.history.append(
            {"pass": number, "candidates": candidates, "raised": raised, "lowered": lowered}
        )


@dataclass(frozen=True)
class DayRunner:
    """Simulates a batch of candidate days: every candidate with the same seed and the same
    replications (common random numbers), all submitted at once so every worker stays busy."""

    scenario: Scenario
    """The scenario measured at the targets' service-level thresholds."""
    seed: int
    replications: int
    executor: Executor | None
    progress: Progress | None
    on_pass: Callable[[int, int], None] | None

    def run(self, pass_number: int, staffings: list[Staffing]) -> list[DayResult]:
        """The replications of each staffing, in the order given."""
        scenarios = [staffed_scenario(self.scenario, staffing) for staffing in staffings]
        if self.on_pass is not None:
            self.on_pass(pass_number, len(scenarios))
        tasks = [(s, r, self.seed) for s in scenarios for r in range(self.replications)]
        flat = run_tasks(run_day, tasks, self.executor, self.progress)
        n = self.replications
        return [DayResult(flat[k * n : (k + 1) * n]) for k in range(len(scenarios))]


@dataclass
class PassRuns:
    """One pass's simulated days: the base staffing and each probe, by its key."""

    base: DayResult
    probes: dict[ProbeKey, DayResult]

    def probe(self, parity: int, step: int) -> DayResult | None:
        """The probe moving ``parity`` (0, 1, or 2 for every interval) by ``step``, if run."""
        return self.probes.get((parity, step))
