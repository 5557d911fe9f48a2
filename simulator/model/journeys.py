"""A customer's way through the center: contacts, bots, redirects, hand-offs and retries.

:class:`JourneySteps` is a part of :class:`~simulator.model.world.World` kept in its own module
(mixed into it, as :class:`~simulator.model.closing.ClosingRules` is): what happens to a journey
between its contacts. A contact that reaches a skill queue goes on in
:mod:`simulator.model.service`; a journey that ends goes to :mod:`simulator.model.endings`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from simulator.model import rng
from simulator.model.customers import CustomerBlock
from simulator.model.entities import (
    BOT,
    JOURNEY_SLOTS,
    N_PURPOSES,
    P_BOT_TIME,
    P_BOT_TURN,
    P_HANDLE,
    P_PATIENCE,
    P_REDIRECT,
    P_RETRY,
    P_RETRY_DELAY,
    P_SWITCH,
    QUEUE,
    ChannelState,
    Journey,
    Route,
)
from simulator.model.frustration import (
    after_resolution,
    patience_factor,
    retry_probability,
    switch_weights,
)
from simulator.model.wakeups import Wake, wake
from simulator.observe import events as journey_events
from simulator.observe.events import JourneyEvent
from simulator.observe.journey import GAVE_UP, RESOLVED
from simulator.scenario.schema import Bot

if TYPE_CHECKING:  # for annotations only: the world imports this module
    from simulator.model import world


class JourneySteps:
    """The journey steps of :class:`~simulator.model.world.World` (mixed into it)."""

    def _next_uniform(self: world.World, journey: Journey, purpose: int) -> float:
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
        self: world.World,
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

    def _handoff(
        self: world.World, journey: Journey, kind: str, source: str, target: str, kept: bool
    ) -> None:
        """A hand-off: if it does not carry what the customer already said, context is lost.

        The customer repeats it only when they next talk to someone (an agent answers, a bot
        starts): a customer who hangs up before that never repeated anything. The loss itself
        is counted here (``context_losses``, the ``context_lost`` event).
        """
        if kept or not journey.explained:
            return
        journey.reexplain_due = True
        key = (kind, source, target)
        self.context_losses[key] = self.context_losses.get(key, 0) + 1
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
        self: world.World,
        journey: Journey,
        channel: ChannelState,
        now: float,
        carried: bool | None = None,
    ) -> None:
        """The customer tries again (or follows a redirect), possibly on another channel.

        Every contact counts towards the journey's limit, redirects included, so no routing can
        send a customer around in circles forever. ``carried`` is a bot's own say on context.
        """
        if journey.contacts >= self.contact_limit:
            self._finish(journey, now, GAVE_UP)
            return
        journey.contacts += 1
        previous = journey.channel
        if self.recorder is not None:
            source = previous.name if previous is not None else ""
            self._emit(journey, journey_events.CONTACTED, channel, detail=source)
        route = self.routes[
            (channel.index * self.n_intents + journey.intent) * self.n_segments + journey.segment
        ]
        assert route is not None, "the loader checks that every reachable channel is routed"
        journey.channel = channel
        journey.pain = route.pain
        if previous is not None and previous is not channel:
            journey.switches += 1
            key = (previous.name, channel.name)
            self.switch_counts[key] = self.switch_counts.get(key, 0) + 1
            kept = self.context.keeps("channel_switch", previous.name, channel.name, carried)
            self._handoff(journey, "channel_switch", previous.name, channel.name, kept)
        self._route_contact(journey, route, now)

    def _route_contact(self: world.World, journey: Journey, route: Route, now: float) -> None:
        if route.kind == QUEUE:
            self._queue_leg(journey, route, now)
        elif route.kind == BOT:
            self._start_bot(journey, route, now)
        else:
            self._redirect(journey, route, now)

    def _queue_leg(
        self: world.World,
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

    def _start_bot(self: world.World, journey: Journey, route: Route, now: float) -> None:
        bot = route.bot
        assert bot is not None
        if not route.channel.open:  # an IVR on a closed line does not answer either
            self._closed_at_entry(journey, route, now)
            return
        journey.bot_sessions += 1
        self.bot_stats[bot.name].sessions += 1
        if journey.reexplain_due:  # a hand-off lost what they said: they tell the bot again
            journey.reexplain_due = False
            journey.repeats += 1
            self._add_frustration(journey, "repeat")
        if self.recorder is not None:
            self._emit(journey, journey_events.BOT_STARTED, route.channel, bot.name)
        wake(
            self.env,
            bot.duration.draw(self._next_uniform(journey, P_BOT_TIME)),
            Wake(self._bot_turn_callbacks, (journey, route, 1)),
        )

    def _on_bot_turn(self: world.World, event: Any) -> None:
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

    def _redirect(self: world.World, journey: Journey, route: Route, now: float) -> None:
        redirect = route.redirect
        assert redirect is not None
        if not route.channel.synchronous:
            journey.explained = True  # the message is the explanation
        self._add_frustration(journey, "redirect")
        if self.recorder is not None:
            self._emit(journey, journey_events.REDIRECTED, route.channel, detail=redirect.to)
        if self._next_uniform(journey, P_REDIRECT) < redirect.follow:
            self._new_contact(journey, self.channel_by_name[redirect.to], now)
        else:
            self._after_failure(journey, now)

    def _after_failure(self: world.World, journey: Journey, now: float) -> None:
        """Abandoned, blocked, redirected or unresolved: try again later, or give up."""
        retrial = self.retrial
        if not retrial.enabled or journey.contacts >= retrial.max_contacts:
            self._finish(journey, now, GAVE_UP)
            return
        f = journey.f if self.frustration_on else 0.0
        p = retry_probability(
            retrial.probability, f, journey.contacts, retrial.contact_decay, self.params
        )
        if self._next_uniform(journey, P_RETRY) >= p:
            self._finish(journey, now, GAVE_UP)
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

    def _on_retry(self: world.World, event: Any) -> None:
        journey, channel = event._value
        self._new_contact(journey, channel, self.env._now)

    def _resolve(
        self: world.World, journey: Journey, now: float, by: str = "", handle: float | None = None
    ):
        if self.frustration_on and journey.f > 0.0:
            journey.f = after_resolution(journey.f, self.params)
        if self.recorder is not None:
            self._emit(journey, journey_events.RESOLVED, journey.channel, by, value=handle)
        self._finish(journey, now, RESOLVED)
