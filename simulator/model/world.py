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

A :class:`~simulator.model.entities.Journey` is one customer across contacts; a
:class:`~simulator.model.entities.Contact` is one queue visit.
Every hand-off (bot to agent, transfer, channel switch) checks the scenario's context policy:
without context the customer repeats themselves (re-explain time, a frustration jump).
Frustration follows :mod:`simulator.model.frustration`; outcomes :mod:`simulator.model.outcomes`.

Abandonment timers are not cancelled (SimPy cannot); a timer that fires for a contact that is no
longer waiting is ignored. Queues skip abandoned entries lazily when they reach the head.

The world is one class in five modules, cut along the seams of a journey: this one builds it,
runs it and hands its counts over; :mod:`simulator.model.entities` holds the parts it is made of
(channels, queues, agent groups, routes, journeys, contacts); :mod:`simulator.model.journeys` a
customer's way between contacts (bots, redirects, hand-offs, retries);
:mod:`simulator.model.service` queues and agents (the hottest handlers);
:mod:`simulator.model.endings` the end of a journey and its outcome; and
:mod:`simulator.model.closing` opening hours, shifts and backlogs. Each part is a mixin of
:class:`World`, so a handler is one attribute lookup away as before.

The world only *counts*; it never summarises, prices, formats or prints. :meth:`World.counts`
hands what it counted over as one plain value (:class:`~simulator.observe.counts.RunCounts`),
from which :mod:`simulator.observe.results` computes the results and :mod:`simulator.observe.costs`
the costs; :mod:`simulator.experiment.replication` is what builds and runs worlds.
"""

from __future__ import annotations

from heapq import heappop, heappush
from typing import TYPE_CHECKING, Any

import simpy
from simpy.core import NORMAL, URGENT, StopSimulation

from simulator.limits import MAX_EVENTS, LimitError
from simulator.model.closing import ClosingRules
from simulator.model.customers import CustomerBlock, CustomerSource
from simulator.model.endings import JourneyEndings
from simulator.model.entities import (
    BOT,
    MAX_CONTACTS_WITHOUT_RETRIAL,
    MAX_TRANSFERS,
    QUEUE,
    REDIRECT,
    ChannelState,
    Contact,
    GroupState,
    Journey,
    QueueState,
    Route,
    priorities_of,
)
from simulator.model.frustration import FrustrationParams, patience_factor
from simulator.model.journeys import JourneySteps
from simulator.model.service import QueueService
from simulator.model.wakeups import WAITING, Wake, wake
from simulator.observe import events as journey_events
from simulator.observe.counts import BacklogCounts, CellKey, GroupCounts, RunCounts
from simulator.observe.events import Recorder
from simulator.observe.journey import BotStats, JourneyCell, JourneyRecord, settle_cells
from simulator.observe.metrics import Cell, merged
from simulator.observe.pain import CAUSES, PainKey
from simulator.scenario.schema import Scenario

if TYPE_CHECKING:
    from simpy.core import SimTime
    from simpy.events import EventPriority

#: Names tests and tools import from here (the parts live in the modules named above).
__all__ = ["MAX_TRANSFERS", "WAITING", "Contact", "Journey", "Wake", "World", "wake"]


def raise_failure(event: Any) -> None:
    """Crash the run with a failed SimPy event's exception, as ``Environment.step`` does (a copy
    with a fresh traceback, the original as its cause)."""
    error = type(event._value)(*event._value.args)
    error.__cause__ = event._value
    raise error


class World(JourneySteps, QueueService, JourneyEndings, ClosingRules):
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
        self._precompute_outcomes()
        self._index_channels()
        self._build_queues_and_groups()
        self._wire_groups_to_queues()
        self._resolve_routes()
        self._bind_handlers()
        self._start_counting()
        self._precompute_frustration_steps()

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
            name: QueueState(i, name, priorities_of(scenario, name), self.n_bins)
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
        #: Frustration points gained, by cause, channel, segment and intent (counted customers
        #: only), laid out as JourneyEndings._pain_index says.
        self._cause_stride = len(self.channels) * self.n_segments * self.n_intents
        self.pain = [0.0] * (len(CAUSES) * self._cause_stride)

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
            route.pain = self._pain_index(0, channel.index, journey.segment, journey.intent)
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
        self._finish_open_journeys(end)
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
        SimPy's own loop (the same ``until`` event), counted by ``range``, with the body of
        ``Environment.step`` written out: a call per event was a few per cent of the run
        (``benchmarks/bench_engine.py``). ``tests/model/test_world_shortcuts.py`` checks that it
        runs a day exactly as ``env.run(until=...)`` does, failed events included."""
        env = self.env
        most = int(MAX_EVENTS.value)
        until = simpy.Event(env)
        until._ok = True
        until._value = None
        env.schedule(until, URGENT, end - env.now)
        until.callbacks.append(StopSimulation.callback)  # type: ignore[union-attr]
        events = env._queue
        try:
            for _ in range(most):
                try:
                    env._now, _, _, event = heappop(events)
                except IndexError:
                    return  # nothing left to happen (SimPy's EmptySchedule)
                callbacks, event.callbacks = event.callbacks, None
                for callback in callbacks:
                    callback(event)
                if not event._ok and not hasattr(event, "_defused"):
                    raise_failure(event)
        except StopSimulation:
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

    # -- what the run counted ---------------------------------------------------------------

    def counts(self) -> RunCounts:
        """Every count of this replication as one plain value (see :mod:`simulator.observe.counts`).

        Call it after :meth:`run`. Cells of routes that reach the same queue from the same
        channel are merged per (interval, channel, queue); journey cells are settled (their
        surveys added into their sums: plain numbers, whatever process reads them).
        """
        horizon = self.horizon
        settle_cells(cell for cell in self.journey_cells if cell is not None)
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
            pain=self._pain_counts(),
            backlog={
                name: BacklogCounts(
                    self.backlog_open[name], self.backlog_close[name], self.backlog_end[name]
                )
                for name in self.backlog_open
            },
        )

    def _pain_counts(self) -> dict[PainKey, float]:
        """Frustration points gained, by (cause, channel, segment, intent) name, where any.

        The counts are laid out [cause][channel][segment][intent] (see ``_pain_index``): the
        few that are not zero are found in one pass, their names read off the index, in the
        order of the layout."""
        found: dict[PainKey, float] = {}
        n_channels, n_segments, n_intents = len(self.channels), self.n_segments, self.n_intents
        for index, points in enumerate(self.pain):
            if points > 0.0:
                rest, intent = divmod(index, n_intents)
                rest, segment = divmod(rest, n_segments)
                cause, channel = divmod(rest, n_channels)
                key = (
                    CAUSES[cause],
                    self.channels[channel].name,
                    self.segments[segment].name,
                    self.intent_names[intent],
                )
                found[key] = points
        return found

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
