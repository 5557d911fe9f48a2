"""The SimPy world of one replication: customers' journeys through channels, bots and queues.

Why callbacks and not one SimPy process per customer: a contact's life here is a handful of
timeouts (arrival, patience, end of service, end of wrap-up), and chaining callbacks on
``simpy.events.Timeout`` costs a fraction of a generator process with condition events
(``yield request | timeout``). The model stays a plain state machine that is easy to follow:

    arrival -> routing -> bot | redirect to another channel | skill queue
    queue -> blocked (lines full) | served at once | waits -> answered | abandons
             (overflow to a second skill after a delay; callback instead of holding)
    answered -> service -> transfer to another queue | resolved | unresolved
    abandoned / blocked / redirected / unresolved -> retry later (maybe on another channel)
                                                     | give up
    service -> wrap-up -> the agent takes the next contact

A :class:`Journey` is one customer across contacts; a :class:`Contact` is one queue visit.
Every hand-off (bot to agent, transfer, channel switch) checks the scenario's context policy:
without context the customer repeats themselves (re-explain time, a frustration jump).
Frustration follows :mod:`simulator.model.frustration`; outcomes :mod:`simulator.model.outcomes`.

Abandonment timers are not cancelled (SimPy cannot); a timer that fires for a contact that is no
longer waiting is ignored. Queues skip abandoned entries lazily when they reach the head.

The world only *counts*; it never summarises, prices, formats or prints. :meth:`World.counts`
hands what it counted over as one plain value (:class:`~simulator.observe.counts.RunCounts`),
from which :mod:`simulator.observe.results` computes the results and :mod:`simulator.observe.costs`
the costs; :mod:`simulator.experiment.replication` is what builds and runs worlds.
"""

from __future__ import annotations

import math
from collections import deque
from heapq import heappush
from typing import TYPE_CHECKING, Any

import simpy
from simpy.core import NORMAL, URGENT, EmptySchedule, StopSimulation

from simulator.distributions import Constant, Distribution
from simulator.limits import MAX_EVENTS, LimitError
from simulator.model import rng
from simulator.model.closing import ClosingRules
from simulator.model.customers import CustomerBlock, CustomerSource
from simulator.model.frustration import (
    FrustrationParams,
    after_event,
    after_resolution,
    after_service,
    after_wait,
    patience_factor,
    retry_probability,
    switch_weights,
)
from simulator.model.hours import OpenWindows
from simulator.model.outcomes import EFFORT_MAX, churn_probability, effort_score, nps_class
from simulator.model.wakeups import ABANDONED, BLOCKED, CLOSED, SERVED, WAITING, Wake, wake
from simulator.observe import events as journey_events
from simulator.observe.counts import BacklogCounts, CellKey, GroupCounts, RunCounts
from simulator.observe.events import JourneyEvent, Recorder
from simulator.observe.journey import BotStats, HandOffs, JourneyCell, JourneyRecord, Outcome
from simulator.observe.metrics import Cell, Occupancy, merged
from simulator.scenario.schema import AgentGroup, Bot, Callback, Redirect, Scenario, Transfer

if TYPE_CHECKING:
    from simpy.core import SimTime
    from simpy.events import EventPriority

#: A guard against transfer loops in badly configured scenarios.
MAX_TRANSFERS = 5
#: Without a retrial block only redirects chain contacts; this ends any redirect circle.
MAX_CONTACTS_WITHOUT_RETRIAL = 4
N_PURPOSES = len(rng.JOURNEY_PURPOSES)
JOURNEY_SLOTS = rng.JOURNEY_SLOTS
(
    P_BOT_TURN,
    P_BOT_TIME,
    P_RESOLVE,
    P_TRANSFER,
    P_RETRY,
    P_RETRY_DELAY,
    P_SWITCH,
    P_CALLBACK,
    P_REDIRECT,
    P_REEXPLAIN,
    P_PATIENCE,
    P_HANDLE,
) = range(len(rng.JOURNEY_PURPOSES))


class ChannelState:
    __slots__ = (
        "business",
        "expected",
        "in_system",
        "index",
        "lines",
        "name",
        "open",
        "patience",
        "synchronous",
        "threshold",
    )

    def __init__(
        self,
        index: int,
        name: str,
        lines: int | None,
        threshold: float,
        expected: float,
        patience: Distribution | None = None,
        synchronous: bool = True,
    ) -> None:
        self.index = index
        self.synchronous = synchronous
        #: Whether the channel takes contacts now (flipped at its openings and closings;
        #: always true for an asynchronous channel).
        self.open = True
        #: The channel's hours, when its service level counts business hours only.
        self.business: OpenWindows | None = None
        self.patience = patience
        self.name = name
        self.lines = lines
        self.threshold = threshold
        self.expected = expected
        self.in_system = 0  # waiting + in service, for the trunk-capacity check


class QueueState:
    """A skill queue: FCFS within a priority level, higher levels first."""

    __slots__ = ("groups", "index", "length", "levels", "longest", "name", "priorities", "single")

    def __init__(self, index: int, name: str, priorities: list[int], n_intervals: int) -> None:
        self.index = index
        self.name = name
        self.priorities = frozenset(priorities) or frozenset({0})
        self.levels: list[tuple[int, deque[Contact]]] = [
            (p, deque()) for p in sorted(self.priorities, reverse=True)
        ]
        # Fast path for the common case of a single priority level.
        self.single: deque[Contact] | None = self.levels[0][1] if len(self.levels) == 1 else None
        self.groups: list[GroupState] = []
        self.length = 0
        self.longest = [0] * n_intervals

    def level(self, priority: int) -> deque[Contact]:
        for p, contacts in self.levels:
            if p == priority:
                return contacts
        raise KeyError(priority)

    def head(self) -> tuple[Contact, int] | None:
        """The next waiting contact and its priority, dropping abandoned entries on the way."""
        for priority, contacts in self.levels:
            while contacts:
                contact = contacts[0]
                if contact.state == WAITING:
                    return contact, priority
                contacts.popleft()
        return None


def _priorities(scenario: Scenario, skill: str) -> list[int]:
    """Priority levels a skill queue needs: of rules sending to it, 0 for every other entry."""
    levels = [r.priority for r in scenario.routing if r.to == skill]
    levels += [r.priority for r in scenario.routing if r.overflow and r.overflow.to == skill]
    side_entry = any(b.escalation.to == skill for b in scenario.bots.values()) or any(
        t.to == skill for g in scenario.agents.values() for t in g.transfers.values()
    )
    if side_entry or not levels:
        levels.append(0)
    return levels


