"""How a journey ends: its outcome computed, counted in its cell, and kept as a record; and what
a customer felt along the way, attributed to its causes.

:class:`JourneyEndings` is a part of :class:`~simulator.model.world.World` kept in its own module
(mixed into it, as :class:`~simulator.model.closing.ClosingRules` is). A journey ends resolved,
given up, or **unfinished**: when the run stops, every journey still open (waiting, in service,
with a bot, about to try again) is ended as it stands, its wait until the cut-off counted, so
that every customer counted after the warm-up is in every outcome (issue #13).

:meth:`~JourneyEndings._finish` runs once per customer, so the outcomes most customers share
(one contact answered within its promise and resolved; calm all along) are computed once, and
every other distinct outcome once per run (:class:`~simulator.model.outcomes.OutcomeTable`).
"""

from __future__ import annotations

import math
from math import exp
from typing import TYPE_CHECKING

from simulator.model.entities import Contact, Journey
from simulator.model.frustration import F_MAX, saturate, wait_clock, wait_load
from simulator.model.outcomes import EFFORT_MAX, OutcomeTable, effort_score, likely_class
from simulator.model.wakeups import WAITING
from simulator.observe import events as journey_events
from simulator.observe.journey import (
    ENDINGS,
    GAVE_UP,
    RESOLVED,
    UNFINISHED,
    Feeling,
    HandOffs,
    JourneyRecord,
    Survey,
)
from simulator.observe.pain import CAUSES, EVENT_CAUSES

if TYPE_CHECKING:  # for annotations only: the world imports this module
    from simulator.model import world

#: Causes by index, as the pain counts are laid out (see :meth:`JourneyEndings._pain_index`).
WAITING_CAUSE = CAUSES.index("waiting")
BEYOND_PROMISE_CAUSE = CAUSES.index("waiting_beyond_promise")
EVENT_CAUSE_INDEX = {event: CAUSES.index(cause) for event, cause in EVENT_CAUSES.items()}


