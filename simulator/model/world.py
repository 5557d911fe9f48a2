"""The SimPy world of one replication: channels, skill queues, agent groups and their dispatch.

Why callbacks and not one SimPy process per customer: a contact's life here is a handful of
timeouts (arrival, patience, end of service, end of wrap-up), and chaining callbacks on
``simpy.events.Timeout`` costs a fraction of a generator process with condition events
(``yield request | timeout``). The model stays a plain state machine that is easy to follow:

    arrival -> blocked (lines full) | served at once | waits -> answered | abandons
    answered -> service -> wrap-up -> the agent takes the next contact

Abandonment timers are not cancelled (SimPy cannot); a timer that fires for a contact that is no
longer waiting is ignored. Queues skip abandoned entries lazily when they reach the head.

The world only *updates statistics*; it never formats or prints. See
:mod:`simulator.observe.metrics` for the definitions.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import simpy
from simpy.core import NORMAL

from simulator.distributions import Constant
from simulator.model.customers import CustomerBlock, CustomerSource
from simulator.observe.metrics import Cell, Occupancy, merged, queue_kpis
from simulator.scenario.schema import AgentGroup, Scenario

WAITING, SERVED, ABANDONED, BLOCKED = 0, 1, 2, 3


class Wake:
    """A minimal SimPy event: a callback to run at a time, carrying one value.

    ``simpy.Environment.step`` only needs ``callbacks`` and ``_ok`` of what it pops; building a
    full ``Timeout`` per wake-up costs about a third of a customer's budget. Scheduled with the
    public ``Environment.schedule``.
    """

    __slots__ = ("_value", "callbacks")
    _ok = True

    def __init__(self, callback: Any, value: Any = None) -> None:
        self.callbacks = [callback]
        self._value = value


def wake(env: simpy.Environment, delay: float, callback: Any, value: Any = None) -> None:
    env.schedule(Wake(callback, value), NORMAL, delay)  # type: ignore[arg-type]


class ChannelState:
    __slots__ = ("in_system", "index", "lines", "name", "threshold")

    def __init__(self, index: int, name: str, lines: int | None, threshold: float) -> None:
        self.index = index
        self.name = name
        self.lines = lines
        self.threshold = threshold
        self.in_system = 0  # waiting + in service, for the trunk-capacity check


class QueueState:
    """A skill queue: FCFS within a priority level, higher levels first."""

    __slots__ = ("groups", "index", "length", "levels", "longest", "name", "single")

    def __init__(self, index: int, name: str, priorities: list[int], n_intervals: int) -> None:
        self.index = index
        self.name = name
        self.levels: list[tuple[int, deque[Contact]]] = [
            (p, deque()) for p in sorted(set(priorities) or {0}, reverse=True)
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


class GroupState(Occupancy):
    """An agent group: slot capacity (agents on the phones x concurrency) and busy slots."""

    __slots__ = ("definition", "index", "name", "queues", "wrap")

    def __init__(
        self, index: int, group: AgentGroup, n: int, interval: float, warmup: float, end: float
    ):
        super().__init__(n, interval, warmup, end)
        self.index = index
        self.name = group.name
        self.definition = group
        self.queues: list[QueueState] = []
        wrap = group.wrap_up
        self.wrap = None if isinstance(wrap, Constant) and wrap.value == 0 else wrap

    def slots_for(self, heads: int) -> int:
        return self.definition.on_phones(heads) * self.definition.concurrency


class Route:
    """Where contacts of one (channel, intent, segment) go, and the cells that count them."""

    __slots__ = ("cells", "channel", "intent", "priority", "queue", "segment")

    def __init__(
        self, channel: ChannelState, intent: int, segment: int, queue: QueueState, priority: int
    ) -> None:
        self.channel = channel
        self.intent = intent
        self.segment = segment
        self.queue = queue
        self.priority = priority
        self.cells: list[Cell | None] = []


class Contact:
    """One customer's contact with the center (issue 2: a journey is a single contact)."""

    __slots__ = (
        "cell",
        "channel",
        "cid",
        "group",
        "handle",
        "patience",
        "priority",
        "queue",
        "route",
        "since",
        "state",
        "wrap_u",
    )

    def __init__(
        self, cid: int, since: float, route: Route, patience: float, handle: float, wrap_u: float
    ) -> None:
        self.cid = cid
        self.since = since
        self.route = route
        self.channel = route.channel
        self.queue = route.queue
        self.priority = route.priority
        self.patience = patience
        self.handle = handle
        self.wrap_u = wrap_u
        self.state = WAITING
        self.group: GroupState | None = None
        self.cell: Cell | None = None


