"""How a journey ends: its outcome computed, counted in its cell, and kept as a record.

:class:`JourneyEndings` is a part of :class:`~simulator.model.world.World` kept in its own module
(mixed into it, as :class:`~simulator.model.closing.ClosingRules` is). It runs once per
customer, so it keeps the outcomes most customers share precomputed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from simulator.model.entities import Journey
from simulator.model.outcomes import EFFORT_MAX, churn_probability, effort_score, nps_class
from simulator.observe import events as journey_events
from simulator.observe.journey import HandOffs, JourneyRecord, Outcome

if TYPE_CHECKING:  # for annotations only: the world imports this module
    from simulator.model import world


class JourneyEndings:
    """The end of a journey in :class:`~simulator.model.world.World` (mixed into it)."""

    def _precompute_calm_outcomes(self: world.World) -> None:
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

    def _finish(self: world.World, journey: Journey, now: float, resolved: bool) -> None:
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
        if self.journeys is not None:
            self.journeys.append(self._record(journey, now, resolved, effort, outcome))

    def _record(
        self: world.World,
        journey: Journey,
        now: float,
        resolved: bool,
        effort: float,
        outcome: Outcome,
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
