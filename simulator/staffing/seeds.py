"""Erlang starting points for a staffing search: each group's offered load per interval.

The simulation decides in the end; these seeds only have to be close, because every agent of
distance between the seed and the answer costs the search a pass of whole-day simulations.

Offered load is worked out from the scenario, not simulated: each first contact of an interval
(arrival rate x first-channel, intent and segment shares) is followed through the routing rules:
redirects (times the share that follows), bots (the share a bot fails to contain after its turns
goes to its escalation queue or channel) and transfers after service (times their probability).
Retries after a failure are left out: how many there are depends on the staffing being sought,
and the simulation that corrects the seed counts them. A queue served by several groups gives
each an equal share of its load (the engine offers a contact to free groups in name order, so
the true split depends on the staffing too).

Each slot of a group (agents on the phones x concurrency) is one server of the queueing model:
its service time is the handle time plus the group's mean wrap-up, so chat concurrency divides
the load among an agent's slots. Erlang C gives the slots for the targets without abandonment,
Erlang A (when the channels have a patience) with it, customers abandoning at rate 1 / mean
patience (the segment-weighted patience). Agents are the slots divided by the concurrency,
rounded up.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from simulator.analytic import ErlangA, ErlangC, erlang_a, erlang_c
from simulator.scenario.schema import Scenario
from simulator.staffing.targets import Target

#: Redirects, escalations and transfers followed at most this deep (the engine caps journeys).
_MAX_DEPTH = 6
#: No seed beyond this many slots: a target no staffing reaches (e.g. SL 100 %) gives no seed.
_MAX_SLOTS = 100_000


@dataclass
class GroupLoad:
    """What one agent group is offered per unit of arrival rate (shares do not vary by interval).

    ``contacts`` is the group's contacts per first contact of the day; ``holding_s`` the mean
    time a slot is held (handle + wrap-up); ``theta`` the contact-weighted abandonment rate
    (1 / mean patience, 0 for channels without patience); ``channels`` the contact share by
    channel that reaches the group's queues.
    """

    contacts: float = 0.0
    work_s: float = 0.0
    theta_sum: float = 0.0
    channels: dict[str, float] = field(default_factory=dict)

    @property
    def holding_s(self) -> float:
        return self.work_s / self.contacts if self.contacts else 0.0

    @property
    def theta(self) -> float:
        return self.theta_sum / self.contacts if self.contacts else 0.0


def group_loads(scenario: Scenario) -> dict[str, GroupLoad]:
    """Per-unit-rate load of every agent group, from the routing (see the module docstring)."""
    routing = _LoadRouting(scenario)
    channel_share = dict(scenario.arrivals.first_channel)
    for channel, c_share in channel_share.items():
        for intent in scenario.intents:
            for segment in scenario.segments:
                weight = c_share * intent.share * segment.share
                routing.follow(channel, intent.name, segment.name, segment.patience_scale, weight)
    return routing.loads


class _LoadRouting:
    """Follows a share of the first contacts through the routing rules to the queues, adding
    its load to every group that serves them (``loads``).

    Each step of a journey (a redirect, a bot's escalation, a transfer) goes one level deeper;
    past ``_MAX_DEPTH`` the share is dropped, as the engine caps journeys.
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.loads = {name: GroupLoad() for name in scenario.agents}
        self.servers: dict[str, list[str]] = {}
        """The groups with each skill, in the scenario's order: who serves each queue."""
        for name, group in scenario.agents.items():
            for skill in group.skills:
                self.servers.setdefault(skill, []).append(name)

    def follow(
        self, channel: str, intent: str, segment: str, scale: float, weight: float, depth: int = 0
    ) -> None:
        """Route ``weight`` contacts of a channel, intent and segment: through a redirect (the
        share that follows it), a bot (the share it fails to contain escalates) or to a queue.
        ``scale`` is the segment's patience scale."""
        if weight <= 0 or depth > _MAX_DEPTH:
            return
        scenario = self.scenario
        rule = scenario.route(channel, intent, segment)
        if rule is None:
            return
        if rule.redirect is not None:
            followed = weight * rule.redirect.follow
            self.follow(rule.redirect.to, intent, segment, scale, followed, depth + 1)
            return
        bot = scenario.bots.get(rule.to)
        if bot is None:
            self.to_queue(rule.to, channel, intent, scale, weight, depth)
            return
        failed = weight * (1.0 - bot.containment(intent)) ** bot.max_turns
        if bot.escalation.to:
            self.to_queue(bot.escalation.to, channel, intent, scale, failed, depth + 1)
        elif bot.escalation.redirect:
            self.follow(bot.escalation.redirect, intent, segment, scale, failed, depth + 1)

    def to_queue(
        self, queue: str, channel: str, intent: str, scale: float, weight: float, depth: int
    ) -> None:
        """Share ``weight`` contacts equally among the groups serving ``queue``, then follow
        each group's transfers after service to their queues."""
        groups = self.servers.get(queue, [])
        if not groups or weight <= 0 or depth > _MAX_DEPTH:
            return
        handle = self.scenario.handle_time.for_contact(intent, channel).mean
        theta = self._abandon_rate(channel, scale)
        share = weight / len(groups)
        for name in groups:
            group = self.scenario.agents[name]
            load = self.loads[name]
            load.contacts += share
            load.work_s += share * (handle + group.wrap_up.mean)
            load.theta_sum += share * theta
            load.channels[channel] = load.channels.get(channel, 0.0) + share
            transfer = group.transfer_for(intent)
            if transfer is not None and transfer.to != queue:
                transferred = share * transfer.probability
                self.to_queue(transfer.to, channel, intent, scale, transferred, depth + 1)

    def _abandon_rate(self, channel: str, scale: float) -> float:
        """1 / mean patience of the segment on a live channel with a patience; 0 otherwise (no
        abandonment in the queueing model)."""
        spec = self.scenario.channels[channel]
        if spec.patience is None or not spec.synchronous:
            return 0.0
        patience = spec.patience.mean * scale
        return 1.0 / patience if patience > 0 else 0.0


def _smallest(meets: Callable[[int], bool], start: int) -> int | None:
    """Smallest c >= start with meets(c), assuming meets is monotone; None beyond _MAX_SLOTS."""
    if meets(start):
        return start
    lo, hi = start, max(start + 1, 2 * start)
    while not meets(hi):
        lo, hi = hi, 2 * hi
        if hi > _MAX_SLOTS:
            return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if meets(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _criterion(target: Target, threshold_s: float) -> Callable[[ErlangC | ErlangA], bool] | None:
    """Whether an Erlang model meets a queue target; None for KPIs the models do not have."""
    value = target.value
    kpi = target.kpi
    if kpi == "service_level":
        t = target.threshold_s if target.threshold_s is not None else threshold_s
        # The engine's definition: answered within t / offered (for Erlang C, P(W <= t)).
        return lambda m: (
            m.service_level(t) >= value
            if isinstance(m, ErlangC)
            else m.sl_answered_of_offered(t) >= value
        )
    if kpi == "abandon_rate":
        return lambda m: isinstance(m, ErlangC) or m.p_abandon <= value
    if kpi == "asa_s":
        return lambda m: (m.asa if not math.isnan(m.asa) else 0.0) <= value
    if kpi == "mean_wait_s":
        return lambda m: (m.asa if isinstance(m, ErlangC) else m.mean_wait) <= value
    if kpi == "occupancy":
        # No agents at all is not "low occupancy": the engine's occupancy is then undefined.
        return lambda m: m.c > 0 and m.occupancy <= value
    return None


def erlang_slots(
    lam: float,
    holding_s: float,
    theta: float,
    targets: list[Target],
    threshold_s: float,
    model: str,
) -> int | None:
    """Fewest slots meeting every queue target under Erlang C (``model="C"``) or A; None when
    no staffing reaches them (or, for Erlang A, when nobody abandons: then it is Erlang C)."""
    if lam <= 0 or holding_s <= 0:
        return 0
    mu = 1.0 / holding_s
    tests = [c for c in (_criterion(t, threshold_s) for t in targets) if c is not None]
    if model == "C":
        start = math.floor(lam / mu) + 1  # Erlang C is only stable above the load

        def build(c: int) -> ErlangC | ErlangA:
            return erlang_c(lam, mu, c)

    else:
        if theta <= 0:
            return None
        start = 0

        def build(c: int) -> ErlangC | ErlangA:
            return erlang_a(lam, mu, theta, c)

    return _smallest(lambda c: all(test(build(c)) for test in tests), start)


def agents_for(slots: int | None, concurrency: int) -> int | None:
    """Agents on the phones that give at least ``slots`` slots."""
    return None if slots is None else math.ceil(slots / concurrency)
