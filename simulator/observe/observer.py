"""Observers: what watches replications that run somewhere else, and what they hand back.

Replications run in worker processes (:mod:`simulator.experiment.executor`), and a journey
event cannot cross a process boundary one by one at any reasonable price. So an observer comes
in two halves:

* its :attr:`Observer.factory` is small, immutable and picklable: it travels with every
  replication to the worker, which asks it for a :class:`ReplicationRecorder` for that
  replication (or ``None``: not watched). The recorder receives every
  :class:`~simulator.observe.events.JourneyEvent` of the run, in engine order, beside the other
  recorders of the same replication, and when the run ends returns a small *product* (a row
  count, a few traced journeys);
* the observer itself stays in the main process and :meth:`Observer.receive` s each
  replication's product as it comes back, in whatever order the workers finish.

The experiment (:func:`simulator.experiment.replicate.run_replications`) does the running and the
fan-out; observers never build or run a world. Implementations:
:class:`~simulator.observe.eventlog_parts.EventLogParts` (the process-mining event log, one part
file per replication merged in order) and :class:`~simulator.observe.collector.JourneyCollector`
(traced journeys for the report's explorer).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from simulator.observe.events import JourneyEvent
from simulator.observe.journey import JourneyRecord
from simulator.scenario.schema import Scenario


class ReplicationRecorder(Protocol):
    """Records the events of one replication, in the process that runs it."""

    #: Whether it needs the run's finished :class:`JourneyRecord` s (the engine then keeps one
    #: per customer, which costs memory: only for recorders that pick customers).
    keeps_records: bool

    def __call__(self, event: JourneyEvent) -> None:
        """One step of one customer's journey, in engine order."""

    def finish(self, records: Sequence[JourneyRecord]) -> Any:
        """The run ended normally: return the product (small and picklable).

        ``records`` are the finished journeys when :attr:`keeps_records`, else empty.
        """

    def abort(self) -> None:
        """The run failed or was interrupted: drop whatever was written or kept."""


class RecorderFactory(Protocol):
    """The picklable half of an observer: gives a recorder for a replication, in the worker."""

    def __call__(
        self, scenario: Scenario, replication: int, seed: int
    ) -> ReplicationRecorder | None:
        """A fresh recorder for this replication, or ``None`` when it is not watched."""


class Observer(Protocol):
    """Watches the replications of one run from the main process."""

    @property
    def factory(self) -> RecorderFactory:
        """What travels with every replication to its worker (immutable, picklable)."""

    def receive(self, replication: int, product: Any) -> None:
        """A watched replication's product, as it comes back (any order)."""
