"""Traced journeys recorded during a run, for the report's journey explorer.

A :class:`JourneyCollector` is an :class:`~simulator.observe.observer.Observer`: in the worker
that runs a watched replication, an :class:`EventKeeper` keeps every event by customer and, when
the run ends, hands the finished records and the events to the collector's *choice*, which
returns the few :class:`~simulator.observe.trace.TracedJourney` s that travel back to the main
process. The choice is a replaceable piece (any :class:`JourneyChoice`): today's is
:class:`ExplorerSample` on replication 0 (the worst, a typical and the best customer and 5 drawn
at random, as ``cxsim run --html`` has always shown). A choice that samples across replications
only needs a different :class:`JourneyChoice` and a wider ``replications`` set.

Memory grows with the customers of a watched replication (every event is kept until the choice
is made): fine for a day, not for a year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from simulator.observe.events import JourneyEvent
from simulator.observe.journey import JourneyRecord
from simulator.observe.trace import Run, TracedJourney, sample_in
from simulator.scenario.schema import Scenario

__all__ = ["EventKeeper", "ExplorerSample", "JourneyChoice", "JourneyCollector", "KeepJourneys"]


class JourneyChoice(Protocol):
    """Chooses the journeys to keep from one recorded replication (runs in the worker)."""

    def __call__(
        self, scenario: Scenario, replication: int, seed: int, run: Run
    ) -> list[TracedJourney]: ...


@dataclass(frozen=True)
class ExplorerSample:
    """The worst, typical and best customers and ``sample`` random others of a replication.

    An empty list when no customer finished after the warm-up: the report then says that no
    journeys were saved, and the run still succeeds.
    """

    sample: int = 5
    rng_seed: int | None = None  # the run's seed when None

    def __call__(
        self, scenario: Scenario, replication: int, seed: int, run: Run
    ) -> list[TracedJourney]:
        if not run[0]:
            return []
        return sample_in(
            run,
            scenario,
            sample=self.sample,
            replication=replication,
            seed=seed,
            rng_seed=seed if self.rng_seed is None else self.rng_seed,
        )


class EventKeeper:
    """A replication recorder that keeps every event by customer id, and the records.

    :meth:`finish` returns ``then(run)`` for the recorded ``run = (records, events)``, or the
    run itself without ``then``.
    """

    keeps_records = True

    def __init__(self, then: Callable[[Run], Any] | None = None) -> None:
        self.events: dict[int, list[JourneyEvent]] = {}
        self._then = then

    def __call__(self, event: JourneyEvent) -> None:
        bucket = self.events.get(event.case_id)
        if bucket is None:
            self.events[event.case_id] = [event]
        else:
            bucket.append(event)

    def finish(self, records: Sequence[JourneyRecord]) -> Any:
        run: Run = (list(records), self.events)
        return run if self._then is None else self._then(run)

    def abort(self) -> None:
        self.events = {}


@dataclass(frozen=True)
class KeepJourneys:
    """The picklable half of a :class:`JourneyCollector`: a keeper for watched replications."""

    choice: JourneyChoice
    replications: frozenset[int]

    def __call__(self, scenario: Scenario, replication: int, seed: int) -> EventKeeper | None:
        if replication not in self.replications:
            return None
        choice = self.choice
        return EventKeeper(lambda run: choice(scenario, replication, seed, run))


class JourneyCollector:
    """Collects the journeys ``choice`` keeps from each of ``replications`` as they come back.

    ::

        explorer = JourneyCollector()  # ExplorerSample() of replication 0
        run_replications(scenario, 10, workers=4, observers=[explorer])
        explorer.journeys  # in replication order, each replication's in the choice's order
    """

    def __init__(
        self, choice: JourneyChoice | None = None, replications: Iterable[int] = (0,)
    ) -> None:
        self._factory = KeepJourneys(choice or ExplorerSample(), frozenset(replications))
        self._chosen: dict[int, list[TracedJourney]] = {}

    @property
    def factory(self) -> KeepJourneys:
        return self._factory

    def receive(self, replication: int, product: list[TracedJourney]) -> None:
        self._chosen[replication] = product

    @property
    def journeys(self) -> list[TracedJourney]:
        return [journey for r in sorted(self._chosen) for journey in self._chosen[r]]