class JourneyEndings:
    """The end of a journey in :class:`~simulator.model.world.World`, and the frustration
    steps that count their cause (mixed into it)."""

    def _precompute_outcomes(self: world.World) -> None:
        """The outcome table, and the outcomes most customers share, once.

        Most customers make one contact, are answered within its promise and resolved: their
        effort is 1 and their outcome fixed per segment. With frustration off, or calm all
        along, they also share what they felt (``initial`` throughout).
        """
        initial = self._initial
        self.outcome_table = OutcomeTable(self.scenario.outcomes, self.segments)
        self._outcomes = self.outcome_table.known  # looked up by _finish without a call
        self.effort_weights = self.scenario.outcomes.effort
        self._effortless = [
            self.outcome_table.get(index, True, 1.0) for index in range(len(self.segments))
        ]
        # A scenario starting angry has no calm customers: NaN equals no frustration level.
        self._calm_level = initial if initial < self._angry else math.nan
        self._calm_feeling: Feeling = (
            initial,
            int(initial) if initial < 100 else 100,
            int(initial) // 10 if initial < 100 else 9,
            False,
        )

    def _finish(self: world.World, journey: Journey, now: float, ending: int) -> None:
        """The journey is over (:data:`~simulator.observe.journey.RESOLVED`, ``GAVE_UP`` or
        ``UNFINISHED``): compute its outcome, count it in the customer's interval cell, and keep
        its record when asked to.

        The outcome is computed inline, not by a helper: this runs once per customer, and a
        call costs more than the work for most of them (benchmarks/bench_engine.py).
        """
        if ending == GAVE_UP and self.recorder is not None:
            self._emit(journey, journey_events.GAVE_UP, journey.channel)
        cell = journey.cell
        if cell is None:
            return
        resolved = ending == RESOLVED
        contacts = journey.contacts
        hand_offs: HandOffs | None = None
        survey: Survey | None = None
        if contacts > 1 or journey.legs > 1 or journey.bot_sessions or journey.closed_or_blocked:
            effort = effort_score(  # by position, in effort_score's order
                self.effort_weights,
                contacts,
                journey.switches,
                journey.transfers,
                journey.repeats,
                journey.bot_failures,
                journey.wait_excess,
                resolved,
                journey.closed_or_blocked,
            )
            hand_offs = (
                journey.repeats,
                journey.transfers,
                journey.switches,
                journey.bot_sessions,
                journey.bot_failures,
            )
        elif resolved and not journey.wait_excess:
            # One contact, answered within its promise, resolved (most customers): effort 1,
            # the segment's fixed outcome (tests/model/test_world_shortcuts.py pins both).
            effort = 1.0
            survey = self._effortless[journey.segment]
        else:
            # One contact that waited beyond its promise or did not resolve: effort_score with
            # every other fact 0, without the call (tests/model/test_world_shortcuts.py).
            weights = self.effort_weights
            excess = journey.wait_excess
            burden = weights.wait_beyond_promise * math.log1p(excess) if excess else 0.0
            if not resolved:
                burden += weights.unresolved
            effort = 1.0 + burden  # summed in effort_score's order: the same float
            if effort > EFFORT_MAX:
                effort = EFFORT_MAX
        if survey is None:
            # OutcomeTable.get, its lookup written out (its key: effort in hundredths).
            survey = self._outcomes.get((journey.segment, resolved, int(effort * 100.0 + 0.5)))
            if survey is None:
                survey = self.outcome_table.get(journey.segment, resolved, effort)
        f = journey.f
        peak = journey.peak
        if f == self._calm_level and peak == f:
            feeling = self._calm_feeling  # calm all along: every customer without frustration
        else:
            feeling = (
                f,
                int(peak) if peak < 100 else 100,
                int(f) // 10 if f < 100 else 9,
                f >= self._angry,
            )
        cell.add(
            ending,
            now - journey.first_arrival,
            contacts,
            journey.total_wait,
            effort,
            feeling,
            survey,
            hand_offs,
        )
        if self.journeys is not None:
            self.journeys.append(self._record(journey, now, ending, effort, survey))

    def _record(
        self: world.World,
        journey: Journey,
        now: float,
        ending: int,
        effort: float,
        survey: Survey,
    ) -> JourneyRecord:
        """The immutable record of an ended journey (kept only when the world was asked to)."""
        _promoter, _detractor, churn, excess_churn, told_bad, told_good, answers = survey
        resolved = ending == RESOLVED
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
            nps_class=likely_class(answers),
            effort=effort,
            word_of_mouth=told_bad,
            outcome=ENDINGS[ending],
            ended_s=now,
            wait_beyond_promise=journey.wait_excess,
            closed_or_blocked=journey.closed_or_blocked,
            recommend=answers,
            excess_churn=excess_churn,
            word_of_mouth_positive=told_good,
        )

    # -- the cut-off ----------------------------------------------------------------------------

    def _finish_open_journeys(self: world.World, now: float) -> None:
        """End every journey still open when the run stops as unfinished, in the order of the
        customers' ids: a customer still waiting has waited until ``now``, and feels it."""
        for journey, waiting in self._open_journeys_and_waits():
            if waiting is not None:
                self._waited(journey, waiting, now - waiting.since)
            self._finish(journey, now, UNFINISHED)

    def _open_journeys_and_waits(
        self: world.World,
    ) -> list[tuple[Journey, Contact | None]]:
        """The journeys still open, each with the contact it is waiting with (None: in service,
        with a bot, or about to try again), by customer id."""
        found: dict[int, tuple[Journey, Contact | None]] = {}
        for queue in self.queues.values():
            for _priority, contacts in queue.levels:
                for contact in contacts:
                    if contact.state == WAITING:
                        found.setdefault(contact.journey.cid, (contact.journey, contact))
        pending = (self._bot_turn_callbacks, self._retry_callbacks)
        for _t, _priority, _eid, event in self.env._queue:
            callbacks = getattr(event, "callbacks", None)
            journey = None
            if callbacks is self._service_end_callbacks:
                journey = event.journey  # a Contact in service is its own end-of-service event
            elif callbacks in pending:
                journey = event._value[0]
            if journey is not None:
                found.setdefault(journey.cid, (journey, None))
        return [found[cid] for cid in sorted(found)]

    # -- what a customer feels, and why -----------------------------------------------------------

    def _precompute_frustration_steps(self: world.World) -> None:
        """What the frustration steps below read per call, looked up once: each segment's
        sensitivity; per event of the model, its jump times each segment's sensitivity (the
        load :func:`~simulator.model.frustration.after_event` saturates with) and where its
        cause's pain counts start; per channel, the terms of
        :func:`~simulator.model.frustration.after_wait` that depend on its promise only; per
        route, where its pain counts sit within a cause."""
        params = self.params
        self._sensitivities = [segment.sensitivity for segment in self.segments]
        self._event_steps: dict[str, tuple[list[float], int]] = {
            event: (
                [getattr(params, event) * s for s in self._sensitivities],
                cause * self._cause_stride,
            )
            for event, cause in EVENT_CAUSE_INDEX.items()
        }
        self._waiting_start = WAITING_CAUSE * self._cause_stride
        self._beyond_promise_start = BEYOND_PROMISE_CAUSE * self._cause_stride
        for channel in self.channels:
            expected = channel.expected
            promise = expected if expected > 0.0 else 0.0  # as wait_load reads it
            channel.wait_terms = (
                promise,
                wait_clock(promise),
                params.wait_slow * promise,
                wait_load(expected, expected, params),
            )
        for route in self.routes:
            if route is not None:
                route.pain = self._pain_index(0, route.channel.index, route.segment, route.intent)

    def _waited(self: world.World, journey: Journey, contact: Contact, wait: float) -> None:
        """Count a wait of ``contact`` that ended (answered, abandoned, closed, or cut off): its
        length, the part beyond the channel's promise, and the frustration it adds, the part
        within the promise counted as ``waiting`` and the rest as ``waiting_beyond_promise``.

        A callback's wait counts, but no promise is broken while the customer is not holding,
        and it adds no frustration (:func:`~simulator.model.frustration.after_wait` of an
        infinite promise adds nothing).

        One piece, with :func:`~simulator.model.frustration.after_wait` and
        :func:`~simulator.model.frustration.saturate` written out (the same operations in the
        same order, on the channel's precomputed ``wait_terms``): every customer who waits
        passes here (benchmarks/bench_engine.py; tests/model/test_world_shortcuts.py pins it
        to those functions).
        """
        journey.total_wait += wait
        if contact.callback:
            return
        route = contact.route
        expected = route.expected
        if wait > expected:
            journey.wait_excess += (wait - expected) / (expected if expected > 1.0 else 1.0)
        if not self.frustration_on or wait <= 0.0:
            return
        promise, clock, slow_at_promise, promise_load = route.channel.wait_terms
        params = self.params
        if wait <= promise:
            load = params.wait_slow * wait / clock
        else:
            load = (slow_at_promise + params.wait_fast * (wait - promise)) / clock
        sensitivity = self._sensitivities[journey.segment]
        load *= sensitivity
        f = before = journey.f  # in [0, 100] (see _add_frustration): saturate's clamp is moot
        if load > 0.0:
            g = F_MAX - (F_MAX - before) * exp(-load / F_MAX)
            if g > before:
                f = g
        journey.f = f
        if f > journey.peak:
            journey.peak = f
        if journey.cell is None:
            return
        # The pain counts are laid out [cause][channel][segment][intent] (see _pain_index).
        if wait > expected:  # the part within the promise (rarer: a call is affordable)
            within = saturate(before, promise_load * sensitivity)
            self.pain[self._beyond_promise_start + route.pain] += f - within
            self.pain[self._waiting_start + route.pain] += within - before
        else:
            self.pain[self._waiting_start + route.pain] += f - before

    def _add_frustration(self: world.World, journey: Journey, event: str) -> None:
        """A jump of frustration (one of the model's events), counted against its cause on the
        channel the customer is on.

        :func:`~simulator.model.frustration.after_event` with its load looked up, not computed
        (``_event_steps``), and :func:`~simulator.model.frustration.saturate` written out: one
        of these runs for most customers who meet any trouble.
        """
        if self.frustration_on:
            loads, pain_start = self._event_steps[event]
            load = loads[journey.segment]
            # Frustration stays in [0, 100]: it starts there (the language bounds ``initial``),
            # saturating adds at most up to 100, and relief multiplies by a share. So the clamp
            # of saturate changes nothing and is left out.
            f = before = journey.f
            if load > 0.0:
                g = F_MAX - (F_MAX - before) * exp(-load / F_MAX)
                if g > before:
                    f = g
            journey.f = f
            if f > journey.peak:
                journey.peak = f
            if journey.cell is not None:  # on the channel the customer is on (Journey.pain)
                self.pain[pain_start + journey.pain] += f - before

    def _pain_index(self: world.World, cause: int, channel: int, segment: int, intent: int) -> int:
        """Where the points of ``cause`` on ``channel`` for a segment and intent are counted:
        the counts are laid out [cause][channel][segment][intent]. The writers above compute
        the same index inline (a call per frustration step would cost more than the step)."""
        return ((cause * len(self.channels) + channel) * self.n_segments + segment) * (
            self.n_intents
        ) + intent
