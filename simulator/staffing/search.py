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
6. **Deferred work.** Groups that serve only asynchronous channels (e-mail, social; searched
   when named with ``--group``) are not searched interval by interval: their contacts may wait
   hours, so the verdict of an interval is the next one's staffing. They get one level over
   their working hours, at least the workload bound, judged on a steady day after the
   synchronous groups are sized (:mod:`simulator.staffing.deferred`).
7. **Several groups.** Probes move every searched group at once, and each group reads its own
   queues. When groups miss in the same interval, the one that misses by most is raised first;
   a group whose queues are all served by a group just raised waits a pass (the raise may be
   enough). A journey target missed in an interval raises the group whose queues wait longest
   relative to what their customers expect (``mean_wait_s / expected_response``), but only if
   the +1 probe moved that KPI the right way: a journey KPI that more agents do not improve
   (anger from lost context, say) is left missing, not chased with agents.

:func:`search_staffing` reads as its steps: :func:`_set_up` (groups, seeds, the measured
scenario, in a :class:`SearchSetup`), :func:`_plan_live_groups` (with :func:`_search_risk` for
``--on-share-of-days``), :func:`_plan_deferred_groups` and :func:`_assemble_result`, each
group kind's part of the plan a :class:`GroupsPlan`. The live groups' search is a loop of passes
over a :class:`SearchState`; each step of a pass is a function named for what it does:
:func:`_choose_probes`, :func:`_simulate_pass`, :func:`_settle_pass` (interval by interval:
:func:`_raise_group`, :func:`_cut_group`, :func:`_raise_for_journey`).
Which groups are searched and their seeds are in :mod:`simulator.staffing.groups`; how a pass
is simulated in :mod:`simulator.staffing.batch`; what a run says about an interval in
:mod:`simulator.staffing.verdicts`; the plan's heads and rows in :mod:`simulator.staffing.plan`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

from simulator.experiment.executor import Progress
from simulator.scenario.schema import Scenario
from simulator.staffing.batch import DayRunner, Effort, PassRuns, ProbeKey
from simulator.staffing.deferred import JudgedDay, deferred_notes, search_deferred
from simulator.staffing.groups import GroupInfo, Seeds, group_seeds, prepare_groups, with_thresholds
from simulator.staffing.plan import (
    Row,
    Staffing,
    StaffingResult,
    current_agents,
    plan_rows,
    staffed_scenario,
)
from simulator.staffing.risk import RiskPlan, check_risk_targets, search_risk
from simulator.staffing.simulate import DayResult
from simulator.staffing.targets import Target
from simulator.staffing.verdicts import (
    QueueMisses,
    cut_holds,
    journey_helped,
    journey_misses,
    queue_misses,
    wait_ratio,
)

#: Largest raise in one pass when even the +1 probe misses: the next pass checks it.
BIG_STEP = 2
#: The probe key of "every interval" (parities are 0 and 1).
ALL = 2


@dataclass
class SearchState:
    """The search between passes: the staffing it stands at, the levels seen to miss, and the
    moves of the last pass settled (which say where it is still moving when it stops early)."""

    searched: list[GroupInfo]
    journey_targets: list[Target]
    n_intervals: int
    level: Staffing
    """Agents on the phones of the current staffing (the base of the next pass)."""
    floor: Staffing
    """The highest level seen to miss (-1: none yet); the search never tries it again."""
    moves: Staffing
    """The last settled pass, per group and interval: +1 raised, -1 cut, 0 kept."""
    missed_parities: set[int] = field(default_factory=lambda: {0, 1})
    """Parities with a miss in the last base run (all, before the first pass)."""
    passes: int = 0
    settled: bool = False

    def can_cut(self, name: str, i: int) -> bool:
        """Whether one agent less is possible and not a level seen to miss."""
        value = self.level[name][i]
        return value >= 1 and value - 1 > self.floor[name][i]

    def seen_to_miss(self, name: str, i: int, value: int) -> None:
        """Remember that ``value`` agents (and so any fewer) miss in interval ``i``."""
        self.floor[name][i] = max(self.floor[name][i], value)

    def move(self, name: str, i: int, step: int) -> None:
        """Change the level by ``step`` agents and record the move for this pass."""
        self.level[name][i] += step
        self.moves[name][i] = 1 if step > 0 else -1


