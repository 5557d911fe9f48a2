"""``cxsim schedule``: a roster of shifts with breaks that meets the targets when simulated.

The steps, each in its own module:

1. **Requirements** (:mod:`simulator.staffing.week`): the staffing search, a day at a time,
   gives each rostered group's heads at work per interval.
2. **Roster** (:mod:`simulator.staffing.shift_rules`, :mod:`simulator.staffing.roster`): the
   scenario's shift rules become a covering integer programme, solved with HiGHS: the
   cheapest shifts and break placements that put at least the required heads at work in
   every interval, within the rules' heads and part-time limits.
3. **Verification and repair** (:mod:`simulator.staffing.verify`,
   :func:`~simulator.staffing.roster.repair`): the roster is simulated as a scenario
   (:mod:`simulator.staffing.rostered`) on the customers the plan met (its seed and
   replications; a week of live groups day by day, as it was planned); where a target
   misses, the cheapest shift that covers the missed intervals is added, and the roster is
   simulated again, until every target holds (or no shift within the rules can help, or the
   rounds run out).

The result holds everything the outputs need (:mod:`simulator.staffing.schedule_output`): the
plan of every day, the roster before and after repair, every simulation of it, and the
roster as a scenario.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass

from simulator.experiment.executor import Progress
from simulator.scenario.schema import Scenario
from simulator.staffing.groups import GroupInfo, prepare_groups, with_thresholds
from simulator.staffing.roster import (
    RepairResult,
    Roster,
    RosterError,
    interval_lower_bound,
    repair,
    solve_roster,
)
from simulator.staffing.rostered import rostered_scenario
from simulator.staffing.shift_rules import located, roster_problem
from simulator.staffing.targets import Target
from simulator.staffing.verify import RosterCheck, Verifier
from simulator.staffing.week import WeekPlan, plan_days, rostered_groups

#: Most simulations of the roster (the first check included) before repairs stop.
MAX_ROUNDS = 8


@dataclass
class ScheduleResult:
    """Everything a schedule produced (see the module docstring)."""

    scenario: Scenario
    targets: list[Target]
    groups: list[str]
    infos: dict[str, GroupInfo]
    week: WeekPlan
    solved: Roster
    repaired: RepairResult
    checks: list[RosterCheck]
    rostered: Scenario
    seed: int
    replications: int
    on_share_of_days: float | None
    lower_bound: float
    """The per-interval plan's scheduled heads (the group's whole shrinkage, breaks included)
    priced at the cheapest hourly cost of the rules working each day: what the plan would
    cost if people could work single intervals."""
    solve_s: float = 0.0
    elapsed_s: float = 0.0

    @property
    def cost(self) -> float:
        return self.roster.cost

    @property
    def gap_pct(self) -> float:
        """How much dearer the roster is than the interval lower bound, in %."""
        return 100 * (self.cost - self.lower_bound) / self.lower_bound if self.lower_bound else 0.0

    @property
    def roster(self) -> Roster:
        """The roster kept: the solved one with the shifts repairs added."""
        return self.repaired.roster

    @property
    def final(self) -> RosterCheck:
        """The simulation of the roster kept."""
        return self.checks[-1]

    @property
    def met(self) -> bool:
        return self.repaired.met


@dataclass(frozen=True)
class ScheduleRequest:
    """What a schedule was asked for and how its simulations run, shared by every step."""

    scenario: Scenario
    targets: list[Target]
    groups: list[str]
    """The rostered groups (``--group``, else every group with shift rules a target names)."""
    seed: int
    replications: int
    executor: Executor | None
    progress: Progress | None
    say: Callable[[str], None]
    """Tells a progress bar what is being done."""
    on_share_of_days: float | None
    risk_days: int


def schedule_roster(
    scenario: Scenario,
    targets: list[Target],
    groups: list[str] | None = None,
    *,
    replications: int = 10,
    seed: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    on_step: Callable[[str], None] | None = None,
    max_passes: int = 12,
    max_rounds: int = MAX_ROUNDS,
    time_limit_s: float | None = None,
    on_share_of_days: float | None = None,
    risk_days: int = 400,
) -> ScheduleResult:
    """Plan, roster, simulate and repair (see the module docstring). ``on_step(text)`` says
    what is being done, for a progress bar's label. With ``on_share_of_days`` the targets
    must hold, over each whole day, on that share of ``risk_days`` simulated days: every day
    is planned so (:mod:`simulator.staffing.risk`) and the roster checked so."""
    started = time.perf_counter()
    request = ScheduleRequest(
        scenario=scenario,
        targets=targets,
        groups=rostered_groups(scenario, targets, groups),
        seed=scenario.seed if seed is None else seed,
        replications=replications,
        executor=executor,
        progress=progress,
        say=on_step or _say_nothing,
        on_share_of_days=on_share_of_days,
        risk_days=risk_days,
    )
    week = _plan_week(request, max_passes)
    solved, solve_s = _solve_roster(request, week, time_limit_s)
    infos, verifier = _roster_verifier(request, week)
    repaired = repair(solved, verifier.misses, max_rounds=max_rounds)
    return ScheduleResult(
        scenario=scenario,
        targets=targets,
        groups=request.groups,
        infos=infos,
        week=week,
        solved=solved,
        repaired=repaired,
        checks=verifier.checks,
        rostered=rostered_scenario(scenario, repaired.roster, name=f"{scenario.name}-rostered"),
        seed=request.seed,
        replications=replications,
        on_share_of_days=on_share_of_days,
        lower_bound=interval_lower_bound(roster_problem(scenario, week.plan_heads)),
        solve_s=solve_s,
        elapsed_s=time.perf_counter() - started,
    )


def _say_nothing(_text: str) -> None:
    """The progress label when no one listens."""


def _plan_week(request: ScheduleRequest, max_passes: int) -> WeekPlan:
    """Step 1: the staffing search, a day at a time, for the heads each rostered group needs
    at work per interval; each pass is named on the progress bar."""
    say = request.say

    def on_pass(day: str, number: int, candidates: int) -> None:
        say(f"planning {day}, pass {number} ({candidates} candidate days)")

    return plan_days(
        request.scenario,
        request.targets,
        request.groups,
        replications=request.replications,
        seed=request.seed,
        executor=request.executor,
        progress=request.progress,
        on_pass=on_pass,
        max_passes=max_passes,
        on_share_of_days=request.on_share_of_days,
        risk_days=request.risk_days,
    )


def _solve_roster(
    request: ScheduleRequest, week: WeekPlan, time_limit_s: float | None
) -> tuple[Roster, float]:
    """Step 2: the cheapest roster that covers the week's requirements, and the seconds the
    solver took. A rule no roster can satisfy is reported at its place in the scenario file."""
    request.say("solving the roster")
    solving = time.perf_counter()
    problem = roster_problem(request.scenario, week.requirements)
    try:
        solved = solve_roster(problem, time_limit_s=time_limit_s)
    except RosterError as error:
        raise located(request.scenario, error) from None
    return solved, time.perf_counter() - solving


def _roster_verifier(
    request: ScheduleRequest, week: WeekPlan
) -> tuple[dict[str, GroupInfo], Verifier]:
    """Step 3's judge: every group's information, and a verifier that simulates a roster on the
    customers the plan met (as many days as the risk asks, with ``--on-share-of-days``) and
    says where it misses; intervals no staffing reached are not held against it."""
    scenario, targets, chosen = request.scenario, request.targets, request.groups
    infos, thresholds = prepare_groups(scenario, targets, chosen)
    on_share_of_days = request.on_share_of_days
    verifier = Verifier(
        measured=with_thresholds(scenario, thresholds),
        infos={name: infos[name] for name in chosen},
        targets=targets,
        seed=request.seed,
        replications=request.replications if on_share_of_days is None else request.risk_days,
        executor=request.executor,
        progress=request.progress,
        on_round=lambda number: request.say(f"simulating the roster, round {number}"),
        out_of_reach=week.out_of_reach,
        on_share_of_days=on_share_of_days,
    )
    return infos, verifier
