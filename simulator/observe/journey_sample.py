"""Which journeys the report's explorer shows: a stratified sample across replications.

An executive opening the explorer should find every kind of customer in it, not eight people
of one replication. So the sample is *stratified*: customers are grouped by segment, intent,
first channel and outcome (a *stratum*: "digital customers about a lost card who started in the
web chat and gave up"), and every stratum met in any replication is shown by its worst journey
(highest peak frustration) and its typical one (the median peak). Around them come the
headline journeys of the whole run (the worst, a typical one, the best after real service, see
:func:`~simulator.observe.trace.real_service`) and customers drawn at random, spread over the
replications, up to :data:`EXPLORER_SIZE` journeys in all.

It works in two halves, as observers do (:mod:`simulator.observe.observer`):

* in the worker that ran a replication, :class:`ExplorerSample` keeps a few *candidates*: the
  replication's worst, typical and best customers, the worst and the typical customer of each of
  its strata, and a share of the random draws (drawn with the run's seed, so another ``--seed``
  draws other customers);
* in the main process, :class:`ExplorerSelection` chooses among the candidates of every
  replication: the run's worst, typical and best, each stratum's worst and typical over all
  replications, then random candidates replication by replication until the size is reached.

Both halves are deterministic: the same scenario and seed give the same journeys, whatever the
number of workers and the order in which replications finish.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from simulator.observe.events import JourneyEvent
from simulator.observe.journey import JourneyRecord
from simulator.observe.trace import Run, TracedJourney, pick, real_service, traced_journey
from simulator.scenario.schema import Scenario

__all__ = [
    "EXPLORER_SIZE",
    "Candidates",
    "ExplorerSample",
    "ExplorerSelection",
    "Stratum",
    "outcome_of",
    "stratum_of",
]

#: Journeys the explorer shows (at most; fewer when the run has fewer customers): enough for
#: every stratum of a bundled scenario to appear with its worst and typical journey and for a
#: random sample around them, small enough for the page to stay light (about 1.5 KB each).
EXPLORER_SIZE = 240

#: Segment, intent, first channel and outcome of a customer.
Stratum = tuple[str, str, str, str]


def outcome_of(record: JourneyRecord) -> str:
    """How a journey ended, as the explorer groups it: ``resolved`` or ``gave_up``."""
    return "resolved" if record.resolved else "gave_up"


def _first_channel(events: Mapping[int, Sequence[JourneyEvent]], cid: int) -> str:
    mine = events.get(cid)
    return mine[0].channel if mine else ""


def stratum_of(traced: TracedJourney) -> Stratum:
    """The stratum of a traced customer: segment, intent, first channel, outcome."""
    r = traced.record
    first = traced.events[0].channel if traced.events else ""
    return (r.segment, r.intent, first, outcome_of(r))


@dataclass(frozen=True)
class Candidates:
    """What one replication offers the explorer: its ``finished`` customers' worst, typical and
    best journeys (``headline``), each stratum's worst and typical journey, and customers
    ``drawn`` at random, in draw order."""

    finished: int
    headline: tuple[TracedJourney, ...]
    strata: dict[Stratum, tuple[TracedJourney, TracedJourney]]
    drawn: tuple[TracedJourney, ...]


@dataclass(frozen=True)
class ExplorerSample:
    """The :class:`Candidates` of one replication (a
    :class:`~simulator.observe.collector.JourneyChoice`, run in the worker).

    ``size`` is the explorer's size and ``replications`` how many replications are watched:
    each draws ``ceil(size / replications)`` customers at random, so the random candidates of
    all replications together can fill the explorer. ``rng_seed`` seeds the draws (with the
    replication); by default the run's seed.
    """

    size: int = EXPLORER_SIZE
    replications: int = 1
    rng_seed: int | None = None

    def __call__(self, scenario: Scenario, replication: int, seed: int, run: Run) -> Candidates:
        records, events = run
        draw_seed = seed if self.rng_seed is None else self.rng_seed

        def traced(how: str, record: JourneyRecord, population: int) -> TracedJourney:
            rng = draw_seed if how == "random" else None
            return traced_journey(
                scenario, replication, seed, how, record, events, population, rng_seed=rng
            )

        if not records:
            return Candidates(0, (), {}, ())
        headline = tuple(traced(how, pick(records, how), len(records)) for how in _HEADLINE)
        strata = {
            key: (
                traced("sample", pick(members, "worst"), len(members)),
                traced("sample", pick(members, "typical"), len(members)),
            )
            for key, members in _strata(records, events).items()
        }
        drawn = tuple(
            traced("random", r, len(records)) for r in self._drawn(records, replication, draw_seed)
        )
        return Candidates(len(records), headline, strata, drawn)

    def _drawn(
        self, records: Sequence[JourneyRecord], replication: int, draw_seed: int
    ) -> list[JourneyRecord]:
        """``ceil(size / replications)`` records drawn without replacement, in draw order."""
        quota = math.ceil(self.size / max(1, self.replications))
        ordered = sorted(records, key=lambda r: r.cid)
        rng = np.random.default_rng([draw_seed, replication])
        order = rng.permutation(len(ordered))[:quota]
        return [ordered[int(i)] for i in order]


_HEADLINE = ("worst", "typical", "best")


def _strata(
    records: Iterable[JourneyRecord], events: Mapping[int, Sequence[JourneyEvent]]
) -> dict[Stratum, list[JourneyRecord]]:
    """Records by stratum, strata in sorted order."""
    groups: dict[Stratum, list[JourneyRecord]] = {}
    for r in records:
        key = (r.segment, r.intent, _first_channel(events, r.cid), outcome_of(r))
        groups.setdefault(key, []).append(r)
    return dict(sorted(groups.items()))


@dataclass(frozen=True)
class ExplorerSelection:
    """Chooses the explorer's journeys among the :class:`Candidates` of every replication (in
    the main process; see the module's docstring for the order).

    The headline journeys are re-counted over the whole run: their ``population`` becomes the
    finished customers of every replication, since they are the worst, typical and best of all.
    A customer chosen twice (the worst of the run is also the worst of its stratum) is shown once,
    under the first reason.
    """

    size: int = EXPLORER_SIZE

    def __call__(self, by_replication: Mapping[int, Candidates]) -> list[TracedJourney]:
        offered = [by_replication[r] for r in sorted(by_replication)]
        chosen: dict[tuple[int, int], TracedJourney] = {}
        for traced in _selection_order(offered):
            if len(chosen) >= self.size:
                break
            chosen.setdefault((traced.replication, traced.cid), traced)
        return list(chosen.values())


def _selection_order(offered: Sequence[Candidates]) -> Iterable[TracedJourney]:
    """Every candidate worth showing, most wanted first: the run's headline journeys, each
    stratum's worst and typical over all replications, then the random draws spread over the
    replications (the first of each, then the second of each, ...)."""
    finished = sum(c.finished for c in offered)
    for position, how in enumerate(_HEADLINE):
        own = [c.headline[position] for c in offered if c.headline]
        if own:
            yield dataclasses.replace(_headline_of(how, own), population=finished)
    strata: dict[Stratum, list[tuple[TracedJourney, TracedJourney]]] = {}
    for c in offered:
        for key, pair in c.strata.items():
            strata.setdefault(key, []).append(pair)
    for key in sorted(strata):
        worsts, typicals = zip(*strata[key], strict=True)
        yield max(worsts, key=_peak_first)
        yield _median(typicals)
    longest = max((len(c.drawn) for c in offered), default=0)
    yield from (c.drawn[i] for i in range(longest) for c in offered if i < len(c.drawn))


def _headline_of(how: str, own: Sequence[TracedJourney]) -> TracedJourney:
    """The run's worst, typical or best among each replication's own."""
    if how == "worst":
        return max(own, key=_peak_first)
    if how == "typical":
        return _median(own)
    served = [t for t in own if real_service(t.record)] or list(own)
    return min(served, key=_best_order)


def _peak_first(t: TracedJourney) -> tuple[float, int, int]:
    """Higher peak first; ties: the earlier replication, then the lower id (so ``max`` is it)."""
    return (t.record.peak_frustration, -t.replication, -t.cid)


def _best_order(t: TracedJourney) -> tuple[float, float, int, int]:
    ttr = t.record.time_to_resolution_s
    return (
        t.record.peak_frustration,
        ttr if ttr is not None else math.inf,
        t.replication,
        t.cid,
    )


def _median(members: Sequence[TracedJourney]) -> TracedJourney:
    """The median peak frustration among ``members`` (the lower middle)."""
    ordered = sorted(members, key=lambda t: (t.record.peak_frustration, t.replication, t.cid))
    return ordered[(len(ordered) - 1) // 2]
