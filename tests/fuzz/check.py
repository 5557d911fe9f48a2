"""What must hold for every mutant: a clean refusal or a clean run, in bounded time and memory.

:func:`check_mutant` does what ``cxsim validate`` does (load the scenario and its variants, lint
it, count its customers) and, for an accepted mutant, writes the effective scenario and loads it
back; asked to, it also simulates one replication and writes the results document as ``cxsim
run`` would. It returns an :class:`Outcome`: ``refused`` (a :class:`ScenarioError` whose every
problem names the mutant's file), ``accepted`` (and ``simulated``, or ``limited`` when the
replication stopped at the event limit, as ``cxsim run`` would say), or a failure: ``traceback``
(any other exception, with the traceback), ``hang`` (over the wall-clock alarm), ``slow`` (over
the CPU budget), ``memory`` (the peak RSS grew too much) or ``inconsistent`` (KPIs that do not
add up, a rate outside [0, 1], a negative wait, a round trip that changes the scenario).
"""

from __future__ import annotations

import dataclasses
import json
import math
import resource
import signal
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import yaml

from simulator.experiment.replicate import run_replications
from simulator.limits import LimitError
from simulator.report.document import results_document
from simulator.scenario import (
    ScenarioError,
    effective_dict,
    load_scenario_text,
    load_variants_text,
)
from simulator.scenario.lint import scenario_warnings

SOURCE = "mutant.yaml"
#: CPU seconds a validation may take (the issue's bound for any accepted scenario is 2 s).
VALIDATE_CPU_S = 2.0
#: CPU seconds one simulated replication may take (only mutants of a bounded size are run).
SIMULATE_CPU_S = 60.0
#: Wall-clock seconds before a mutant is called hung (a shared machine may be slow, not stuck).
ALARM_S = 120
#: Growth of the process's peak resident memory one mutant may cause.
MEMORY_GROWTH_KB = 500 * 1024
#: Mutants with more expected customers are validated, not simulated (the fuzz stays short).
SIMULATE_AT_MOST_CUSTOMERS = 60_000

FAILURES = ("traceback", "hang", "slow", "memory", "inconsistent")
RATES = ("abandon_rate", "blocked_rate", "immediate_rate", "service_level")
WAITS = ("mean_wait_s", "asa_s", "wait_p50_s", "wait_p90_s", "wait_p95_s")
COUNTS = ("offered", "answered", "abandoned", "blocked", "closed", "in_system")
JOURNEY_RATES = ("fcr", "resolution_rate", "gave_up_rate", "churn_rate")


@dataclass
class Outcome:
    kind: str  # refused, accepted, simulated, or one of FAILURES
    detail: str = ""
    validate_cpu_s: float = 0.0
    simulate_cpu_s: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.kind in FAILURES


class Hang(Exception):
    """The wall-clock alarm went off."""


