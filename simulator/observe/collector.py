"""Traced journeys recorded during a run: the report's explorer, a comparison's same customers.

A :class:`JourneyCollector` is an :class:`~simulator.observe.observer.Observer`: in the worker
that runs a watched replication, an :class:`EventKeeper` keeps every event by customer and, when
the run ends, hands the finished records and the events to the collector's *choice*, which
returns a small product (a few :class:`~simulator.observe.trace.TracedJourney` s, or candidates)
that travels back to the main process. There the collector's *selection* turns the products of
every replication into the journeys kept. Both are replaceable pieces:

* :func:`journey_explorer` is the report's explorer: a stratified sample across replications
  (:mod:`simulator.observe.journey_sample`);
* :class:`WholeRun` keeps a replication's records and events whole, for the comparison's
  same-customer journeys (:class:`~simulator.observe.same_customers.SameCustomers`), which can
  only be chosen once every design has run.

Memory grows with the customers of a watched replication (every event is kept until the choice
is made): fine for a day, not for a year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from simulator.observe.events import JourneyEvent
from simulator.observe.journey import JourneyRecord
from simulator.observe.journey_sample import EXPLORER_SIZE, ExplorerSample, ExplorerSelection
from simulator.observe.trace import Run, TracedJourney
from simulator.scenario.schema import Scenario

__all__ = [
    "EventKeeper",
    "JourneyChoice",
    "JourneyCollector",
    "KeepJourneys",
    "WholeRun",
    "journey_explorer",
]


class JourneyChoice(Protocol):
    """Chooses what to keep of one recorded replication (runs in the worker): a small,
    picklable product, such as a few traced journeys."""

    def __call__(self, scenario: Scenario, replication: int, seed: int, run: Run) -> Any: ...


@dataclass(frozen=True)
class WholeRun:
    """Keeps the whole recorded replication: every finished record and every event.

    A large product (about 2 MB pickled for a day of 4,000 customers): for the few
    replications whose customers are chosen only after the run, as the same customer in two
    designs is.
    """

    def __call__(self, scenario: Scenario, replication: int, seed: int, run: Run) -> Run:
        return run


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


#: Turns each watched replication's product into the journeys kept (in the main process).
Selection = Callable[[Mapping[int, Any]], list[TracedJourney]]


def concatenated(products: Mapping[int, Any]) -> list[TracedJourney]:
    """Each replication's journeys in replication order (a choice that returns lists)."""
    return [journey for r in sorted(products) for journey in products[r]]


class JourneyCollector:
    """Collects what ``choice`` keeps of each of ``replications`` as they come back, and
    ``select`` s the journeys from them.

    ::

        explorer = journey_explorer(10)  # the report's explorer of a 10-replication run
        run_replications(scenario, 10, workers=4, observers=[explorer])
        explorer.journeys
    """

    def __init__(
        self,
        choice: JourneyChoice,
        replications: Iterable[int] = (0,),
        select: Selection = concatenated,
    ) -> None:
        self._factory = KeepJourneys(choice, frozenset(replications))
        self._select = select
        self._products: dict[int, Any] = {}

    @property
    def factory(self) -> KeepJourneys:
        return self._factory

    def receive(self, replication: int, product: Any) -> None:
        self._products[replication] = product

    @property
    def products(self) -> dict[int, Any]:
        """What each watched replication's choice kept, by replication."""
        return dict(self._products)

    @property
    def journeys(self) -> list[TracedJourney]:
        """The journeys selected from every product received so far."""
        return self._select(self._products)


def journey_explorer(replications: int, size: int = EXPLORER_SIZE) -> JourneyCollector:
    """The report's journey explorer for a run of ``replications``: every replication offers
    candidates, and about ``size`` journeys are selected from them (see
    :mod:`simulator.observe.journey_sample`)."""
    return JourneyCollector(
        ExplorerSample(size, replications), range(replications), ExplorerSelection(size)
    )