class World:
    """Builds the model of one replication from a Scenario and runs it."""

    def __init__(self, scenario: Scenario, replication: int = 0, seed: int | None = None):
        self.scenario = scenario
        self.replication = replication
        self.seed = scenario.seed if seed is None else seed
        horizon = scenario.horizon
        self.horizon = horizon
        self.n_intervals = horizon.n_intervals
        self.env = simpy.Environment()

        self.channels = [
            ChannelState(i, ch.name, ch.lines, ch.sl_threshold)
            for i, ch in enumerate(scenario.channels.values())
        ]
        priorities: dict[str, list[int]] = {}
        for rule in scenario.routing:
            priorities.setdefault(rule.to, []).append(rule.priority)
        self.queues = {
            name: QueueState(i, name, priorities.get(name, [0]), self.n_intervals)
            for i, name in enumerate(scenario.skills)
        }
        self.groups = [
            GroupState(i, g, self.n_intervals, horizon.interval, horizon.warmup, horizon.duration)
            for i, g in enumerate(scenario.agents.values())
        ]
        # Agent groups are tried in file order when several could take a new contact.
        for group in self.groups:
            for skill in group.definition.skills:
                queue = self.queues[skill]
                group.queues.append(queue)
                queue.groups.append(group)

        # Routing is a pure function of (channel, intent, segment): resolve it once per triple.
        self.source = CustomerSource(scenario, replication, self.seed)
        channel_names = list(scenario.channels)
        self.routes: list[Route | None] = []
        for c, k, s in self.source.combos():
            rule = scenario.route(
                channel_names[c], scenario.intents[k].name, scenario.segments[s].name
            )
            self.routes.append(
                None
                if rule is None
                else Route(self.channels[c], k, s, self.queues[rule.to], rule.priority)
            )
        for route in self.routes:
            if route is not None:
                route.cells = [None] * self.n_intervals

        self._blocks = self.source.blocks()
        self._block: CustomerBlock | None = None
        self._k = 0
        self.arrived = 0

    # -- running ---------------------------------------------------------------------------

    def run(self) -> World:
        env = self.env
        for group in self.groups:
            for t, heads in group.definition.schedule:
                if t <= 0:
                    group.capacity = group.slots_for(heads)
                else:
                    wake(env, t, self._on_schedule, (group, heads))
        self._block = next(self._blocks, None)
        if self._block is not None:
            wake(env, self._block.times[0], self._on_arrival)
        end = self.horizon.duration + self.horizon.drain
        env.run(until=end)
        for group in self.groups:
            group.advance(self.horizon.duration)
        return self

    def _on_arrival(self, _event: Any) -> None:
        block = self._block
        assert block is not None
        k = self._k
        env = self.env
        now = env._now
        route = self.routes[block.combo[k]]
        assert route is not None, "the loader guarantees every combination is routed"
        contact = Contact(
            block.first_id + k, now, route, block.patience[k], block.handle[k], block.wrap_u[k]
        )
        self.arrived += 1

        # Schedule the next arrival before handling this one: one pending arrival at a time.
        k += 1
        if k == len(block.times):
            block = self._block = next(self._blocks, None)
            k = 0
        self._k = k
        if block is not None:
            delay = block.times[k] - now
            wake(env, delay if delay > 0 else 0.0, self._on_arrival)

        if now >= self.horizon.warmup:
            i = int(now // self.horizon.interval)
            cell = route.cells[i]
            if cell is None:
                cell = route.cells[i] = Cell()
            cell.offered += 1
            contact.cell = cell
        self._admit(contact, now)

    def _admit(self, contact: Contact, now: float) -> None:
        channel = contact.channel
        if channel.lines is not None and channel.in_system >= channel.lines:
            contact.state = BLOCKED
            if contact.cell is not None:
                contact.cell.blocked += 1
            return
        channel.in_system += 1
        queue = contact.queue
        for group in queue.groups:
            if group.busy < group.capacity:
                self._serve(group, contact, now, 0.0)
                return
        contact.state = WAITING
        if queue.single is not None:
            queue.single.append(contact)
        else:
            queue.level(contact.priority).append(contact)
        queue.length += 1
        i = int(now // self.horizon.interval)
        if i < self.n_intervals and queue.length > queue.longest[i]:
            queue.longest[i] = queue.length
        if contact.patience != math.inf:
            wake(self.env, contact.patience, self._on_patience, contact)

    def _serve(self, group: GroupState, contact: Contact, now: float, wait: float) -> None:
        contact.state = SERVED
        contact.group = group
        group.advance(now)
        group.busy += 1
        cell = contact.cell
        if cell is not None:
            cell.answer(wait, contact.channel.threshold)
        wake(self.env, contact.handle, self._on_service_end, contact)

    def _on_patience(self, event: Any) -> None:
        contact: Contact = event._value
        if contact.state != WAITING:
            return
        contact.state = ABANDONED
        contact.queue.length -= 1
        contact.channel.in_system -= 1
        if contact.cell is not None:
            contact.cell.abandon(contact.patience)

    def _on_service_end(self, event: Any) -> None:
        contact: Contact = event._value
        contact.channel.in_system -= 1
        group = contact.group
        assert group is not None
        if group.wrap is not None:
            wrap = group.wrap.draw(contact.wrap_u)
            if wrap > 0:
                wake(self.env, wrap, self._on_wrap_end, group)
                return
        self._release(group)

    def _on_wrap_end(self, event: Any) -> None:
        self._release(event._value)

    def _release(self, group: GroupState) -> None:
        now = self.env._now
        group.advance(now)
        group.busy -= 1
        if group.busy < group.capacity:
            contact = self._next_for(group)
            if contact is not None:
                self._serve(group, contact, now, now - contact.since)

    def _on_schedule(self, event: Any) -> None:
        group, heads = event._value
        now = self.env._now
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
                        queue.length -= 1
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
        best_queue.length -= 1
        return contact

    # -- results ---------------------------------------------------------------------------

    def cells(self) -> dict[tuple[int, int, int], Cell]:
        """Counting cells by (interval, channel index, queue index), merged over routes."""
        cells: dict[tuple[int, int, int], Cell] = {}
        for route in self.routes:
            if route is None:
                continue
            for i, cell in enumerate(route.cells):
                if cell is not None:
                    key = (i, route.channel.index, route.queue.index)
                    if key in cells:
                        cells[key].merge(cell)
                    else:
                        cells[key] = cell
        return cells

    def kpis(self) -> dict[str, Any]:
        """This replication's KPIs: overall, by channel, by skill queue, by group, by interval."""
        horizon = self.horizon
        window = max(horizon.duration - horizon.warmup, 1e-9)
        cells = self.cells()
        overall = merged(cells.values())
        busy = sum(sum(g.busy_area) for g in self.groups)
        staffed = sum(sum(g.staffed_area) for g in self.groups)

        result: dict[str, Any] = {"overall": queue_kpis(overall)}
        result["overall"]["occupancy"] = busy / staffed if staffed else math.nan
        result["overall"]["longest_queue"] = float(
            max((max(q.longest) for q in self.queues.values()), default=0)
        )
        result["overall"]["mean_queue"] = overall.wait_sum / window

        result["by_channel"] = {
            ch.name: queue_kpis(merged(c for k, c in cells.items() if k[1] == ch.index))
            for ch in self.channels
        }
        by_queue = {}
        for queue in self.queues.values():
            cell = merged(c for k, c in cells.items() if k[2] == queue.index)
            kpis = queue_kpis(cell)
            kpis["longest_queue"] = float(max(queue.longest))
            kpis["mean_queue"] = cell.wait_sum / window
            by_queue[queue.name] = kpis
        result["by_queue"] = by_queue
        result["by_group"] = {
            g.name: {
                "occupancy": sum(g.busy_area) / sum(g.staffed_area)
                if sum(g.staffed_area)
                else math.nan,
                "staffed_slot_hours": sum(g.staffed_area) / 3600.0,
                "busy_slot_hours": sum(g.busy_area) / 3600.0,
            }
            for g in self.groups
        }
        by_interval = []
        for i in range(self.n_intervals):
            kpis = queue_kpis(merged(c for k, c in cells.items() if k[0] == i))
            b = sum(g.busy_area[i] for g in self.groups)
            s = sum(g.staffed_area[i] for g in self.groups)
            kpis["occupancy"] = b / s if s else math.nan
            kpis["longest_queue"] = float(
                max((q.longest[i] for q in self.queues.values()), default=0)
            )
            kpis["agents"] = float(
                sum(g.definition.heads_at(i * horizon.interval) for g in self.groups)
            )
            by_interval.append(kpis)
        result["by_interval"] = by_interval
        return result


def run_replication(scenario: Scenario, replication: int, seed: int | None = None) -> dict:
    """Run one replication and return its KPIs (a plain dict, cheap to send between processes)."""
    return World(scenario, replication, seed).run().kpis()