@dataclass
class IntervalCheck:
    """One interval as a pass settles it: what the base run says about it and about the
    interval before, and the queues whose groups were raised here so far."""

    i: int
    runs: PassRuns
    misses: dict[str, QueueMisses]
    """Each searched group's queue targets missed in this interval (base run)."""
    misses_before: dict[str, QueueMisses]
    """The same for the interval before (empty for the first interval)."""
    journey_missed: list[str]
    cuts_allowed: bool
    raised_queues: set[str] = field(default_factory=set)

    @property
    def parity(self) -> int:
        return self.i % 2

    @property
    def up(self) -> DayResult | None:
        """The +1 probe of this interval's parity ("this interval alone one agent more")."""
        return self.runs.probe(self.parity, +1)

    @property
    def down(self) -> DayResult | None:
        """The -1 probe of this interval's parity ("this interval alone one agent less")."""
        return self.runs.probe(self.parity, -1)

    def missed_before(self, name: str) -> bool:
        """Whether group ``name`` missed a queue target in the interval before."""
        return self.i > 0 and bool(self.misses_before[name].targets)


@dataclass(frozen=True)
class SearchSetup:
    """What every step of a search reads, worked out once before the first simulation: the
    scenario as given and as measured (at the targets' thresholds), its groups, each searched
    group's seeds and current staffing, and how to run simulations."""

    scenario: Scenario
    measured: Scenario
    targets: list[Target]
    groups: dict[str, GroupInfo]
    thresholds: dict[str, float]
    searched: list[GroupInfo]
    seeds: dict[str, Seeds]
    current: Staffing
    seed: int
    replications: int
    executor: Executor | None
    progress: Progress | None
    on_pass: Callable[[int, int], None] | None

    @property
    def live(self) -> list[GroupInfo]:
        """The searched groups that answer contacts as they come (sized interval by interval)."""
        return [g for g in self.searched if g.synchronous]

    @property
    def deferred(self) -> list[GroupInfo]:
        """The searched groups that work a backlog (sized at one level over their hours)."""
        return [g for g in self.searched if not g.synchronous]


