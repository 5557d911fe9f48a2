"""The staffing search: the fewest agents per interval and group that meet every target.

Method (docs/background.md, "How cxsim staff searches"):

1. **Seeds.** Each group's offered load in each interval gives an Erlang C and, when its
   channels have a patience, an Erlang A requirement (:mod:`simulator.staffing.seeds`). The
   search starts from Erlang A (Erlang C without patience).
2. **Whole-day simulations.** A *candidate* is a staffing of every interval of every searched
   group at once; every replication simulates the whole day with it, and the per-interval KPIs
   of each group's queues decide. All candidates of a pass and all their replications are
   submitted together (common random numbers: the same seed and replications for every one), so
   two workers stay busy and candidates differ by their staffing, not by their customers.
3. **Passes.** Each pass simulates the current staffing (the *base*) and up to five probes: one
   agent more, or one agent less, in every even interval, and the same in every odd interval.
   Perturbing every other interval means a probe's interval ``i`` has its neighbours at the
   base staffing, so it answers "what if interval ``i`` alone had one agent more (less)" for
   half the intervals at once, in one batch. The fifth probe, one agent less everywhere, says
   whether two neighbouring intervals may both lose an agent.
4. **Time order.** Intervals are settled from first to last: a backlog left at the end of an
   interval carries into the next, so raising interval ``i`` can fix ``i + 1`` and a change in
   ``i`` invalidates the verdict on ``i + 1``. Within a pass, an interval whose group was just
   raised in the interval before is raised too only if it still misses in the other parity's
   +1 probe (which is "``i - 1`` raised, ``i`` unchanged"); otherwise it waits for the next
   pass. One whose predecessor was just cut is cut too only if the all-intervals -1 probe
   (a pessimistic view) still meets its targets. The verdicts that stay valid (raise after a
   cut, cut after a raise) are acted on at once.
5. **Rules.** An interval that misses a target (on the mean over replications) is raised by
   one agent if the +1 probe meets it, else by two. One that meets is lowered by one if the -1
   probe also meets every target. A level seen to miss is never tried again, so the search
   cannot cycle. It stops after a pass that changes nothing: that pass's base run is the
   answer, and its replications give the KPIs and their 95 % confidence intervals.
6. **Several groups.** Probes move every searched group at once, and each group reads its own
   queues. When groups miss in the same interval, the one that misses by most is raised first;
   a group whose queues are all served by a group just raised waits a pass (the raise may be
   enough). A journey target missed in an interval raises the group whose queues wait longest
   relative to what their customers expect (``mean_wait_s / expected_response``), but only if
   the +1 probe moved that KPI the right way: a journey KPI that more agents do not improve
   (anger from lost context, say) is left missing, not chased with agents.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from simulator.experiment.executor import Progress, run_tasks
from simulator.experiment.stats import Estimate, estimate
from simulator.scenario.schema import AgentGroup, Scenario, frozen_map
from simulator.staffing.seeds import GroupLoad, agents_for, erlang_slots, group_loads
from simulator.staffing.simulate import DayResult, journey_value, run_day
from simulator.staffing.targets import Target, TargetError

#: Largest raise in one pass when even the +1 probe misses: the next pass checks it.
BIG_STEP = 2
#: The probe key of "every interval" (parities are 0 and 1).
ALL = 2


@dataclass
class GroupInfo:
    """What the search knows about one agent group."""

    name: str
    queues: tuple[str, ...]
    concurrency: int
    shrinkage: float
    hourly: float
    load: GroupLoad
    synchronous: bool
    threshold_s: float
    expected_s: float
    targets: list[Target]
    searched: bool
    reason: str = ""


@dataclass
class Row:
    """One interval of one group: seeds, requirement, staffing, cost and KPIs achieved."""

    interval: int
    label: str
    group: str
    hours: float
    load_erlangs: float
    erlang_c: int | None
    erlang_a: int | None
    required: int
    heads: int
    current_agents: int
    current_heads: float
    cost: float
    current_cost: float
    kpis: dict[str, Estimate] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    settled: bool = True


@dataclass
class StaffingResult:
    """Everything a staffing search produced."""

    scenario: Scenario
    measured: Scenario
    recommended: Scenario
    targets: list[Target]
    groups: dict[str, GroupInfo]
    rows: list[Row]
    seed: int
    replications: int
    passes: int
    candidates: int
    simulations: int
    customers: int
    settled: bool
    thresholds: dict[str, float]
    elapsed_s: float = 0.0
    cpu_s: float = 0.0
    """Processor time of all simulations, summed over workers."""
    history: list[dict[str, int]] = field(default_factory=list)
    """Per pass: candidate days simulated, cells raised and lowered."""


def heads_for(required: int, group: AgentGroup) -> int:
    """Fewest scheduled heads the engine turns into ``required`` agents on the phones.

    The engine puts ``round_half_up(heads * (1 - shrinkage))`` agents on the phones, so this is
    ``ceil((required - 0.5) / (1 - shrinkage))`` (at most ``ceil(required / (1 - shrinkage))``),
    found exactly with the engine's own rounding rather than floating-point algebra.
    """
    if required <= 0:
        return 0
    heads = max(required - 1, math.floor((required - 0.5) / (1.0 - group.shrinkage)) - 1, 0)
    while group.on_phones(heads) < required:
        heads += 1
    return heads


def _window(schedule: tuple[tuple[float, int], ...], start: float, end: float) -> float:
    """Head-seconds a schedule pays in ``[start, end)`` (as the engine's cost integrates it)."""
    total = 0.0
    for k, (t, heads) in enumerate(schedule):
        t_next = schedule[k + 1][0] if k + 1 < len(schedule) else math.inf
        low, high = max(t, start), min(t_next, end)
        if high > low:
            total += heads * (high - low)
    return total


def _with_thresholds(scenario: Scenario, thresholds: dict[str, float]) -> Scenario:
    """The scenario with some channels' service-level thresholds replaced.

    The threshold only decides which answered contacts count as within the service level (the
    engine uses it nowhere else), so every other result is unchanged.
    """
    if not thresholds:
        return scenario
    channels = {
        name: dataclasses.replace(ch, sl_threshold=thresholds[name]) if name in thresholds else ch
        for name, ch in scenario.channels.items()
    }
    return dataclasses.replace(scenario, channels=frozen_map(channels))


def staffed_scenario(
    scenario: Scenario, staffing: dict[str, list[int]], name: str | None = None
) -> Scenario:
    """The scenario with each group in ``staffing`` scheduled interval by interval, with the
    heads that put the given agents on the phones (steps only where the heads change)."""
    agents = dict(scenario.agents)
    interval = scenario.horizon.interval
    for group_name, agents_on_phones in staffing.items():
        group = agents[group_name]
        steps: list[tuple[float, int]] = []
        for i, required in enumerate(agents_on_phones):
            heads = heads_for(required, group)
            if not steps or steps[-1][1] != heads:
                steps.append((i * interval, heads))
        agents[group_name] = dataclasses.replace(group, schedule=tuple(steps))
    changes: dict[str, Any] = {"agents": frozen_map(agents)}
    if name is not None:
        changes["name"] = name
    return dataclasses.replace(scenario, **changes)


def _prepare(
    scenario: Scenario, targets: list[Target], wanted: list[str] | None
) -> tuple[dict[str, GroupInfo], dict[str, float]]:
    """Group information, which groups to search, and the service-level thresholds to measure."""
    loads = group_loads(scenario)
    unknown = [g for g in wanted or [] if g not in scenario.agents]
    if unknown:
        known = ", ".join(scenario.agents) or "none"
        raise TargetError(f"--group {', '.join(unknown)}: no such agent group (groups: {known})")
    for target in targets:
        if target.group is not None and target.group not in scenario.agents:
            known = ", ".join(scenario.agents) or "none"
            raise TargetError(f"target {target.text!r}: no agent group {target.group!r} ({known})")
    journey = [t for t in targets if t.journey]
    infos: dict[str, GroupInfo] = {}
    for name, group in scenario.agents.items():
        load = loads[name]
        channels = {c: w for c, w in load.channels.items() if w > 0}
        synchronous = any(scenario.channels[c].synchronous for c in channels)
        sync_channels = [c for c in channels if scenario.channels[c].synchronous] or list(channels)
        threshold = min((scenario.channels[c].sl_threshold for c in sync_channels), default=20.0)
        weight = sum(channels.values())
        expected = (
            sum(w * scenario.channels[c].expected_response for c, w in channels.items()) / weight
            if weight
            else 60.0
        )
        mine = [t for t in targets if not t.journey and t.group in (None, name)]
        info = GroupInfo(
            name=name,
            queues=group.skills,
            concurrency=group.concurrency,
            shrinkage=group.shrinkage,
            hourly=scenario.costs.hourly(name),
            load=load,
            synchronous=synchronous,
            threshold_s=threshold,
            expected_s=expected,
            targets=mine,
            searched=True,
        )
        scoped = any(t.group == name for t in mine)
        if wanted is not None and name not in wanted:
            info.searched, info.reason = False, "not in --group"
        elif not mine:
            info.searched, info.reason = (
                False,
                "no queue target applies to it (a journey target alone cannot size a team: "
                "cutting a team to nobody can meet it, its customers giving up before they "
                "grow angry; add e.g. service_level>=0.8)"
                if journey
                else "no target applies to it",
            )
        elif wanted is None and not scoped and not synchronous:
            info.searched, info.reason = (
                False,
                "serves only backlog (asynchronous) channels; name it with --group to staff it",
            )
        elif load.contacts == 0 and wanted is None:
            info.searched, info.reason = False, "no contacts are routed to it"
        infos[name] = info
    for name in wanted or []:
        if not infos[name].searched:
            raise TargetError(f"--group {name}: {infos[name].reason}")
    if not any(i.searched for i in infos.values()):
        reasons: dict[str, list[str]] = {}
        for info in infos.values():
            reasons.setdefault(info.reason, []).append(info.name)
        raise TargetError(
            "no agent group to staff: "
            + "; ".join(f"{', '.join(names)}: {reason}" for reason, names in reasons.items())
        )
    thresholds: dict[str, float] = {}
    origin: dict[str, Target] = {}
    for target in targets:
        if target.kpi != "service_level" or target.threshold_s is None:
            continue
        groups = [g for g in infos.values() if g.searched and target.group in (None, g.name)]
        for info in groups:
            for channel in info.load.channels:
                ch = scenario.channels[channel]
                if not ch.synchronous and target.group is None:
                    continue  # a backlog channel keeps its own threshold (e.g. 24h for email)
                previous = thresholds.get(channel)
                if previous is not None and previous != target.threshold_s:
                    raise TargetError(
                        f"targets {origin[channel].text!r} and {target.text!r} measure channel "
                        f"{channel!r} at two service-level thresholds; the engine counts one "
                        "threshold per channel, so give these groups the same threshold"
                    )
                thresholds[channel] = target.threshold_s
                origin[channel] = target
    for info in infos.values():
        if info.load.channels:
            sync = [c for c in info.load.channels if scenario.channels[c].synchronous]
            chosen = sync or list(info.load.channels)
            info.threshold_s = min(
                thresholds.get(c, scenario.channels[c].sl_threshold) for c in chosen
            )
    return infos, thresholds


def _seeds(
    scenario: Scenario, info: GroupInfo
) -> tuple[list[float], list[int | None], list[int | None]]:
    """Offered load (Erlangs) and the Erlang C and A requirements (agents) per interval.

    A group with journey targets only has nothing the Erlang models can size: no seeds (the
    search then starts from the current staffing).
    """
    loads: list[float] = []
    c_agents: list[int | None] = []
    a_agents: list[int | None] = []
    if not info.targets:
        loads = [
            rate * info.load.contacts * info.load.holding_s for rate in scenario.arrivals.rates
        ]
        return loads, [None] * len(loads), [None] * len(loads)
    for rate in scenario.arrivals.rates:
        lam = rate * info.load.contacts
        holding = info.load.holding_s
        loads.append(lam * holding)
        c_slots = erlang_slots(lam, holding, 0.0, info.targets, info.threshold_s, "C")
        a_slots = erlang_slots(lam, holding, info.load.theta, info.targets, info.threshold_s, "A")
        c_agents.append(agents_for(c_slots, info.concurrency))
        a_agents.append(agents_for(a_slots, info.concurrency))
    return loads, c_agents, a_agents


def search_staffing(
    scenario: Scenario,
    targets: list[Target],
    groups: list[str] | None = None,
    replications: int = 10,
    seed: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    on_pass: Callable[[int, int], None] | None = None,
    max_passes: int = 12,
) -> StaffingResult:
    """Find, for every interval and searched group, the fewest agents on the phones that meet
    every target (see the module docstring for the method).

    ``on_pass(pass_number, candidates)`` is called before each batch of simulations;
    ``progress(done, total)`` as the replications of a batch finish.
    """
    started = time.perf_counter()
    seed = scenario.seed if seed is None else seed
    infos, thresholds = _prepare(scenario, targets, groups)
    measured = _with_thresholds(scenario, thresholds)
    horizon = scenario.horizon
    n = horizon.n_intervals
    searched = [g for g in infos.values() if g.searched]
    journey_targets = [t for t in targets if t.journey]

    seeds = {g.name: _seeds(measured, g) for g in searched}
    current = {
        g.name: [
            scenario.agents[g.name].on_phones(
                scenario.agents[g.name].heads_at(i * horizon.interval)
            )
            for i in range(n)
        ]
        for g in searched
    }
    level: dict[str, list[int]] = {}
    for g in searched:
        _, c_agents, a_agents = seeds[g.name]
        level[g.name] = [
            a if a is not None else c if c is not None else current[g.name][i]
            for i, (c, a) in enumerate(zip(c_agents, a_agents, strict=True))
        ]
    floor = {g.name: [-1] * n for g in searched}  # highest level seen to miss

    def queue_misses(result: DayResult, g: GroupInfo, i: int) -> tuple[list[str], float]:
        est = result.group(g.name, g.queues, i)
        missed = [t for t in g.targets if not t.met(est[t.kpi].mean)]
        return [t.text for t in missed], max((t.gap(est[t.kpi].mean) for t in missed), default=0)

    def journey_misses(result: DayResult, i: int) -> list[str]:
        return [t.text for t in journey_targets if not t.met(result.journey(i, t.path).mean)]

    def journey_gain(base: DayResult, probe: DayResult, t: Target, i: int) -> Estimate:
        """How much a probe improved a journey KPI of interval i over the base: the mean and
        95 % CI of the paired differences, replication by replication (the same customers in
        both runs, so the difference is the staffing's). Positive is better."""
        sign = 1.0 if t.op == ">=" else -1.0
        return estimate(
            [
                sign * (journey_value(p, i, t.path) - journey_value(b, i, t.path))
                for b, p in zip(base.replications, probe.replications, strict=True)
            ]
        )

    def journey_helped(base: DayResult, up: DayResult, i: int) -> bool:
        """Whether one agent more in every group improved a missed journey KPI of interval i
        significantly. If not, more agents are not the lever (anger from lost context, say),
        and the search leaves that target missing rather than chase noise with agents."""
        return any(
            journey_gain(base, up, t, i).ci_low > 0
            for t in journey_targets
            if not t.met(base.journey(i, t.path).mean)
        )

    def journey_holds(base: DayResult, probe: DayResult, i: int) -> bool:
        """A cut keeps every journey target of interval i met, or (for one staffing cannot
        fix, missed anyway) does not make it significantly worse."""
        for t in journey_targets:
            if t.met(probe.journey(i, t.path).mean):
                continue
            if t.met(base.journey(i, t.path).mean) or journey_gain(base, probe, t, i).ci_high < 0:
                return False
        return True

    def cut_holds(
        base: DayResult,
        probe: DayResult,
        g: GroupInfo,
        i: int,
        before: dict[str, tuple[list[str], float]],
    ) -> bool:
        """A cut must meet interval i's targets and must not break interval i - 1 (if it met),
        whose last contacts interval i's agents answer."""

        def holds(k: int) -> bool:
            return not queue_misses(probe, g, k)[0] and journey_holds(base, probe, k)

        return holds(i) and (i == 0 or bool(before[g.name][0]) or holds(i - 1))

    simulations = candidates_run = customers = 0
    cpu_s = 0.0
    history: list[dict[str, int]] = []
    passes = 0
    settled = False
    base: DayResult | None = None
    previous_misses: set[int] = {0, 1}  # parities with a miss in the last base (all, at first)
    changed_last: dict[str, list[int]] = {g.name: [0] * n for g in searched}
    while True:
        passes += 1
        final_check = passes > max_passes
        probes: dict[tuple[int, int], dict[str, list[int]]] = {}
        if not final_check:
            for parity in (0, 1):
                lowerable = any(
                    level[g.name][i] >= 1 and level[g.name][i] - 1 > floor[g.name][i]
                    for g in searched
                    for i in range(parity, n, 2)
                )
                if lowerable:
                    probes[(parity, -1)] = _probe(level, parity, -1)
                if parity in previous_misses:
                    probes[(parity, +1)] = _probe(level, parity, +1)
            # Where two neighbouring intervals could both lose an agent, the parity probes
            # cannot say whether both may (each has its neighbour at the base): one more probe
            # lowers every interval, so a run of over-staffed intervals comes down in one pass.
            if any(
                min(
                    level[g.name][i - 1] - 1 - floor[g.name][i - 1],
                    level[g.name][i] - 1 - floor[g.name][i],
                )
                >= 0
                and level[g.name][i - 1] >= 1
                and level[g.name][i] >= 1
                for g in searched
                for i in range(1, n)
            ):
                probes[(ALL, -1)] = _probe(level, ALL, -1)
        batch = [dict(level), *probes.values()]
        scenarios = [staffed_scenario(measured, staffing) for staffing in batch]
        if on_pass is not None:
            on_pass(passes, len(scenarios))
        tasks = [(s, r, seed) for s in scenarios for r in range(replications)]
        flat = run_tasks(run_day, tasks, executor, progress)
        results = [
            DayResult(flat[k * replications : (k + 1) * replications])
            for k in range(len(scenarios))
        ]
        simulations += len(tasks)
        candidates_run += len(scenarios)
        customers += sum(r.customers for r in results)
        cpu_s += sum(r.cpu_s for r in results)
        base = results[0]
        probe_results = dict(zip(probes, results[1:], strict=True))
        if final_check:
            history.append(
                {"pass": passes, "candidates": len(scenarios), "raised": 0, "lowered": 0}
            )
            break

        changed = {g.name: [0] * n for g in searched}
        misses_now: set[int] = set()
        verdicts: dict[str, tuple[list[str], float]] = {}
        for i in range(n):
            parity = i % 2
            up, down = probe_results.get((parity, +1)), probe_results.get((parity, -1))
            raised_queues: set[str] = set()
            verdicts_before = verdicts if i else {}
            verdicts = {g.name: queue_misses(base, g, i) for g in searched}
            j_missed = journey_misses(base, i)
            # Cuts wait while a journey target misses here and more agents would help it.
            cuts_allowed = not j_missed or (up is not None and not journey_helped(base, up, i))
            if any(m for m, _ in verdicts.values()) or j_missed:
                misses_now.add(parity)
            order = sorted(searched, key=lambda g: (-verdicts[g.name][1], g.name))
            for g in order:
                name = g.name
                value = level[name][i]
                before = changed[name][i - 1] if i else 0
                missed, _ = verdicts[name]
                if missed:
                    if before > 0:
                        # The interval before was just raised, which may be enough. The +1 probe
                        # of the other parity is exactly "interval i - 1 raised, i as it is":
                        # raise i now only if i still misses there; else judge it next pass.
                        other = probe_results.get((1 - parity, +1))
                        if other is None or not queue_misses(other, g, i)[0]:
                            continue
                    if raised_queues and set(g.queues) <= raised_queues:
                        continue  # a group serving the same queues was just raised
                    floor[name][i] = max(floor[name][i], value)
                    step = 1
                    if up is not None and queue_misses(up, g, i)[0]:
                        step = BIG_STEP
                        floor[name][i] = max(floor[name][i], value + 1)
                    level[name][i] = value + step
                    changed[name][i] = +1
                    raised_queues.update(g.queues)
                elif cuts_allowed and value >= 1 and value - 1 > floor[name][i]:
                    if before < 0:
                        # Interval i - 1 was just cut: only the probe that cuts every interval
                        # says whether i can lose an agent too (a pessimistic view, as every
                        # other interval is cut as well). If it cannot say yes, wait a pass.
                        both = probe_results.get((ALL, -1))
                        if both is not None and cut_holds(base, both, g, i, verdicts_before):
                            level[name][i] = value - 1
                            changed[name][i] = -1
                        continue
                    if down is None:
                        continue
                    if cut_holds(base, down, g, i, verdicts_before):
                        level[name][i] = value - 1
                        changed[name][i] = -1
                    else:
                        floor[name][i] = max(floor[name][i], value - 1)
            if j_missed and not raised_queues:
                if any(changed[g.name][i - 1] > 0 for g in searched if i):
                    continue
                if up is not None and not journey_helped(base, up, i):
                    continue  # one agent more everywhere does not help: staffing cannot fix it
                worst = max(
                    searched,
                    key=lambda g: (
                        _wait_ratio(base, g, i),
                        g.name,
                    ),
                )
                floor[worst.name][i] = max(floor[worst.name][i], level[worst.name][i])
                level[worst.name][i] += 1
                changed[worst.name][i] = +1
        history.append(
            {
                "pass": passes,
                "candidates": len(scenarios),
                "raised": sum(v > 0 for row in changed.values() for v in row),
                "lowered": sum(v < 0 for row in changed.values() for v in row),
            }
        )
        previous_misses = misses_now
        changed_last = changed
        if not any(any(row) for row in changed.values()):
            settled = True
            break

    assert base is not None
    recommended = staffed_scenario(scenario, level, name=f"{scenario.name}-staffed")
    rows = _rows(scenario, measured, infos, searched, seeds, current, level, base, targets)
    if not settled:
        for row in rows:
            row.settled = changed_last[row.group][row.interval] == 0
    return StaffingResult(
        scenario=scenario,
        measured=measured,
        recommended=recommended,
        targets=targets,
        groups=infos,
        rows=rows,
        seed=seed,
        replications=replications,
        passes=passes,
        candidates=candidates_run,
        simulations=simulations,
        customers=customers,
        settled=settled,
        thresholds=thresholds,
        elapsed_s=time.perf_counter() - started,
        cpu_s=cpu_s,
        history=history,
    )


def _probe(level: dict[str, list[int]], parity: int, step: int) -> dict[str, list[int]]:
    """Every searched group moved by ``step`` agents in the intervals of one parity (or in
    every interval, for ``ALL``)."""
    return {
        name: [
            max(v + step, 0) if parity == ALL or i % 2 == parity else v
            for i, v in enumerate(values)
        ]
        for name, values in level.items()
    }


def _wait_ratio(result: DayResult, g: GroupInfo, i: int) -> float:
    """How long a group's customers waited in an interval relative to what they expect."""
    wait = result.group(g.name, g.queues, i)["mean_wait_s"].mean
    return wait / g.expected_s if not math.isnan(wait) and g.expected_s else 0.0


def _rows(
    scenario: Scenario,
    measured: Scenario,
    infos: dict[str, GroupInfo],
    searched: list[GroupInfo],
    seeds: dict[str, tuple[list[float], list[int | None], list[int | None]]],
    current: dict[str, list[int]],
    level: dict[str, list[int]],
    base: DayResult,
    targets: list[Target],
) -> list[Row]:
    """One row per interval and searched group, from the final base run."""
    horizon = scenario.horizon
    rows = []
    for i in range(horizon.n_intervals):
        start = i * horizon.interval
        end = min(start + horizon.interval, horizon.duration)
        hours = (end - start) / 3600.0
        journey = {t.column: base.journey(i, t.path) for t in targets if t.journey}
        for g in searched:
            group = scenario.agents[g.name]
            est = base.group(g.name, g.queues, i)
            kpis: dict[str, Estimate] = {"offered": est["offered"]}
            misses = []
            for t in g.targets:
                kpis[t.column] = est[t.kpi]
                if not t.met(est[t.kpi].mean):
                    misses.append(t.text)
            for t in targets:
                if t.journey:
                    kpis[t.column] = journey[t.column]
                    if not t.met(journey[t.column].mean):
                        misses.append(t.text)
            for key in ("service_level", "abandon_rate", "asa_s", "occupancy"):
                kpis.setdefault(key, est[key])
            required = level[g.name][i]
            heads = heads_for(required, group)
            loads, c_agents, a_agents = seeds[g.name]
            rows.append(
                Row(
                    interval=i,
                    label=horizon.label(i),
                    group=g.name,
                    hours=hours,
                    load_erlangs=loads[i],
                    erlang_c=c_agents[i],
                    erlang_a=a_agents[i],
                    required=required,
                    heads=heads,
                    current_agents=current[g.name][i],
                    current_heads=_window(group.schedule, start, end) / (end - start),
                    cost=heads * hours * g.hourly,
                    current_cost=_window(group.schedule, start, end) / 3600.0 * g.hourly,
                    kpis=kpis,
                    misses=misses,
                )
            )
    return rows