@contextmanager
def alarm(seconds: int) -> Iterator[None]:
    """Raise :class:`Hang` in this (main) thread after ``seconds``."""

    def ring(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def peak_rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def check_mutant(text: str, *, simulate: bool = False) -> Outcome:
    """Validate ``text`` like ``cxsim validate``; round-trip and maybe simulate it if accepted."""
    before = peak_rss_kb()
    outcome = Outcome("accepted")
    try:
        with alarm(ALARM_S):
            started = time.process_time()
            scenario = _validate(text)
            outcome.validate_cpu_s = time.process_time() - started
            if scenario is None:
                outcome.kind = "refused"
            else:
                outcome.problems += _round_trip(scenario)
                if simulate and _small_enough(scenario):
                    started = time.process_time()
                    outcome.problems += _simulate(scenario)
                    outcome.simulate_cpu_s = time.process_time() - started
                    outcome.kind = "simulated"
    except ScenarioError as error:
        outcome.kind = "refused"
        outcome.problems += _unplaced(error)
    except LimitError:  # a replication stopped at the event limit: a clean refusal of the run
        outcome.kind = "limited"
    except Hang as hang:
        return Outcome("hang", str(hang))
    except BaseException as error:  # anything else reaching the user is a traceback
        if isinstance(error, KeyboardInterrupt):
            raise
        return Outcome("traceback", "".join(traceback.format_exception(error)))
    return _judge(outcome, peak_rss_kb() - before)


def _validate(text: str) -> Any:
    """The scenario, or None when it was refused cleanly (raises on anything else)."""
    try:
        scenario = load_scenario_text(text, SOURCE)
        variants = load_variants_text(text, SOURCE)
    except ScenarioError as error:
        problems = _unplaced(error)
        if problems:
            raise AssertionError("; ".join(problems)) from error
        return None
    for each in [scenario, *variants.values()]:
        scenario_warnings(each)
        each.arrivals.expected_total(each.horizon.interval, each.horizon.duration)
    return scenario


def _unplaced(error: ScenarioError) -> list[str]:
    """Problems that do not name the mutant's file, or say nothing."""
    if not error.problems:
        return ["a ScenarioError with no problem"]
    return [
        f"problem without a place or message: {p}"
        for p in error.problems
        if p.file != SOURCE or not p.message.strip()
    ]


def _round_trip(scenario: Any) -> list[str]:
    effective = effective_dict(scenario)
    dumped = yaml.safe_dump(effective, sort_keys=True, allow_unicode=True)
    try:
        again = load_scenario_text(dumped, "effective.yaml")
    except ScenarioError as error:
        return [f"the effective scenario does not load: {error}"]
    if again != dataclasses.replace(scenario, source="effective.yaml"):
        return ["the effective scenario loads as a different scenario"]
    return []


def _small_enough(scenario: Any) -> bool:
    horizon = scenario.horizon
    expected = scenario.arrivals.expected_total(horizon.interval, horizon.duration)
    return expected <= SIMULATE_AT_MOST_CUSTOMERS


def _simulate(scenario: Any) -> list[str]:
    """One replication, its results document as ``cxsim run`` writes it, and its KPIs checked."""
    result = run_replications(scenario, 1, executor=None)
    document = results_document(result)
    json.dumps(document, allow_nan=False)  # what cxsim run writes; NaN or inf would fail here
    return kpi_problems(result.per_replication[0])


def kpi_problems(kpis: dict[str, Any]) -> list[str]:
    """Why one replication's KPIs are inconsistent (empty when they are not)."""
    problems = []
    views = [("overall", kpis["overall"])]
    views += [(f"by_channel.{k}", v) for k, v in kpis.get("by_channel", {}).items()]
    views += [(f"by_queue.{k}", v) for k, v in kpis.get("by_queue", {}).items()]
    views += [(f"by_interval[{i}]", v) for i, v in enumerate(kpis.get("by_interval", []))]
    for where, view in views:
        problems += _queue_problems(where, view)
    offered = sum(v["offered"] for v in kpis.get("by_channel", {}).values())
    if kpis.get("by_channel") and offered != kpis["overall"]["offered"]:
        problems.append(f"channels offer {offered}, overall {kpis['overall']['offered']}")
    for name, group in kpis.get("by_group", {}).items():
        if not _within(group.get("occupancy"), 0.0, 1.0):
            problems.append(f"by_group.{name}.occupancy = {group.get('occupancy')}")
    journey = kpis.get("journey", {})
    if journey:
        finished = journey["resolved"] + journey["gave_up"] + journey["in_system"]
        if finished != journey["customers"] or journey["in_system"] < 0:
            problems.append(f"journey counts do not add up: {journey}")
        for rate in JOURNEY_RATES:
            if not _within(journey.get(rate), 0.0, 1.0):
                problems.append(f"journey.{rate} = {journey.get(rate)}")
    for name, value in kpis.get("costs", {}).items():
        if isinstance(value, float) and math.isinf(value):
            problems.append(f"costs.{name} = {value}")
    return problems


def _queue_problems(where: str, view: dict[str, Any]) -> list[str]:
    problems = []
    counts = [view[k] for k in COUNTS if k in view]
    if any(c < 0 for c in counts):
        problems.append(f"{where}: a negative count {dict(zip(COUNTS, counts, strict=False))}")
    if all(k in view for k in COUNTS):
        total = sum(view[k] for k in COUNTS[1:])
        if total != view["offered"]:
            problems.append(f"{where}: outcomes add up to {total}, offered {view['offered']}")
    for rate in RATES:
        if rate in view and not _within(view[rate], 0.0, 1.0):
            problems.append(f"{where}.{rate} = {view[rate]}")
    for wait in WAITS:
        if wait in view and not _within(view[wait], 0.0, math.inf):
            problems.append(f"{where}.{wait} = {view[wait]}")
    return problems


def _within(value: Any, low: float, high: float) -> bool:
    """NaN (nothing to measure: no contact offered) counts as within."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return low - 1e-9 <= value <= high + 1e-9


def _judge(outcome: Outcome, memory_growth_kb: int) -> Outcome:
    if outcome.problems:
        return Outcome("inconsistent", "; ".join(outcome.problems[:5]), outcome.validate_cpu_s)
    if outcome.validate_cpu_s > VALIDATE_CPU_S:
        return Outcome("slow", f"validation took {outcome.validate_cpu_s:.2f} s of CPU")
    if outcome.simulate_cpu_s > SIMULATE_CPU_S:
        return Outcome("slow", f"a replication took {outcome.simulate_cpu_s:.1f} s of CPU")
    if memory_growth_kb > MEMORY_GROWTH_KB:
        return Outcome("memory", f"peak memory grew by {memory_growth_kb // 1024:,} MB")
    return outcome