class GroupState(Occupancy):
    """An agent group: slot capacity (agents on the phones x concurrency) and busy slots."""

    __slots__ = (
        "definition",
        "index",
        "lone_queue",
        "name",
        "overtime_day",
        "overtime_mark",
        "overtime_until",
        "queues",
        "resolves",
        "transfers",
        "wrap",
    )

    def __init__(
        self, index: int, group: AgentGroup, n: int, interval: float, warmup: float, end: float
    ):
        super().__init__(n, interval, warmup, end)
        self.index = index
        self.name = group.name
        self.definition = group
        self.queues: list[QueueState] = []
        self.lone_queue: QueueState | None = None  # set when the group serves one queue only
        self.resolves: list[float] = []  # resolution probability by intent index (set by World)
        self.transfers: list[Transfer | None] = []  # transfer rule by intent index (set by World)
        wrap = group.wrap_up
        self.wrap = None if isinstance(wrap, Constant) and wrap.value == 0 else wrap
        #: In overtime until then (0: not in overtime); see :mod:`simulator.model.closing`.
        self.overtime_until = 0.0
        self.overtime_mark = 0.0  # last change of capacity in overtime
        self.overtime_day = 0  # the day whose closing started it

    def slots_for(self, heads: int) -> int:
        return self.definition.on_phones(heads) * self.definition.concurrency


class Route:
    """Where contacts of one (channel, intent, segment) go, and the cells that count them.

    ``kind`` is QUEUE (a skill queue), BOT or REDIRECT. Escalations and transfers build their
    own QUEUE routes on the fly (cached), without overflow or callbacks.
    """

    __slots__ = (
        "bot",
        "callback",
        "cells",
        "channel",
        "containment",
        "expected",
        "intent",
        "kind",
        "mean_handle",
        "overflow",
        "priority",
        "queue",
        "redirect",
        "segment",
    )

    def __init__(
        self,
        channel: ChannelState,
        intent: int,
        segment: int,
        queue: QueueState | None,
        priority: int,
        n_intervals: int,
        kind: int = 0,
    ) -> None:
        self.channel = channel
        self.intent = intent
        self.segment = segment
        self.queue = queue
        self.priority = priority
        self.kind = kind
        self.bot: Bot | None = None
        self.containment = 0.0  # a bot's chance to resolve this intent in one turn
        self.redirect: Redirect | None = None
        self.overflow: tuple[float, QueueState] | None = None
        self.callback: Callback | None = None
        self.mean_handle = 0.0
        self.expected = channel.expected
        self.cells: list[Cell | None] = [None] * n_intervals


QUEUE, BOT, REDIRECT = 0, 1, 2


class Journey:
    """One customer, across all their contacts: what they feel, what happened to them."""

    __slots__ = (
        "__dict__",
        "block",
        "cell",
        "channel",
        "cid",
        "contacts",
        "explained",
        "f",
        "first_arrival",
        "index",
        "intent",
        "legs",
        "peak",
        "segment",
        "slots",
        "total_wait",
    )
    # What only longer journeys change (bots, transfers, hand-offs, channel switches) starts
    # from these class-level defaults: most customers make one contact and never write them, so
    # they cost nothing per customer; the first write gives the journey an instance dict.
    bot_failures = bot_sessions = repeats = switches = transfers = 0
    reexplain_s = 0.0
    reexplain_due = False  # lost context: the next agent needs it explained again

    def __init__(
        self,
        cid: int,
        now: float,
        route: Route,
        f: float,
        block: CustomerBlock | None,
        index: int,
        cell: JourneyCell | None,
    ) -> None:
        self.cid = cid
        self.first_arrival = now
        self.intent = route.intent
        self.segment = route.segment
        self.f = self.peak = f
        self.block = block
        self.index = index
        self.cell = cell  # None before the warm-up: not counted
        self.channel = route.channel
        self.contacts = 1
        self.legs = 0
        self.total_wait = 0.0
        self.explained = False  # has told someone (bot or agent) what they need
        self.slots: list[int] | None = None


class Contact:
    """One visit of a customer to a skill queue: from joining it to service or abandonment.

    A contact is also its own end-of-service event (``callbacks`` and ``_ok`` are all SimPy's
    ``step`` reads): it is served at most once, so that event is scheduled at most once, and the
    most common wake-up of the engine needs no extra object.
    """

    __slots__ = (
        "__dict__",
        "callbacks",
        "cell",
        "group",
        "handle",
        "journey",
        "patience",
        "route",
        "since",
        "state",
        "wrap_u",
    )
    _ok = True
    callbacks: list[Any]  # SimPy's step reads it: set when the end of service is scheduled
    # Rare changes start from class-level defaults, as in Journey; channel, queue and priority
    # are the route's (``contact.route.channel``), not copied into every contact.
    overflow_queue: QueueState | None = None  # second queue it also waits in, after overflow
    callback = False  # took a callback: waits without abandoning
    no_line = False  # holds no trunk line (a callback released it; so does its transfer)

    def __init__(
        self,
        journey: Journey,
        since: float,
        route: Route,
        patience: float,
        handle: float,
        wrap_u: float,
        cell: Cell | None,
    ) -> None:
        self.journey = journey
        self.since = since
        self.route = route
        self.patience = patience
        self.handle = handle
        self.wrap_u = wrap_u
        self.cell = cell  # None before the warm-up: not counted
        self.state = WAITING
        self.group: GroupState | None = None  # set when served

    @property
    def channel(self) -> ChannelState:
        return self.route.channel

    @property
    def queue(self) -> QueueState:
        assert self.route.queue is not None
        return self.route.queue

    @property
    def priority(self) -> int:
        return self.route.priority


