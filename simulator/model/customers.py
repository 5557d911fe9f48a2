"""Synthetic customers, generated in numpy blocks in arrival order.

Arrivals are a Poisson process with a piecewise-constant rate (one rate per horizon interval,
the forecast's or, with ``arrivals.uncertainty``, the replication's own:
:mod:`simulator.model.arrival_rates`):
within a piece, the count is Poisson and the times are sorted uniforms, which is exact and fully
vectorised. Long pieces are cut into chunks of about :data:`CHUNK` expected customers so memory
stays bounded however long the horizon.

Each customer's attributes (segment, intent, first channel) and base uniforms (patience, handle
time, wrap-up) come from their own named streams (:mod:`simulator.model.rng`), consumed one value
per customer in arrival order. So customer *i* draws the same numbers whatever else a variant
changes: the basis of common random numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from simulator.model import rng
from simulator.model.arrival_rates import replication_rates
from simulator.scenario.schema import Scenario

#: Expected customers per generated block: large enough to amortise numpy calls, small enough that
#: a million-customer run never holds more than a few blocks of Python objects.
CHUNK = 4096


@dataclass(slots=True)
class CustomerBlock:
    """Parallel lists, one entry per customer, ready for the event loop (plain Python floats)."""

    first_id: int
    times: list[float]
    segment: list[int]
    intent: list[int]
    channel: list[int]
    combo: list[int]  # (channel, intent, segment) as one index, for table lookups in the model
    patience: list[float]  # seconds, already scaled by segment; inf = never abandons
    handle: list[float]  # seconds for the first contact (by intent and channel)
    wrap_u: list[float]  # uniform for the wrap-up draw, applied with the serving group's law
    #: per journey purpose (rng.JOURNEY_PURPOSES order), a flat array of JOURNEY_SLOTS uniforms per
    #: customer: customer k's slot s is at ``k * JOURNEY_SLOTS + s``. Empty without journeys.
    #: Kept in numpy: a customer reads a handful of the 72 values, so converting all costs more.
    journey_u: list[np.ndarray]
    #: per purpose, every customer's slot 0 as plain floats, converted on first use (see
    #: :meth:`first_uniforms`); None until then.
    first_u: list[list[float] | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.times)

    def first_uniforms(self, purpose: int) -> list[float]:
        """Slot 0 of ``purpose`` for every customer of the block, as a list of Python floats.

        A purpose's first draw is by far its most common (a journey has one agent leg, one
        retry decision, ...). Reading a numpy scalar and converting it costs several times a
        list lookup, and one strided ``tolist`` per used purpose and block is cheap; later slots
        stay in numpy, where converting everything would cost more than it saves.
        """
        if len(self.first_u) != len(self.journey_u):
            self.first_u = [None] * len(self.journey_u)
        first = self.first_u[purpose]
        if first is None:
            first = self.first_u[purpose] = self.journey_u[purpose][:: rng.JOURNEY_SLOTS].tolist()
        return first


def _categorical(u: np.ndarray, shares: list[float]) -> np.ndarray:
    cumulative = np.cumsum(shares)
    cumulative[-1] = 1.0 + 1e-12  # shares sum to 1 within tolerance; never index past the end
    return np.searchsorted(cumulative, u, side="right")


def arrival_pieces(
    scenario: Scenario, rates: Sequence[float] | None = None
) -> Iterator[tuple[float, float, float]]:
    """``(start, length, rate)`` pieces covering every day's window, each of at most ~CHUNK
    customers (nights have no arrivals: customers come when the center is open). ``rates``
    are one replication's (:func:`~simulator.model.arrival_rates.replication_rates`); default
    the forecast."""
    horizon = scenario.horizon
    for i, rate in enumerate(scenario.arrivals.rates if rates is None else rates):
        start = horizon.interval_start(i)
        length = horizon.interval_length(i)
        if length <= 0:
            break
        pieces = max(1, math.ceil(rate * length / CHUNK))
        step = length / pieces
        for k in range(pieces):
            yield start + k * step, step, rate


class CustomerSource:
    """Iterates :class:`CustomerBlock` s for one replication of a scenario."""

    def __init__(self, scenario: Scenario, replication: int, seed: int | None = None) -> None:
        self.scenario = scenario
        seed = scenario.seed if seed is None else seed
        # This replication's days: the forecast times its day and interval multipliers.
        self.rates = replication_rates(scenario, replication, seed)
        self._streams = {
            purpose: rng.stream(seed, replication, purpose) for purpose in rng.CUSTOMER_PURPOSES
        }
        self.channel_names = list(scenario.channels)
        self.segment_shares = [s.share for s in scenario.segments]
        self.intent_shares = [i.share for i in scenario.intents]
        first = dict(scenario.arrivals.first_channel)
        self.channel_shares = [first.get(name, 0.0) for name in self.channel_names]
        self.patience_scale = np.array([s.patience_scale for s in scenario.segments])
        self.journeys = scenario.has_journeys
        self._journey_streams = (
            [rng.stream(seed, replication, purpose) for purpose in rng.JOURNEY_PURPOSES]
            if self.journeys
            else []
        )

    def combo_index(
        self, channel: np.ndarray, intent: np.ndarray, segment: np.ndarray
    ) -> np.ndarray:
        """One index for a (channel, intent, segment) triple; see :meth:`combos`."""
        n_intents, n_segments = len(self.intent_shares), len(self.segment_shares)
        return (channel * n_intents + intent) * n_segments + segment

    def combos(self) -> list[tuple[int, int, int]]:
        """Every (channel, intent, segment) triple in :meth:`combo_index` order."""
        return [
            (c, k, s)
            for c in range(len(self.channel_names))
            for k in range(len(self.intent_shares))
            for s in range(len(self.segment_shares))
        ]

    def blocks(self) -> Iterator[CustomerBlock]:
        next_id = 0
        arrivals = self._streams[rng.ARRIVALS]
        for start, length, rate in arrival_pieces(self.scenario, self.rates):
            n = int(arrivals.poisson(rate * length)) if rate > 0 else 0
            if n == 0:
                continue
            times = start + np.sort(arrivals.random(n)) * length
            yield self._attributes(next_id, times)
            next_id += n

    def _attributes(self, first_id: int, times: np.ndarray) -> CustomerBlock:
        n = len(times)
        s = self._streams
        segment = _categorical(s[rng.SEGMENT].random(n), self.segment_shares)
        intent = _categorical(s[rng.INTENT].random(n), self.intent_shares)
        channel = _categorical(s[rng.FIRST_CHANNEL].random(n), self.channel_shares)
        patience_u = s[rng.PATIENCE].random(n)
        handle_u = s[rng.HANDLE_TIME].random(n)
        wrap_u = s[rng.WRAP_UP].random(n)

        patience = np.full(n, math.inf)
        for c, name in enumerate(self.channel_names):
            law = self.scenario.channels[name].patience
            if law is None:
                continue
            mask = channel == c
            if mask.any():
                patience[mask] = law.draws(patience_u[mask]) * self.patience_scale[segment[mask]]

        handle = np.empty(n)
        handle_time = self.scenario.handle_time
        for k, intent_def in enumerate(self.scenario.intents):
            for c, name in enumerate(self.channel_names):
                mask = (intent == k) & (channel == c)
                if mask.any():
                    handle[mask] = handle_time.for_contact(intent_def.name, name).draws(
                        handle_u[mask]
                    )
        return CustomerBlock(
            first_id=first_id,
            times=times.tolist(),
            segment=segment.tolist(),
            intent=intent.tolist(),
            channel=channel.tolist(),
            combo=self.combo_index(channel, intent, segment).tolist(),
            patience=patience.tolist(),
            handle=handle.tolist(),
            wrap_u=wrap_u.tolist(),
            journey_u=[g.random(n * rng.JOURNEY_SLOTS) for g in self._journey_streams],
            first_u=[None] * len(self._journey_streams),
        )