@dataclass
class GroupsPlan:
    """What the step for the live groups, or the one for the deferred groups, adds to the
    result; a kind of group with no searched group adds nothing (the defaults)."""

    level: Staffing = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    passes: int = 0
    settled: bool = True
    runs: dict[str, tuple[DayResult, int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    out_of_reach: dict[str, list[int]] = field(default_factory=dict)
    risk: RiskPlan | None = None


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
    on_share_of_days: float | None = None,
    risk_days: int = 400,
) -> StaffingResult:
    """Find, for every interval and searched group, the fewest agents on the phones that meet
    every target (see the module docstring for the method).

    ``on_pass(pass_number, candidates)`` is called before each batch of simulations;
    ``progress(done, total)`` as the replications of a batch finish. With
    ``on_share_of_days``, the targets must hold on that share of ``risk_days`` simulated days
    (:mod:`simulator.staffing.risk`) rather than on the mean day.
    """
    started = time.perf_counter()
    setup = _set_up(scenario, targets, groups, replications, seed, executor, progress, on_pass)
    if on_share_of_days is not None:
        check_risk_targets(targets, setup.searched)
    effort = Effort()
    live_plan = _plan_live_groups(setup, effort, max_passes, on_share_of_days, risk_days)
    deferred_plan = _plan_deferred_groups(setup, effort, live_plan)
    return _assemble_result(setup, effort, live_plan, deferred_plan, started)


def _set_up(
    scenario: Scenario,
    targets: list[Target],
    groups: list[str] | None,
    replications: int,
    seed: int | None,
    executor: Executor | None,
    progress: Progress | None,
    on_pass: Callable[[int, int], None] | None,
) -> SearchSetup:
    """Which groups are searched, the scenario measured at the targets' thresholds, and each
    searched group's seeds (from the measured scenario) and current staffing."""
    infos, thresholds = prepare_groups(scenario, targets, groups)
    measured = with_thresholds(scenario, thresholds)
    searched = [g for g in infos.values() if g.searched]
    return SearchSetup(
        scenario=scenario,
        measured=measured,
        targets=targets,
        groups=infos,
        thresholds=thresholds,
        searched=searched,
        seeds={g.name: group_seeds(measured, g) for g in searched},
        current=current_agents(scenario, searched),
        seed=scenario.seed if seed is None else seed,
        replications=replications,
        executor=executor,
        progress=progress,
        on_pass=on_pass,
    )


def _plan_live_groups(
    setup: SearchSetup,
    effort: Effort,
    max_passes: int,
    on_share_of_days: float | None,
    risk_days: int,
) -> GroupsPlan:
    """Size the live groups interval by interval in passes of whole-day simulations, then,
    with ``on_share_of_days``, scale the plan until the targets hold on that share of days.

    If the passes stop before settling, each row says whether its interval was still moving,
    so a planner knows which numbers to trust less.
    """
    live = setup.live
    if not live:
        return GroupsPlan()
    journey_targets = [t for t in setup.targets if t.journey]
    state = _start(setup.scenario, live, journey_targets, setup.seeds, setup.current)
    runner = DayRunner(
        setup.measured,
        setup.seed,
        setup.replications,
        setup.executor,
        setup.progress,
        setup.on_pass,
    )
    base = _run_passes(state, runner, effort, max_passes)
    risk: RiskPlan | None = None
    if on_share_of_days is not None:
        risk = _search_risk(setup, state, on_share_of_days, risk_days)
        state.level, base = risk.chosen.level, risk.chosen.result
        effort.add([e.result for e in risk.evaluations], risk_days)
    rows = plan_rows(
        setup.scenario, live, setup.seeds, setup.current, state.level, base, setup.targets
    )
    if not state.settled:
        for row in rows:
            row.settled = state.moves[row.group][row.interval] == 0
    return GroupsPlan(
        level=dict(state.level),
        rows=rows,
        passes=state.passes,
        settled=state.settled,
        runs={g.name: (base, 0) for g in live},
        risk=risk,
    )


def _search_risk(
    setup: SearchSetup, state: SearchState, on_share_of_days: float, risk_days: int
) -> RiskPlan:
    """From the staffing the passes reached, the plan whose targets hold on
    ``on_share_of_days`` of ``risk_days`` simulated days; each step it tries counts as a pass
    for ``on_pass``."""
    on_pass = setup.on_pass
    return search_risk(
        setup.measured,
        setup.live,
        state.level,
        share=on_share_of_days,
        days=risk_days,
        seed=setup.seed,
        executor=setup.executor,
        progress=setup.progress,
        on_step=lambda scale: on_pass(state.passes + 1, 1) if on_pass else None,
    )


def _plan_deferred_groups(setup: SearchSetup, effort: Effort, live_plan: GroupsPlan) -> GroupsPlan:
    """Size the deferred groups at one level over their working hours, on a steady day with
    the live groups already at their planned staffing (their queues share customers), in the
    batches that follow the live groups' passes."""
    deferred = setup.deferred
    if not deferred:
        return GroupsPlan()
    plan = search_deferred(
        staffed_scenario(setup.measured, live_plan.level),
        deferred,
        setup.seeds,
        seed=setup.seed,
        replications=setup.replications,
        executor=setup.executor,
        progress=setup.progress,
        on_pass=setup.on_pass,
        effort=effort,
        first_pass=live_plan.passes + 1,
    )
    judged = JudgedDay(plan.result, plan.offset)
    return GroupsPlan(
        level=dict(plan.level),
        rows=plan_rows(
            setup.scenario, deferred, setup.seeds, setup.current, plan.level, judged, setup.targets
        ),
        passes=plan.batches,
        runs={g.name: (plan.result, plan.offset) for g in deferred},
        notes=deferred_notes(setup.scenario, plan),
        out_of_reach={name: g.out_of_reach for name, g in plan.groups.items() if g.out_of_reach},
    )


def _assemble_result(
    setup: SearchSetup,
    effort: Effort,
    live_plan: GroupsPlan,
    deferred_plan: GroupsPlan,
    started: float,
) -> StaffingResult:
    """The live and deferred plans as one result: rows in time order, groups in the order the
    scenario declares them; the recommended scenario carries every searched group's plan."""
    scenario = setup.scenario
    level = {**live_plan.level, **deferred_plan.level}
    order = {name: k for k, name in enumerate(scenario.agents)}
    rows = sorted(
        live_plan.rows + deferred_plan.rows, key=lambda row: (row.interval, order[row.group])
    )
    return StaffingResult(
        scenario=scenario,
        measured=setup.measured,
        recommended=staffed_scenario(scenario, level, name=f"{scenario.name}-staffed"),
        targets=setup.targets,
        groups=setup.groups,
        rows=rows,
        seed=setup.seed,
        replications=setup.replications,
        passes=live_plan.passes + deferred_plan.passes,
        candidates=effort.candidates,
        simulations=effort.simulations,
        customers=effort.customers,
        settled=live_plan.settled,
        thresholds=setup.thresholds,
        elapsed_s=time.perf_counter() - started,
        cpu_s=effort.cpu_s,
        history=effort.history,
        notes=live_plan.notes + deferred_plan.notes,
        out_of_reach=deferred_plan.out_of_reach,
        runs={**live_plan.runs, **deferred_plan.runs},
        risk=live_plan.risk,
    )


def _start(
    scenario: Scenario,
    searched: list[GroupInfo],
    journey_targets: list[Target],
    seeds: dict[str, Seeds],
    current: Staffing,
) -> SearchState:
    """The state before the first pass: each interval at its Erlang A seed, else Erlang C,
    else (no seed: journey targets only) the current staffing; nothing seen to miss."""
    n = scenario.horizon.n_intervals
    level: Staffing = {}
    for g in searched:
        _, c_agents, a_agents = seeds[g.name]
        level[g.name] = [
            a if a is not None else c if c is not None else current[g.name][i]
            for i, (c, a) in enumerate(zip(c_agents, a_agents, strict=True))
        ]
    return SearchState(
        searched=searched,
        journey_targets=journey_targets,
        n_intervals=n,
        level=level,
        floor={g.name: [-1] * n for g in searched},
        moves={g.name: [0] * n for g in searched},
    )


def _run_passes(
    state: SearchState, runner: DayRunner, effort: Effort, max_passes: int
) -> DayResult:
    """Pass after pass until one changes nothing; after ``max_passes`` passes, one last run of
    the staffing reached (no probes, no changes). Returns that last base run: the answer."""
    while True:
        state.passes += 1
        if state.passes > max_passes:
            runs = _simulate_pass(state, runner, effort, {})
            effort.record_pass(state.passes, 1, None)
            return runs.base
        probes = _choose_probes(state)
        runs = _simulate_pass(state, runner, effort, probes)
        _settle_pass(state, runs)
        effort.record_pass(state.passes, 1 + len(probes), state.moves)
        if not any(any(row) for row in state.moves.values()):
            state.settled = True
            return runs.base


def _choose_probes(state: SearchState) -> dict[ProbeKey, Staffing]:
    """This pass's probes besides the base: per parity, one agent less where an interval of it
    can lose one, one agent more where the last base run missed in it; and one agent less
    everywhere where two neighbouring intervals could both lose one."""
    probes: dict[ProbeKey, Staffing] = {}
    for parity in (0, 1):
        intervals = range(parity, state.n_intervals, 2)
        if any(state.can_cut(g.name, i) for g in state.searched for i in intervals):
            probes[(parity, -1)] = _probe(state.level, parity, -1)
        if parity in state.missed_parities:
            probes[(parity, +1)] = _probe(state.level, parity, +1)
    # Where two neighbouring intervals could both lose an agent, the parity probes cannot say
    # whether both may (each has its neighbour at the base): one more probe lowers every
    # interval, so a run of over-staffed intervals comes down in one pass.
    if _neighbours_could_both_lose(state):
        probes[(ALL, -1)] = _probe(state.level, ALL, -1)
    return probes


def _neighbours_could_both_lose(state: SearchState) -> bool:
    """Whether some group has two neighbouring intervals that could each go one agent down.

    Unlike :meth:`SearchState.can_cut`, a level equal to the one seen to miss counts here (the
    comparison is ``>= 0``, not ``> 0``); the cut itself still needs ``can_cut``.
    """
    level, floor = state.level, state.floor
    return any(
        min(
            level[g.name][i - 1] - 1 - floor[g.name][i - 1],
            level[g.name][i] - 1 - floor[g.name][i],
        )
        >= 0
        and level[g.name][i - 1] >= 1
        and level[g.name][i] >= 1
        for g in state.searched
        for i in range(1, state.n_intervals)
    )


def _probe(level: Staffing, parity: int, step: int) -> Staffing:
    """Every searched group moved by ``step`` agents in the intervals of one parity (or in
    every interval, for ``ALL``)."""
    return {
        name: [
            max(v + step, 0) if parity == ALL or i % 2 == parity else v
            for i, v in enumerate(values)
        ]
        for name, values in level.items()
    }


def _simulate_pass(
    state: SearchState, runner: DayRunner, effort: Effort, probes: dict[ProbeKey, Staffing]
) -> PassRuns:
    """Simulate the current staffing and the probes in one batch."""
    results = runner.run(state.passes, [dict(state.level), *probes.values()])
    effort.add(results, runner.replications)
    return PassRuns(results[0], dict(zip(probes, results[1:], strict=True)))


def _settle_pass(state: SearchState, runs: PassRuns) -> None:
    """Settle every interval from first to last (a backlog carries into the next interval, so
    a change in one can fix the next): raise, cut or keep each group, and note which parities
    missed for the next pass's probes."""
    state.moves = {g.name: [0] * state.n_intervals for g in state.searched}
    missed_parities: set[int] = set()
    misses_before: dict[str, QueueMisses] = {}
    for i in range(state.n_intervals):
        check = _check_interval(state, runs, i, misses_before)
        if any(m.targets for m in check.misses.values()) or check.journey_missed:
            missed_parities.add(check.parity)
        _settle_interval(state, check)
        misses_before = check.misses
    state.missed_parities = missed_parities


def _check_interval(
    state: SearchState, runs: PassRuns, i: int, misses_before: dict[str, QueueMisses]
) -> IntervalCheck:
    """What the base run says about interval ``i`` before any group in it moves."""
    base = runs.base
    up = runs.probe(i % 2, +1)
    journey_missed = journey_misses(base, state.journey_targets, i)
    # Cuts wait while a journey target misses here and more agents would help it.
    cuts_allowed = not journey_missed or (
        up is not None and not journey_helped(base, up, state.journey_targets, i)
    )
    return IntervalCheck(
        i=i,
        runs=runs,
        misses={g.name: queue_misses(base, g, i) for g in state.searched},
        misses_before=misses_before,
        journey_missed=journey_missed,
        cuts_allowed=cuts_allowed,
    )


def _settle_interval(state: SearchState, check: IntervalCheck) -> None:
    """Raise the groups that miss, the one missing by most first; cut those that meet with an
    agent to spare; then, if only a journey target misses, raise the group that can help."""
    order = sorted(state.searched, key=lambda g: (-check.misses[g.name].gap, g.name))
    for g in order:
        if check.misses[g.name].targets:
            _raise_group(state, check, g)
        elif check.cuts_allowed and state.can_cut(g.name, check.i):
            _cut_group(state, check, g)
    if check.journey_missed and not check.raised_queues:
        _raise_for_journey(state, check)


def _raise_group(state: SearchState, check: IntervalCheck, g: GroupInfo) -> None:
    """One agent more for a group that misses here (two if even the +1 probe misses), unless
    the raise just made in the interval before may be enough, or a group serving the same
    queues was just raised."""
    i, name = check.i, g.name
    if i and state.moves[name][i - 1] > 0:
        # The interval before was just raised, which may be enough. The +1 probe of the other
        # parity is exactly "interval i - 1 raised, i as it is": raise i now only if i still
        # misses there; else judge it next pass.
        other = check.runs.probe(1 - check.parity, +1)
        if other is None or not queue_misses(other, g, i).targets:
            return
    if check.raised_queues and set(g.queues) <= check.raised_queues:
        return  # a group serving the same queues was just raised
    value = state.level[name][i]
    state.seen_to_miss(name, i, value)
    step = 1
    up = check.up
    if up is not None and queue_misses(up, g, i).targets:
        step = BIG_STEP
        state.seen_to_miss(name, i, value + 1)
    state.move(name, i, step)
    check.raised_queues.update(g.queues)


def _cut_group(state: SearchState, check: IntervalCheck, g: GroupInfo) -> None:
    """One agent less for a group that meets here, if the probe that cuts it still meets this
    interval's targets and those of the interval before; a failed cut is remembered."""
    i, name = check.i, g.name
    base, missed_before = check.runs.base, check.missed_before(name)
    if i and state.moves[name][i - 1] < 0:
        # Interval i - 1 was just cut: only the probe that cuts every interval says whether i
        # can lose an agent too (a pessimistic view, as every other interval is cut as well).
        # If it cannot say yes, wait a pass.
        both = check.runs.probe(ALL, -1)
        if both is not None and cut_holds(base, both, g, i, state.journey_targets, missed_before):
            state.move(name, i, -1)
        return
    down = check.down
    if down is None:
        return
    if cut_holds(base, down, g, i, state.journey_targets, missed_before):
        state.move(name, i, -1)
    else:
        state.seen_to_miss(name, i, state.level[name][i] - 1)


def _raise_for_journey(state: SearchState, check: IntervalCheck) -> None:
    """A journey target missed with no group raised here: one agent more for the group whose
    customers wait longest relative to what they expect, unless a group was just raised in
    the interval before, or one agent more everywhere (the +1 probe) did not help."""
    i, base = check.i, check.runs.base
    if i and any(state.moves[g.name][i - 1] > 0 for g in state.searched):
        return
    up = check.up
    if up is not None and not journey_helped(base, up, state.journey_targets, i):
        return  # one agent more everywhere does not help: staffing cannot fix it
    worst = max(state.searched, key=lambda g: (wait_ratio(base, g, i), g.name))
    state.seen_to_miss(worst.name, i, state.level[worst.name][i])
    state.move(worst.name, i, +1)