class World(ClosingRules):
    """Builds the model of one replication from a Scenario and runs it.

    The constructor reads as the list of its steps; each step sets the attributes the handlers
    read, resolved once (names to indices, laws, routes) so the handlers only index lists.
    """

    def __init__(
        self,
        scenario: Scenario,
        replication: int = 0,
        seed: int | None = None,
        keep_journeys: bool = False,
        recorder: Recorder | None = None,
    ):
        self.scenario = scenario
        #: Receives a :class:`JourneyEvent` per journey step (traces, event logs), if given.
        self.recorder = recorder
        #: Finished journeys, one immutable record each, when ``keep_journeys`` (memory grows
        #: with customers: for tests and traces, not for large runs).
        self.journeys: list[JourneyRecord] | None = [] if keep_journeys else None
        self.replication = replication
        self.seed = scenario.seed if seed is None else seed
        self.env = simpy.Environment()
        self._read_settings()
        self._precompute_calm_outcomes()
        self._index_channels()
        self._build_queues_and_groups()
        self._wire_groups_to_queues()
        self._resolve_routes()
        self._bind_handlers()
        self._start_counting()

    def _read_settings(self) -> None:
        """Horizon, frustration, context and retrial settings the handlers read on every call."""
        scenario = self.scenario
        horizon = scenario.horizon
        self.horizon = horizon
        self.n_intervals = horizon.n_intervals
        #: Counting bins: a day's intervals, and for several days the nights too (see Horizon).
        self.n_bins = horizon.n_bins
        self._warmup = horizon.warmup
        self._interval = horizon.interval
        self.params: FrustrationParams = scenario.frustration
        self.frustration_on = self.params.enabled
        self._initial = self.params.initial
        self._angry = self.params.angry  # from here on a customer counts as angry or worse
        self.context = scenario.context
        self.retrial = scenario.retrial
        #: Contacts after which a journey ends. Without retrials only redirects add contacts.
        self.contact_limit = (
            self.retrial.max_contacts if self.retrial.enabled else MAX_CONTACTS_WITHOUT_RETRIAL
        )
        self.intent_names = [intent.name for intent in scenario.intents]
        self.segments = list(scenario.segments)
        # Every customer arrives at the initial frustration: their first patience factor is one.
        self._first_patience_factor = (
            patience_factor(self._initial, self.params)
            if self.frustration_on and self._initial > 0
            else None
        )

    def _precompute_calm_outcomes(self) -> None:
        """The outcome of customers who end at ``initial`` frustration, per segment, once.

        That is every customer with frustration off, and most with it on (everyone who never
        waited long): they share churn and NPS class per segment, and those who stayed there
        throughout share their whole outcome per segment and resolution (see _finish).
        """
        initial = self._initial
        self.fixed_outcomes = [
            (
                churn_probability(initial, segment.churn_base, segment.churn_max),
                nps_class(True, initial, self.params),
                nps_class(False, initial, self.params),
            )
            for segment in self.segments
        ]
        # A scenario starting angry has no calm customers: NaN equals no frustration level.
        self._calm_level = initial if initial < self._angry else math.nan
        # Indexed [segment][resolved].
        self._calm_outcomes: list[tuple[Outcome, ...]] = [
            tuple(
                (
                    initial,
                    int(initial) if initial < 100 else 100,
                    int(initial) // 10 if initial < 100 else 9,
                    False,
                    0.0,
                    churn,
                    klass,
                )
                for klass in (if_not, if_resolved)
            )
            for churn, if_resolved, if_not in self.fixed_outcomes
        ]

    def _index_channels(self) -> None:
        """Channel states by index and by name, and the handle-time law of every later leg."""
        scenario = self.scenario
        self.channels = [
            ChannelState(
                i,
                ch.name,
                ch.lines,
                ch.sl_threshold,
                ch.expected_response,
                ch.patience,
                ch.synchronous,
            )
            for i, ch in enumerate(scenario.channels.values())
        ]
        self.channel_by_name = {channel.name: channel for channel in self.channels}
        # Laws looked up on every later leg, resolved once: [intent index][channel index].
        self.handle_laws = [
            [scenario.handle_time.for_contact(intent, channel.name) for channel in self.channels]
            for intent in self.intent_names
        ]

    def _build_queues_and_groups(self) -> None:
        """Skill queues (with their priority levels) and agent groups (with per-intent rules)."""
        scenario = self.scenario
        horizon = self.horizon
        self.queues = {
            name: QueueState(i, name, _priorities(scenario, name), self.n_bins)
            for i, name in enumerate(scenario.skills)
        }
        self.groups = [
            GroupState(i, g, self.n_bins, horizon.interval, horizon.warmup, horizon.end)
            for i, g in enumerate(scenario.agents.values())
        ]
        for group in self.groups:
            group.resolves = [group.definition.resolution_probability(i) for i in self.intent_names]
            group.transfers = [group.definition.transfer_for(i) for i in self.intent_names]

    def _wire_groups_to_queues(self) -> None:
        """Each group serves the queues of its skills; each queue knows the groups serving it.

        Agent groups are tried in name order (the loader sorts them) when several could serve.
        """
        for group in self.groups:
            for skill in group.definition.skills:
                queue = self.queues[skill]
                group.queues.append(queue)
                queue.groups.append(group)
            if len(group.queues) == 1:
                group.lone_queue = group.queues[0]

    def _resolve_routes(self) -> None:
        """Routing is a pure function of (channel, intent, segment): resolve it once per triple."""
        self.source = CustomerSource(self.scenario, self.replication, self.seed)
        self.n_intents = len(self.scenario.intents)
        self.n_segments = len(self.scenario.segments)
        self.routes: list[Route | None] = [
            self._build_route(channel, intent, segment)
            for channel, intent, segment in self.source.combos()
        ]
        #: Escalation and transfer routes, built on first use (see _side_route).
        self._side_routes: dict[tuple[int, int, int, str], Route] = {}

    def _bind_handlers(self) -> None:
        """Handlers as the shared ``callbacks`` lists of their wake-ups (see :class:`Wake`), and
        SimPy's event queue and id counter, for :func:`wake` inlined in the two hottest places.
        """
        self._bot_turn_callbacks = [self._on_bot_turn]
        self._retry_callbacks = [self._on_retry]
        self._patience_callbacks = [self._on_patience]
        self._overflow_callbacks = [self._on_overflow]
        self._service_end_callbacks = [self._on_service_end]
        self._wrap_end_callbacks = [self._on_wrap_end]
        # The closing rules (simulator/model/closing.py).
        self._hours_callbacks = [self._on_hours]
        self._closing_callbacks = [self._on_closing]
        self._overtime_end_callbacks = [self._on_overtime_end]
        self._backlog_callbacks = [self._on_backlog_count]
        # One arrival is pending at a time, so a single event object serves them all.
        self._arrival_callbacks = [self._on_arrival]
        self._arrival = Wake(self._arrival_callbacks)
        # The queue holds duck-typed events too (Wake, Contact: anything with callbacks, _ok).
        self._events: list[tuple[SimTime, EventPriority, int, Any]] = self.env._queue
        self._event_ids = self.env._eid

    def _start_counting(self) -> None:
        """Empty counters, and the arrival cursor at the first block of customers."""
        self._blocks = self.source.blocks()
        self._block: CustomerBlock | None = None
        self._position_in_block = 0
        self.arrived = 0
        self.journey_cells: list[JourneyCell | None] = [None] * self.n_bins
        #: Agent slot-seconds worked in overtime, by group index and day.
        self.overtime_slot_seconds = [[0.0] * self.horizon.days for _ in self.groups]
        #: Backlog at the end of the run, by asynchronous channel: (count, oldest age).
        self.backlog_end: dict[str, tuple[int, float]] = {}
        self.bot_stats = {name: BotStats() for name in self.scenario.bots}
        self.context_losses: dict[tuple[str, str, str], int] = {}
        self.switch_counts: dict[tuple[str, str], int] = {}
        # Retrial switch rows by (segment index, channel index), as looked up on first use.
        self._switch_rows: dict[tuple[int, int], dict[str, float] | None] = {}
        self.callbacks_offered = 0
        self.callbacks_accepted = 0
        self.overflowed = 0

    def _build_route(self, channel_index: int, intent: int, segment: int) -> Route | None:
        """Where contacts of a (channel, intent, segment) go, by the first matching rule."""
        scenario = self.scenario
        channel = self.channels[channel_index]
        rule = scenario.route(channel.name, self.intent_names[intent], self.segments[segment].name)
        if rule is None:
            return None
        if rule.redirect is not None:
            route = Route(channel, intent, segment, None, 0, self.n_bins, REDIRECT)
            route.redirect = rule.redirect
            return route
        bot = scenario.bots.get(rule.to)
        if bot is not None:
            route = Route(channel, intent, segment, None, 0, self.n_bins, BOT)
            route.bot = bot
            route.containment = bot.containment(self.intent_names[intent])
            return route
        route = Route(channel, intent, segment, self.queues[rule.to], rule.priority, self.n_bins)
        if rule.overflow is not None:
            route.overflow = (rule.overflow.after, self.queues[rule.overflow.to])
        route.callback = rule.callback
        route.mean_handle = scenario.handle_time.for_contact(
            self.intent_names[intent], channel.name
        ).mean
        return route

    def _side_route(self, channel: ChannelState, journey: Journey, skill: str) -> Route:
        """A plain queue route for escalations and transfers (cached per triple and skill)."""
        key = (channel.index, journey.intent, journey.segment, skill)
        route = self._side_routes.get(key)
        if route is None:
            route = Route(
                channel, journey.intent, journey.segment, self.queues[skill], 0, self.n_bins
            )
            route.mean_handle = self.scenario.handle_time.for_contact(
                self.intent_names[journey.intent], channel.name
            ).mean
            self._side_routes[key] = route
        return route

    # -- running ---------------------------------------------------------------------------

    def run(self) -> World:
        """Run until the last day has closed and the drain is over (see model/closing.py)."""
        env = self.env
        self._schedule_calendar()
        for group in self.groups:
            for t, heads in group.definition.schedule:
                if t <= 0:
                    group.capacity = group.slots_for(heads)
                elif not self._is_closing_step(t, heads):
                    wake(env, t, Wake([self._on_schedule], (group, heads)))
        self._block = next(self._blocks, None)
        if self._block is not None:
            wake(env, self._block.times[0], self._arrival)
        end = self.horizon.end + self.horizon.drain
        self._run_until(end)
        self.backlog_end = self._backlogs(end)
        for group in self.groups:
            self._end_overtime(group, end)
            group.advance(self.horizon.end)
            group.flush()
        return self

    def _run_until(self, end: float) -> None:
        """``env.run(until=end)``, stopped with a :class:`~simulator.limits.LimitError` after
        :data:`~simulator.limits.MAX_EVENTS` SimPy events.

        The scenario's limits bound customers, not what each of them does: a retrial loop with
        no delay or a bot that never gives up could step forever at one instant. This is
        SimPy's own loop (the same ``until`` event and steps), counted by ``range``, which costs
        nothing measurable (``benchmarks/bench_engine.py``)."""
        env = self.env
        most = int(MAX_EVENTS.value)
        until = simpy.Event(env)
        until._ok = True
        until._value = None
        env.schedule(until, URGENT, end - env.now)
        until.callbacks.append(StopSimulation.callback)  # type: ignore[union-attr]
        step = env.step
        try:
            for _ in range(most):
                step()
        except (StopSimulation, EmptySchedule):
            return
        raise LimitError(
            f"replication {self.replication} stopped after {most:,} simulation events, at "
            f"{env.now:,.0f} s of {end:,.0f} s (its customers contact, retry or loop through "
            f"bots without end?); {MAX_EVENTS.hint}"
        )

    def _on_arrival(self, _event: Any) -> None:
        """A new customer: schedule the next arrival, then make their first contact."""
        block = self._block
        assert block is not None
        k = self._position_in_block  # the customer's index in their block
        now = self.env._now
        route = self.routes[block.combo[k]]
        assert route is not None, "the loader guarantees every combination is routed"
        cell = None
        if now >= self._warmup:
            i = int(now // self._interval)
            cell = self.journey_cells[i]
            if cell is None:
                cell = self.journey_cells[i] = JourneyCell()
            cell.customers += 1
        journey = Journey(block.first_id + k, now, route, self._initial, block, k, cell)
        self.arrived += 1

        # Schedule the next arrival before handling this one: one pending arrival at a time.
        next_block: CustomerBlock | None = block
        if k + 1 == len(block.times):
            next_block = self._block = next(self._blocks, None)
            self._position_in_block = 0
        else:
            self._position_in_block += 1
        if next_block is not None:
            delay = next_block.times[self._position_in_block] - now
            # SimPy set the callbacks to None when it popped the event: hand them back.
            self._arrival.callbacks = self._arrival_callbacks
            # wake(), inlined: this and the end of service are the two wake-ups every customer has
            heappush(
                self._events,
                (now + delay if delay > 0 else now, NORMAL, next(self._event_ids), self._arrival),
            )

        if self.recorder is not None:
            detail = f"{self.intent_names[journey.intent]}/{self.segments[journey.segment].name}"
            self._emit(journey, journey_events.ARRIVED, route.channel, detail=detail)
        if route.kind == QUEUE:
            patience = block.patience[k]
            if self._first_patience_factor is not None:
                patience *= self._first_patience_factor
            self._queue(journey, route, now, patience, block.handle[k], block.wrap_u[k])
        else:
            self._route_contact(journey, route, now)

    # -- journeys: contacts, bots, redirects, retries ------------------------------------------

    def _next_uniform(self, journey: Journey, purpose: int) -> float:
        """The customer's next uniform for a journey purpose (common random numbers)."""
        slots = journey.slots
        if slots is None:
            slots = journey.slots = [0] * N_PURPOSES
        n = slots[purpose]
        slots[purpose] = n + 1
        block: CustomerBlock = journey.block  # type: ignore[assignment]  # set at arrival
        if n == 0:  # the same number as the numpy branch below, read from a list
            first = block.first_u[purpose]
            if first is None:
                first = block.first_uniforms(purpose)
            return first[journey.index]
        if n < JOURNEY_SLOTS:
            return float(block.journey_u[purpose][journey.index * JOURNEY_SLOTS + n])
        return rng.counter_uniform(self.seed, self.replication, purpose, journey.cid, n)

    def _emit(
        self,
        journey: Journey,
        activity: str,
        channel: ChannelState | None,
        resource: str = "",
        value: float | None = None,
        detail: str = "",
        context_lost: bool = False,
    ) -> None:
        """Send one journey step to the recorder (callers check ``self.recorder`` first)."""
        assert self.recorder is not None
        self.recorder(
            JourneyEvent(
                self.replication,
                journey.cid,
                self.env._now,
                activity,
                channel.name if channel is not None else "",
                resource,
                journey.f,
                context_lost,
                value,
                detail,
            )
        )

    def _add_frustration(self, journey: Journey, event: str) -> None:
        if self.frustration_on:
            journey.f = after_event(
                journey.f, event, self.params, self.segments[journey.segment].sensitivity
            )
            if journey.f > journey.peak:
                journey.peak = journey.f

    def _handoff(self, journey: Journey, kind: str, source: str, target: str, kept: bool) -> None:
        """A hand-off: if it does not carry what the customer already said, they must repeat."""
        if kept or not journey.explained:
            return
        journey.repeats += 1
        journey.reexplain_due = True
        key = (kind, source, target)
        self.context_losses[key] = self.context_losses.get(key, 0) + 1
        self._add_frustration(journey, "repeat")
        if self.recorder is not None:
            detail = f"{kind}:{source}->{target}"
            self._emit(
                journey,
                journey_events.CONTEXT_LOST,
                journey.channel,
                detail=detail,
                context_lost=True,
            )

    def _new_contact(
        self, journey: Journey, channel: ChannelState, now: float, carried: bool | None = None
    ) -> None:
        """The customer tries again (or follows a redirect), possibly on another channel.

        Every contact counts towards the journey's limit, redirects included, so no routing can
        send a customer around in circles forever. ``carried`` is a bot's own say on context.
        """
        if journey.contacts >= self.contact_limit:
            self._finish(journey, now, resolved=False)
            return
        journey.contacts += 1
        previous = journey.channel
        if self.recorder is not None:
            source = previous.name if previous is not None else ""
            self._emit(journey, journey_events.CONTACTED, channel, detail=source)
        journey.channel = channel
        if previous is not None and previous is not channel:
            journey.switches += 1
            key = (previous.name, channel.name)
            self.switch_counts[key] = self.switch_counts.get(key, 0) + 1
            kept = self.context.keeps("channel_switch", previous.name, channel.name, carried)
            self._handoff(journey, "channel_switch", previous.name, channel.name, kept)
        route = self.routes[
            (channel.index * self.n_intents + journey.intent) * self.n_segments + journey.segment
        ]
        assert route is not None, "the loader checks that every reachable channel is routed"
        self._route_contact(journey, route, now)

    def _route_contact(self, journey: Journey, route: Route, now: float) -> None:
        if route.kind == QUEUE:
            self._queue_leg(journey, route, now)
        elif route.kind == BOT:
            self._start_bot(journey, route, now)
        else:
            self._redirect(journey, route, now)

    def _queue_leg(
        self,
        journey: Journey,
        route: Route,
        now: float,
        holds_line: bool = False,
        no_line: bool = False,
    ) -> None:
        """A queue visit after the first: draw its patience and handle time now."""
        channel = route.channel
        law = channel.patience
        patience = math.inf
        if law is not None:
            patience = law.draw(self._next_uniform(journey, P_PATIENCE))
            patience *= self.segments[journey.segment].patience_scale
            if self.frustration_on and journey.f > 0:
                patience *= patience_factor(journey.f, self.params)
        handle = self.handle_laws[journey.intent][channel.index].draw(
            self._next_uniform(journey, P_HANDLE)
        )
        self._queue(journey, route, now, patience, handle, 0.5, holds_line, no_line)

    def _start_bot(self, journey: Journey, route: Route, now: float) -> None:
        bot = route.bot
        assert bot is not None
        if not route.channel.open:  # an IVR on a closed line does not answer either
            self._closed_at_entry(journey, route, now)
            return
        journey.bot_sessions += 1
        self.bot_stats[bot.name].sessions += 1
        if self.recorder is not None:
            self._emit(journey, journey_events.BOT_STARTED, route.channel, bot.name)
        wake(
            self.env,
            bot.duration.draw(self._next_uniform(journey, P_BOT_TIME)),
            Wake(self._bot_turn_callbacks, (journey, route, 1)),
        )

    def _on_bot_turn(self, event: Any) -> None:
        journey, route, turn = event._value
        bot: Bot = route.bot
        now = self.env._now
        journey.explained = True
        if self._next_uniform(journey, P_BOT_TURN) < route.containment:
            self.bot_stats[bot.name].contained += 1
            if self.recorder is not None:
                self._emit(journey, journey_events.BOT_RESOLVED, route.channel, bot.name)
            self._resolve(journey, now, bot.name)
            return
        if turn < bot.max_turns:
            self._add_frustration(journey, "bot_loop")
            if self.recorder is not None:
                self._emit(
                    journey, journey_events.BOT_LOOPED, route.channel, bot.name, detail=str(turn)
                )
            wake(
                self.env,
                bot.duration.draw(self._next_uniform(journey, P_BOT_TIME)),
                Wake(self._bot_turn_callbacks, (journey, route, turn + 1)),
            )
            return
        stats = self.bot_stats[bot.name]
        intent = self.intent_names[journey.intent]
        stats.failures_by_intent[intent] = stats.failures_by_intent.get(intent, 0) + 1
        journey.bot_failures += 1
        self._add_frustration(journey, "bot_failure")
        escalation = bot.escalation
        if self.recorder is not None:
            target = escalation.to or escalation.redirect or ""
            self._emit(
                journey, journey_events.BOT_ESCALATED, route.channel, bot.name, detail=target
            )
        if escalation.to:
            stats.escalated += 1
            kept = self.context.keeps("bot_to_agent", carried=escalation.passes_context)
            self._handoff(journey, "bot_to_agent", bot.name, escalation.to, kept)
            channel = route.channel
            self._queue_leg(journey, self._side_route(channel, journey, escalation.to), now)
        else:
            stats.redirected += 1
            self._add_frustration(journey, "redirect")
            # Without to, the loader guarantees redirect (no cast: a call on this path).
            redirect_to = self.channel_by_name[escalation.redirect]  # type: ignore[index]
            self._new_contact(journey, redirect_to, now, carried=escalation.passes_context)

    def _redirect(self, journey: Journey, route: Route, now: float) -> None:
        redirect = route.redirect
        assert redirect is not None
        self._add_frustration(journey, "redirect")
        if self.recorder is not None:
            self._emit(journey, journey_events.REDIRECTED, route.channel, detail=redirect.to)
        if self._next_uniform(journey, P_REDIRECT) < redirect.follow:
            self._new_contact(journey, self.channel_by_name[redirect.to], now)
        else:
            self._after_failure(journey, now)

    def _after_failure(self, journey: Journey, now: float) -> None:
        """Abandoned, blocked, redirected or unresolved: try again later, or give up."""
        retrial = self.retrial
        if not retrial.enabled or journey.contacts >= retrial.max_contacts:
            self._finish(journey, now, resolved=False)
            return
        f = journey.f if self.frustration_on else 0.0
        p = retry_probability(
            retrial.probability, f, journey.contacts, retrial.contact_decay, self.params
        )
        if self._next_uniform(journey, P_RETRY) >= p:
            self._finish(journey, now, resolved=False)
            return
        delay = retrial.delay.draw(self._next_uniform(journey, P_RETRY_DELAY))
        channel = journey.channel
        assert channel is not None
        key = (journey.segment, channel.index)
        rows = self._switch_rows
        if key not in rows:  # first retry from this segment and channel: look the row up once
            found = retrial.switch_row(self.segments[journey.segment].name, channel.name)
            rows[key] = dict(found) if found else None
        row = rows[key]
        if row:
            weights = switch_weights(channel.name, row, f, self.params)
            u = self._next_uniform(journey, P_SWITCH)
            for name, weight in weights.items():
                u -= weight
                if u < 0:
                    channel = self.channel_by_name[name]
                    break
        if self.recorder is not None:
            self._emit(
                journey, journey_events.RETRY, journey.channel, value=delay, detail=channel.name
            )
        wake(self.env, delay, Wake(self._retry_callbacks, (journey, channel)))

    def _on_retry(self, event: Any) -> None:
        journey, channel = event._value
        self._new_contact(journey, channel, self.env._now)

    def _resolve(self, journey: Journey, now: float, by: str = "", handle: float | None = None):
        if self.frustration_on and journey.f > 0.0:
            journey.f = after_resolution(journey.f, self.params)
        if self.recorder is not None:
            self._emit(journey, journey_events.RESOLVED, journey.channel, by, value=handle)
        self._finish(journey, now, resolved=True)

    def _finish(self, journey: Journey, now: float, resolved: bool) -> None:
        """The journey is over: compute its outcome, count it in the customer's interval cell,
        and keep its record when asked to.

        The outcome is computed inline, not by a helper: this runs once per customer, and a
        call costs more than the work for most of them (benchmarks/bench_engine.py).
        """
        if not resolved and self.recorder is not None:
            self._emit(journey, journey_events.GAVE_UP, journey.channel)
        cell = journey.cell
        if cell is None:
            return
        f = journey.f
        contacts = journey.contacts
        total_wait = journey.total_wait
        if contacts > 1 or journey.legs > 1 or journey.bot_sessions:
            effort = effort_score(
                contacts,
                journey.switches,
                journey.transfers,
                journey.repeats,
                total_wait,
                journey.bot_failures,
            )
            hand_offs: HandOffs | None = (
                journey.repeats,
                journey.transfers,
                journey.switches,
                journey.bot_sessions,
                journey.bot_failures,
            )
        else:
            # One contact, one queue visit, no bot (most customers): no switch, transfer, repeat
            # or bot failure can have happened, and effort_score(1, 0, 0, 0, wait, 0) is exactly
            # this, without a call (tests/model/test_world_shortcuts.py checks the equality).
            effort = 1.0 + total_wait / 600.0
            if effort > EFFORT_MAX:
                effort = EFFORT_MAX
            hand_offs = None
        peak = journey.peak
        if f == self._calm_level and peak == f:
            # Calm all along (every customer without frustration, most with it): the outcome is
            # fixed per segment and resolution, computed once.
            outcome = self._calm_outcomes[journey.segment][resolved]
        else:
            segment = self.segments[journey.segment]
            angry = f >= self._angry
            if f == self._initial:  # calm at the end: the same fixed churn and NPS class
                churn, if_resolved, if_not = self.fixed_outcomes[journey.segment]
                klass = if_resolved if resolved else if_not
            else:
                churn = churn_probability(f, segment.churn_base, segment.churn_max)
                klass = nps_class(resolved, f, self.params)
            outcome = (
                f,
                int(peak) if peak < 100 else 100,
                int(f) // 10 if f < 100 else 9,
                angry,
                segment.reach if angry else 0.0,
                churn,
                klass,
            )
        cell.add(
            resolved, now - journey.first_arrival, contacts, total_wait, effort, outcome, hand_offs
        )
        cell.base_churn += self.segments[journey.segment].churn_base  # value at risk: the excess
        if self.journeys is not None:
            self.journeys.append(self._record(journey, now, resolved, effort, outcome))

    def _record(
        self, journey: Journey, now: float, resolved: bool, effort: float, outcome: Outcome
    ) -> JourneyRecord:
        """The immutable record of a finished journey (kept only when the world was asked to)."""
        _final, _peak_point, _final_band, _angry, told, churn, klass = outcome
        return JourneyRecord(
            cid=journey.cid,
            segment=self.segments[journey.segment].name,
            intent=self.intent_names[journey.intent],
            arrived_s=journey.first_arrival,
            resolved=resolved,
            contacts=journey.contacts,
            switches=journey.switches,
            transfers=journey.transfers,
            repeats=journey.repeats,
            reexplain_s=journey.reexplain_s,
            bot_sessions=journey.bot_sessions,
            bot_failures=journey.bot_failures,
            total_wait_s=journey.total_wait,
            time_to_resolution_s=now - journey.first_arrival if resolved else None,
            peak_frustration=journey.peak,
            final_frustration=journey.f,
            churn_probability=churn,
            nps_class=klass,
            effort=effort,
            word_of_mouth=told,
        )

    # -- queues and agents ---------------------------------------------------------------------

    def _queue(
        self,
        journey: Journey,
        route: Route,
        now: float,
        patience: float,
        handle: float,
        wrap_u: float,
        holds_line: bool = False,
        no_line: bool = False,
    ) -> None:
        """A contact joins the skill queue of a QUEUE ``route``: closed, blocked, served, or waits.

        ``holds_line``: it keeps the line of a contact it continues (a transfer); ``no_line``:
        that contact held none (a callback), so neither does this one.

        One piece on purpose: every contact passes here, and each step below is a few lines
        that a helper call would cost more than (benchmarks/bench_engine.py).
        """
        queue = route.queue
        assert queue is not None
        journey.legs += 1
        cell = None
        if now >= self._warmup:
            i = int(now // self._interval)
            if i >= self.n_bins:
                i = self.n_bins - 1
            cell = route.cells[i]
            if cell is None:
                cell = route.cells[i] = Cell.for_groups(len(self.groups))
            cell.offered += 1
        contact = Contact(journey, now, route, patience, handle, wrap_u, cell)
        channel = contact.route.channel
        if self.recorder is not None:
            self._emit(journey, journey_events.QUEUED, channel, queue.name)
        if no_line:
            contact.no_line = True
        elif not holds_line:
            if not channel.open:
                contact.state = CLOSED
                if cell is not None:
                    cell.closed += 1
                self._turned_away(journey, channel, queue.name, None, now)
                return
            if channel.lines is not None and channel.in_system >= channel.lines:
                contact.state = BLOCKED
                if contact.cell is not None:
                    contact.cell.blocked += 1
                self._add_frustration(journey, "blocked")
                if self.recorder is not None:
                    self._emit(journey, journey_events.BLOCKED, channel, queue.name)
                self._after_failure(journey, now)
                return
            channel.in_system += 1
        for group in queue.groups:
            if group.busy < group.capacity:
                group.advance(now)
                self._serve(group, contact, now, 0.0)
                return
        contact.state = WAITING
        if route.callback is not None and self._offer_callback(contact, route, queue):
            contact.callback = True
            contact.patience = math.inf
            if not holds_line and not contact.no_line:  # "without holding a line": release it
                contact.no_line = True
                channel.in_system -= 1
            if self.recorder is not None:
                self._emit(journey, journey_events.CALLBACK, channel, queue.name)
        if queue.single is not None:
            queue.single.append(contact)
        else:
            queue.level(contact.route.priority).append(contact)
        queue.length += 1
        i = int(now // self.horizon.interval)
        if i < self.n_bins and queue.length > queue.longest[i]:
            queue.longest[i] = queue.length
        if contact.patience != math.inf:
            wake(self.env, contact.patience, Wake(self._patience_callbacks, contact))
        if route.overflow is not None:
            wake(self.env, route.overflow[0], Wake(self._overflow_callbacks, contact))

    def _offer_callback(self, contact: Contact, route: Route, queue: QueueState) -> bool:
        slots = sum(g.capacity for g in queue.groups)
        expected = (queue.length + 1) * route.mean_handle / slots if slots else math.inf
        assert route.callback is not None
        if expected <= route.callback.threshold:
            return False
        self.callbacks_offered += 1
        if self._next_uniform(contact.journey, P_CALLBACK) < route.callback.accept:
            self.callbacks_accepted += 1
            return True
        return False

    def _on_overflow(self, event: Any) -> None:
        """Still waiting after the overflow delay: agents of the other skill may now take it."""
        contact: Contact = event._value
        if contact.state != WAITING:
            return
        assert contact.route.overflow is not None
        target = contact.route.overflow[1]
        self.overflowed += 1
        if self.recorder is not None:
            self._emit(
                contact.journey, journey_events.OVERFLOWED, contact.route.channel, target.name
            )
        now = self.env._now
        for group in target.groups:
            if group.busy < group.capacity:
                self._take(contact)
                group.advance(now)
                self._serve(group, contact, now, now - contact.since)
                return
        contact.overflow_queue = target
        priority = contact.route.priority
        target.level(priority if priority in target.priorities else 0).append(contact)
        target.length += 1

    def _take(self, contact: Contact) -> None:
        """Remove a waiting contact from every queue it waits in (entries are dropped lazily)."""
        contact.route.queue.length -= 1  # type: ignore[union-attr]  # a contact's route queues
        if contact.overflow_queue is not None:
            contact.overflow_queue.length -= 1

    def _serve(self, group: GroupState, contact: Contact, now: float, wait: float) -> None:
        """Start service; the caller has brought the group's occupancy up to ``now``."""
        contact.state = SERVED
        contact.group = group
        group.busy += 1
        cell = contact.cell
        if cell is not None:
            channel = contact.route.channel
            if channel.business is None:
                cell.answer(wait, channel.threshold)
            else:  # the promise counts business hours: within it, or not at all
                within = channel.business.open_seconds(contact.since, now) <= channel.threshold
                cell.answer(wait, math.inf if within else -1.0)
        journey = contact.journey
        journey.total_wait += wait
        handle = contact.handle
        if self.frustration_on and wait > 0:
            expected = math.inf if contact.callback else contact.route.expected
            journey.f = after_wait(
                journey.f, wait, expected, self.params, self.segments[journey.segment].sensitivity
            )
            if journey.f > journey.peak:
                journey.peak = journey.f
        if journey.reexplain_due:
            journey.reexplain_due = False
            extra = self.context.re_explain.draw(self._next_uniform(journey, P_REEXPLAIN))
            journey.reexplain_s += extra
            handle += extra
            contact.handle = handle
        journey.explained = True
        if self.recorder is not None:
            self._emit(
                journey, journey_events.ANSWERED, contact.route.channel, group.name, value=wait
            )
        if cell is not None:  # answered and handle time by group, in the cell of arrival
            cell.served[group.index] += 1
            cell.handled[group.index] += handle
        contact.callbacks = self._service_end_callbacks
        heappush(self._events, (now + handle, NORMAL, next(self._event_ids), contact))  # wake()

    def _on_patience(self, event: Any) -> None:
        contact: Contact = event._value
        if contact.state != WAITING:
            return
        contact.state = ABANDONED
        self._take(contact)
        if not contact.no_line:
            contact.route.channel.in_system -= 1
        if contact.cell is not None:
            contact.cell.abandon(contact.patience)
        journey = contact.journey
        journey.total_wait += contact.patience
        if self.frustration_on:
            journey.f = after_wait(
                journey.f,
                contact.patience,
                contact.route.expected,
                self.params,
                self.segments[journey.segment].sensitivity,
            )
            if journey.f > journey.peak:
                journey.peak = journey.f
        self._add_frustration(journey, "abandon")
        if self.recorder is not None:
            queue_name = contact.route.queue.name  # type: ignore[union-attr]
            self._emit(
                journey,
                journey_events.ABANDONED,
                contact.route.channel,
                queue_name,
                contact.patience,
            )
        self._after_failure(journey, self.env._now)

    def _on_service_end(self, contact: Contact) -> None:
        """After a conversation: transfer, resolution, or an unresolved customer; then wrap-up."""
        group = contact.group
        assert group is not None
        journey = contact.journey
        now = self.env._now
        definition = group.definition
        if self.frustration_on and journey.f > 0.0:  # relief of nothing is nothing: skip the exp()
            journey.f = after_service(journey.f, contact.handle, definition.empathy, self.params)
        transfer = group.transfers[journey.intent]
        if not (transfer is not None and self._transferred(journey, contact, group, transfer, now)):
            if not contact.no_line:
                contact.route.channel.in_system -= 1
            p = group.resolves[journey.intent]
            if p >= 1.0 or self._next_uniform(journey, P_RESOLVE) < p:
                # _resolve(), inlined: the most common end of a journey.
                if self.frustration_on and journey.f > 0.0:
                    journey.f = after_resolution(journey.f, self.params)
                if self.recorder is not None:
                    self._emit(
                        journey,
                        journey_events.RESOLVED,
                        journey.channel,
                        group.name,
                        contact.handle,
                    )
                self._finish(journey, now, True)
            else:
                self._add_frustration(journey, "unresolved")
                if self.recorder is not None:
                    channel = contact.route.channel
                    self._emit(
                        journey, journey_events.UNRESOLVED, channel, group.name, contact.handle
                    )
                self._after_failure(journey, now)
        if group.wrap is not None:
            wrap = group.wrap.draw(contact.wrap_u)
            if wrap > 0:
                wake(self.env, wrap, Wake(self._wrap_end_callbacks, group))
                return
        # _release(), inlined: every contact ends here, and a frame less per customer pays for
        # the JourneyCell.add call of _finish (benchmarks/bench_engine.py).
        group.advance(now)
        group.busy -= 1
        if group.busy < group.capacity and (group.lone_queue is None or group.lone_queue.length):
            waiting = self._next_for(group)
            if waiting is not None:
                self._serve(group, waiting, now, now - waiting.since)
        if group.overtime_until and group.busy < group.capacity:
            self._go_home(group, now)

    def _transferred(
        self, journey: Journey, contact: Contact, state: GroupState, transfer: Transfer, now: float
    ) -> bool:
        """Transfer the contact to another queue if the group's rule says so (it keeps its line)."""
        group = state.definition
        if journey.transfers >= MAX_TRANSFERS:
            return False
        if self._next_uniform(journey, P_TRANSFER) >= transfer.probability:
            return False
        journey.transfers += 1
        self._add_frustration(journey, "transfer")
        if self.recorder is not None:
            self._emit(
                journey,
                journey_events.TRANSFERRED,
                contact.route.channel,
                group.name,
                value=contact.handle,
                detail=transfer.to,
            )
        kept = self.context.keeps("transfer")
        self._handoff(journey, "transfer", group.name, transfer.to, kept)
        route = self._side_route(contact.route.channel, journey, transfer.to)
        self._queue_leg(journey, route, now, holds_line=True, no_line=contact.no_line)
        return True

    def _on_wrap_end(self, event: Any) -> None:
        self._release(event._value, self.env._now)

    def _release(self, group: GroupState, now: float) -> None:
        """A slot of the group is free again: it takes the best waiting contact, if any."""
        group.advance(now)
        group.busy -= 1
        if group.busy < group.capacity and (group.lone_queue is None or group.lone_queue.length):
            contact = self._next_for(group)
            if contact is not None:
                self._serve(group, contact, now, now - contact.since)
        if group.overtime_until and group.busy < group.capacity:
            self._go_home(group, now)

    def _on_schedule(self, event: Any) -> None:
        group, heads = event._value
        now = self.env._now
        self._end_overtime(group, now)  # a new shift: overtime, if any, is over
        group.advance(now)
        group.capacity = group.slots_for(heads)
        while group.busy < group.capacity:
            contact = self._next_for(group)
            if contact is None:
                break
            self._serve(group, contact, now, now - contact.since)

    def _next_for(self, group: GroupState) -> Contact | None:
        """Take the best waiting contact for a free agent: highest priority, then longest wait."""
        queues = group.queues
        if len(queues) == 1:
            queue = queues[0]
            if queue.length == 0:
                return None
            contacts = queue.single
            if contacts is not None:
                while contacts:
                    contact = contacts.popleft()
                    if contact.state == WAITING:
                        self._take(contact)
                        return contact
                return None
        best: tuple[Contact, int] | None = None
        best_queue: QueueState | None = None
        for queue in queues:
            if queue.length == 0:
                continue
            head = queue.head()
            if head is None:
                continue
            if best is None or (head[1], -head[0].since) > (best[1], -best[0].since):
                best, best_queue = head, queue
        if best is None or best_queue is None:
            return None
        contact, priority = best
        best_queue.level(priority).popleft()
        self._take(contact)
        return contact

    # -- what the run counted ---------------------------------------------------------------

    def counts(self) -> RunCounts:
        """Every count of this replication as one plain value (see :mod:`simulator.observe.counts`).

        Call it after :meth:`run`. Cells of routes that reach the same queue from the same
        channel are merged per (interval, channel, queue).
        """
        horizon = self.horizon
        return RunCounts(
            replication=self.replication,
            seed=self.seed,
            channels=[channel.name for channel in self.channels],
            queues=list(self.queues),
            cells=self._merged_cells(),
            longest_queue={name: list(queue.longest) for name, queue in self.queues.items()},
            groups=[
                GroupCounts(
                    group.name,
                    list(group.busy_area),
                    list(group.staffed_area),
                    [
                        group.definition.heads_at(horizon.interval_start(i))
                        for i in range(self.n_intervals)
                    ],
                )
                for group in self.groups
            ],
            journeys=[cell or JourneyCell() for cell in self.journey_cells],
            bots=self.bot_stats,
            context_losses=dict(self.context_losses),
            switches=dict(self.switch_counts),
            callbacks_offered=self.callbacks_offered,
            callbacks_accepted=self.callbacks_accepted,
            overflowed=self.overflowed,
            customers=self.arrived,
            overtime_hours={
                group.name: [
                    slots / group.definition.concurrency / 3600.0
                    for slots in self.overtime_slot_seconds[group.index]
                ]
                for group in self.groups
            },
            backlog={
                name: BacklogCounts(
                    self.backlog_open[name], self.backlog_close[name], self.backlog_end[name]
                )
                for name in self.backlog_open
            },
        )

    def _merged_cells(self) -> dict[CellKey, Cell]:
        """Counting cells by (interval, channel index, queue index), merged over routes."""
        groups: dict[CellKey, list[Cell]] = {}
        for route in [*self.routes, *self._side_routes.values()]:
            if route is None or route.queue is None:
                continue
            for i, cell in enumerate(route.cells):
                if cell is not None:
                    key = (i, route.channel.index, route.queue.index)
                    groups.setdefault(key, []).append(cell)
        return {
            key: cells[0] if len(cells) == 1 else merged(cells) for key, cells in groups.items()
        }
