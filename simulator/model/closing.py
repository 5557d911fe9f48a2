"""Opening hours, the end of shifts, overtime and backlogs across nights: the closing rules.

A contact center has hours, and nobody works for free after them (issue #12):

* A synchronous channel is open inside its hours only. A contact that comes while it is closed
  meets "we are closed" (the ``closed`` outcome: counted, a frustration jump, then the retrial
  rules); at closing time, contacts still waiting for it are told the same. A callback already
  promised is kept if an agent group serving its queue has overtime (it stays queued and is made
  in overtime, or the next day), and closed otherwise.
* An asynchronous channel takes contacts at any time; they wait in its backlog through the
  night for the next shift. The backlog is counted when each day opens and closes, and when the
  run stops; it is never answered by anyone off shift.
* When a day closes, every agent finishes the contact in hand and goes home. A group with
  ``overtime`` keeps its busy agents for up to that long, and each takes waiting work until they
  find none, then goes home; the agent time so spent is measured (and costed by the results).
* After the last day closes the world runs at most ``drain`` longer, for contacts in service.

:class:`ClosingRules` is a part of :class:`~simulator.model.world.World` kept in its own module:
it schedules these events and handles them, with the world's queues, groups and journey steps.
None of it is on the path of a contact in open hours, apart from one flag read when a contact
joins a queue or a bot and one when an agent of a group in overtime frees a slot.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from simulator.model.frustration import after_wait
from simulator.model.hours import OpenWindows
from simulator.model.wakeups import CLOSED, WAITING, Wake, wake
from simulator.observe import events as journey_events

if TYPE_CHECKING:  # for annotations only: the world imports this module (and builds nothing)
    from simulator.model import world


class ClosingRules:
    """The closing rules of :class:`~simulator.model.world.World` (mixed into it)."""

    # -- scheduling -----------------------------------------------------------------------

    def _schedule_calendar(self: world.World) -> None:
        """Openings and closings of channels, backlog counts, and every day's closing for every
        group. Backlog counts come first, so the count at an opening is taken before the first
        shift of the day serves anything."""
        horizon = self.horizon
        self._closing_times = {horizon.day_end(day) for day in range(horizon.days)}
        self._backlog_channels = [ch for ch in self.channels if not ch.synchronous]
        days = horizon.days
        self.backlog_open = {ch.name: [(0, math.nan)] * days for ch in self._backlog_channels}
        self.backlog_close = {ch.name: [(0, math.nan)] * days for ch in self._backlog_channels}
        if self._backlog_channels:
            for day in range(days):
                wake_at(self, horizon.day_start(day), self._backlog_callbacks, (day, True))
                wake_at(self, horizon.day_end(day), self._backlog_callbacks, (day, False))
        for channel, definition in zip(self.channels, self.scenario.channels.values(), strict=True):
            windows = OpenWindows(definition.open_windows(horizon))
            if definition.sl_business_hours:
                channel.business = windows
            if not channel.synchronous:
                continue
            channel.open = windows.is_open(0.0)
            for t, opening in windows.changes():
                if t > 0.0:
                    wake_at(self, t, self._hours_callbacks, (channel, opening))
        for group in self.groups:
            for t in sorted(self._closing_times):
                wake_at(self, t, self._closing_callbacks, group)

    def _is_closing_step(self: world.World, t: float, heads: int) -> bool:
        """A schedule's zero step at a day's closing: :meth:`_on_closing` handles it instead."""
        return heads == 0 and t in self._closing_times

    # -- channels -----------------------------------------------------------------------------

    def _on_hours(self: world.World, event: Any) -> None:
        """A synchronous channel opens or closes; at closing, its waiting contacts are closed."""
        channel, opening = event._value
        channel.open = opening
        if opening:
            return
        now = self.env._now
        kept_callbacks = self._callback_queues_with_overtime()
        for queue in self.queues.values():
            for _priority, contacts in queue.levels:
                for contact in list(contacts):
                    if contact.state != WAITING or contact.route.channel is not channel:
                        continue
                    if contact.callback and queue in kept_callbacks:
                        continue
                    self._close_waiting(contact, now)

    def _callback_queues_with_overtime(self: world.World) -> set[Any]:
        """Queues served by a group with overtime: their accepted callbacks are kept."""
        return {queue for g in self.groups if g.definition.overtime > 0 for queue in g.queues}

    def _close_waiting(self: world.World, contact: world.Contact, now: float) -> None:
        """A waiting contact is told that the channel is closed: it waited for nothing."""
        contact.state = CLOSED
        self._take(contact)
        channel = contact.route.channel
        if not contact.no_line:
            channel.in_system -= 1
        if contact.cell is not None:
            contact.cell.closed += 1
        journey = contact.journey
        wait = now - contact.since
        journey.total_wait += wait
        if self.frustration_on and wait > 0:
            expected = math.inf if contact.callback else contact.route.expected
            journey.f = after_wait(
                journey.f, wait, expected, self.params, self.segments[journey.segment].sensitivity
            )
            if journey.f > journey.peak:
                journey.peak = journey.f
        self._turned_away(journey, channel, contact.route.queue.name, wait, now)

    def _closed_at_entry(
        self: world.World, journey: world.Journey, route: world.Route, now: float
    ) -> None:
        """A contact comes to a closed channel whose route starts with a bot: the bot counts it
        (queue KPIs count contacts that reach a queue, so their partitions stay whole)."""
        assert route.bot is not None
        self.bot_stats[route.bot.name].closed += 1
        self._turned_away(journey, route.channel, route.bot.name, None, now)

    def _turned_away(
        self: world.World,
        journey: world.Journey,
        channel: Any,
        queue: str,
        wait: float | None,
        now: float,
    ) -> None:
        self._add_frustration(journey, "closed")
        if self.recorder is not None:
            self._emit(journey, journey_events.CLOSED, channel, queue, wait)
        self._after_failure(journey, now)

    # -- shifts and overtime ------------------------------------------------------------------

    def _on_closing(self: world.World, event: Any) -> None:
        """A day closes: agents finish the contact in hand and go home, or start overtime.

        A shift that goes on at once (a 24-hour day followed by the next) is no closing."""
        group: world.GroupState = event._value
        now = self.env._now
        if self.horizon.days > 1 and group.definition.heads_at(now) > 0:
            return
        group.advance(now)
        overtime = group.definition.overtime
        if overtime > 0 and group.busy > 0 and group.capacity > 0:
            # Idle agents had nothing waiting for them (else they would be busy): home now.
            group.capacity = min(group.capacity, group.busy)
            group.overtime_until = now + overtime
            group.overtime_mark = now
            group.overtime_day = self.horizon.day_of(now)
            wake_at(self, now + overtime, self._overtime_end_callbacks, (group, now + overtime))
        else:
            group.capacity = 0

    def _go_home(self: world.World, group: world.GroupState, now: float) -> None:
        """In overtime, an agent with nothing waiting for them leaves (capacity down to busy)."""
        self._count_overtime(group, now)
        group.advance(now)
        group.capacity = group.busy

    def _on_overtime_end(self: world.World, event: Any) -> None:
        group, until = event._value
        if group.overtime_until != until:
            return  # overtime already over (everyone went home, or the next shift began)
        now = self.env._now
        self._end_overtime(group, now)
        group.advance(now)
        group.capacity = 0

    def _count_overtime(self: world.World, group: world.GroupState, now: float) -> None:
        """Add the agent time spent in overtime since the last change of capacity."""
        slots = group.capacity * (now - group.overtime_mark)
        self.overtime_slot_seconds[group.index][group.overtime_day] += slots
        group.overtime_mark = now

    def _end_overtime(self: world.World, group: world.GroupState, now: float) -> None:
        if group.overtime_until:
            self._count_overtime(group, now)
            group.overtime_until = 0.0

    # -- backlogs and what is left ------------------------------------------------------------

    def _on_backlog_count(self: world.World, event: Any) -> None:
        day, opening = event._value
        counts = self._backlogs(self.env._now)
        target = self.backlog_open if opening else self.backlog_close
        for name, count in counts.items():
            target[name][day] = count

    def _backlogs(self: world.World, now: float) -> dict[str, tuple[int, float]]:
        """Contacts waiting in each asynchronous channel's backlog, and the age of the oldest."""
        found = {channel.name: (0, math.nan) for channel in self._backlog_channels}
        seen: set[int] = set()
        for queue in self.queues.values():
            for _priority, contacts in queue.levels:
                for contact in contacts:
                    channel = contact.route.channel
                    if contact.state != WAITING or channel.synchronous or id(contact) in seen:
                        continue
                    seen.add(id(contact))
                    count, oldest = found[channel.name]
                    age = now - contact.since
                    found[channel.name] = (count + 1, age if not oldest >= age else oldest)
        return found

    def open_journeys(self: world.World) -> list[world.Journey]:
        """The journeys still open when the run stopped: waiting in a queue, in service, in a
        bot, or about to try again. Issue #13 counts them as unfinished; nothing else does yet."""
        found: dict[int, world.Journey] = {}
        for queue in self.queues.values():
            for _priority, contacts in queue.levels:
                for contact in contacts:
                    if contact.state == WAITING:
                        found.setdefault(contact.journey.cid, contact.journey)
        pending = (self._bot_turn_callbacks, self._retry_callbacks)
        for _t, _priority, _eid, event in self.env._queue:
            journey = None
            if getattr(event, "callbacks", None) is self._service_end_callbacks:
                journey = event.journey  # a Contact in service is its own end-of-service event
            elif getattr(event, "callbacks", None) in pending:
                journey = event._value[0]
            if journey is not None:
                found.setdefault(journey.cid, journey)
        return list(found.values())


def wake_at(engine: world.World, t: float, callbacks: list[Any], value: Any) -> None:
    """A wake-up at simulated time ``t`` (from now on) for ``callbacks`` with ``value``."""
    wake(engine.env, t - engine.env._now, Wake(callbacks, value))
