"""Skill queues and agents: a contact joins a queue, waits, is served or leaves, and the agent
takes the next one.

:class:`QueueService` is a part of :class:`~simulator.model.world.World` kept in its own module
(mixed into it, as :class:`~simulator.model.closing.ClosingRules` is). It holds the engine's
hottest handlers (:meth:`~QueueService._queue`, :meth:`~QueueService._serve`,
:meth:`~QueueService._on_service_end`): their steps stay inlined, each with a comment saying why
(benchmarks/bench_engine.py measures them).
"""

from __future__ import annotations

import math
from heapq import heappush
from typing import TYPE_CHECKING, Any

from simpy.core import NORMAL

from simulator.model.entities import (
    MAX_TRANSFERS,
    P_CALLBACK,
    P_REEXPLAIN,
    P_RESOLVE,
    P_TRANSFER,
    Contact,
    GroupState,
    Journey,
    QueueState,
    Route,
)
from simulator.model.frustration import after_resolution, after_service
from simulator.model.wakeups import ABANDONED, BLOCKED, CLOSED, SERVED, WAITING, Wake, wake
from simulator.observe import events as journey_events
from simulator.observe.journey import RESOLVED
from simulator.observe.metrics import Cell
from simulator.scenario.schema import Transfer

if TYPE_CHECKING:  # for annotations only: the world imports this module
    from simulator.model import world


class QueueService:
    """Queues and agents of :class:`~simulator.model.world.World` (mixed into it)."""

    def _queue(
        self: world.World,
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
        if not channel.synchronous:
            journey.explained = True  # the message is the explanation
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
                journey.closed_or_blocked += 1
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

    def _offer_callback(
        self: world.World, contact: Contact, route: Route, queue: QueueState
    ) -> bool:
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

    def _on_overflow(self: world.World, event: Any) -> None:
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

    def _take(self: world.World, contact: Contact) -> None:
        """Remove a waiting contact from every queue it waits in (entries are dropped lazily)."""
        contact.route.queue.length -= 1  # type: ignore[union-attr]  # a contact's route queues
        if contact.overflow_queue is not None:
            contact.overflow_queue.length -= 1

    def _serve(
        self: world.World, group: GroupState, contact: Contact, now: float, wait: float
    ) -> None:
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
        if wait > 0.0:
            self._waited(journey, contact, wait)
        handle = contact.handle
        if journey.reexplain_due:  # a hand-off lost what they said: they say it all again
            journey.reexplain_due = False
            journey.repeats += 1
            self._add_frustration(journey, "repeat")
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

    def _on_patience(self: world.World, event: Any) -> None:
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
        self._waited(journey, contact, contact.patience)
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

    def _on_service_end(self: world.World, contact: Contact) -> None:
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
                self._finish(journey, now, RESOLVED)
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
        self: world.World,
        journey: Journey,
        contact: Contact,
        state: GroupState,
        transfer: Transfer,
        now: float,
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

    def _on_wrap_end(self: world.World, event: Any) -> None:
        self._release(event._value, self.env._now)

    def _release(self: world.World, group: GroupState, now: float) -> None:
        """A slot of the group is free again: it takes the best waiting contact, if any."""
        group.advance(now)
        group.busy -= 1
        if group.busy < group.capacity and (group.lone_queue is None or group.lone_queue.length):
            contact = self._next_for(group)
            if contact is not None:
                self._serve(group, contact, now, now - contact.since)
        if group.overtime_until and group.busy < group.capacity:
            self._go_home(group, now)

    def _on_schedule(self: world.World, event: Any) -> None:
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

    def _next_for(self: world.World, group: GroupState) -> Contact | None:
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
