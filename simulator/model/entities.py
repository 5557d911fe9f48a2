"""The engine's mutable parts: channels, skill queues, agent groups, routes, journeys, contacts.

:class:`~simulator.model.world.World` builds them from a scenario and its handlers (the world's
own and its mixins' in :mod:`simulator.model.journeys`, :mod:`simulator.model.service`,
:mod:`simulator.model.endings` and :mod:`simulator.model.closing`) change them. They are plain
slotted classes, not dataclasses: the handlers read and write their attributes millions of
times, and what most customers never change (transfers, bot sessions, hand-offs) starts from
class-level defaults so that it costs nothing per customer.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from simulator.distributions import Constant, Distribution
from simulator.model import rng
from simulator.model.customers import CustomerBlock
from simulator.model.hours import OpenWindows
from simulator.model.wakeups import WAITING
from simulator.observe.journey import JourneyCell
from simulator.observe.metrics import Cell, Occupancy
from simulator.scenario.schema import AgentGroup, Bot, Callback, Redirect, Scenario, Transfer

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
        "wait_terms",
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
        #: What a wait on this channel costs in frustration, looked up once by the world
        #: (``JourneyEndings._precompute_frustration_steps``): (the promise as the frustration
        #: model reads it, the seconds of its "minute", wait_slow x the promise, the load of a
        #: wait exactly as long as promised).
        self.wait_terms = (0.0, 60.0, 0.0, 0.0)


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


def priorities_of(scenario: Scenario, skill: str) -> list[int]:
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
        "pain",
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
        #: Where this (channel, segment, intent)'s frustration points of a cause are counted,
        #: from that cause's start (set by the world: ``JourneyEndings._pain_index``).
        self.pain = 0


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
        "pain",
        "peak",
        "segment",
        "slots",
        "total_wait",
        "wait_excess",
    )
    # What only longer journeys change (bots, transfers, hand-offs, channel switches) starts
    # from these class-level defaults: most customers make one contact and never write them, so
    # they cost nothing per customer; the first write gives the journey an instance dict.
    bot_failures = bot_sessions = repeats = switches = transfers = 0
    closed_or_blocked = 0  # times a channel was closed or its lines busy
    reexplain_s = 0.0
    reexplain_due = False  # lost context: whoever the customer talks to next needs it again

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
        self.pain = route.pain  # where the channel's frustration points go (see Route.pain)
        self.contacts = 1
        self.legs = 0
        self.total_wait = 0.0
        self.wait_excess = 0.0  # beyond the promise, in promises, summed (many customers wait)
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
