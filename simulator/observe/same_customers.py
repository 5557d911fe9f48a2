"""The same customers walked through every design of a comparison, recorded during its runs.

A what-if comparison runs the base and each variant with the same customers (common random
numbers): customer *i* of replication 0 is the same person in every design. The most
persuasive thing a comparison can show is then one of them in two designs: the base's worst
journey and how that customer fared in the variant, and the variant's worst journey and how it
went in the base.

Who is worst in one design is only known once that design has run, and the other design runs
at the same time (in another worker), so each design keeps its replication 0 whole
(:class:`~simulator.observe.collector.WholeRun`: every record and event, about 2 MB for a day of
4,000 customers) and :meth:`SameCustomers.pairs` picks the customers in the main process when
every run is back. Nothing is simulated again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from simulator.observe.collector import JourneyCollector, WholeRun
from simulator.observe.journey import JourneyRecord
from simulator.observe.trace import (
    Run,
    TracedJourney,
    TraceError,
    same_customer_in,
    traced_journey,
)
from simulator.scenario.schema import Scenario

__all__ = ["Pair", "SameCustomers"]


class Pair(NamedTuple):
    """One customer in the base and in a variant, chosen as the worst journey of one of them
    (``worst_in``: ``"base"`` or ``"variant"``)."""

    base: TracedJourney
    variant: TracedJourney
    worst_in: str


#: The replication whose customers are followed through every design.
REPLICATION = 0
#: The worst customers of a design tried before giving up on finding enough comparable ones
#: (another demand makes none comparable: no need to try them all).
ATTEMPTS = 50


class SameCustomers:
    """Keeps replication 0 of each of ``designs`` scenarios (the base first), then pairs their
    customers. Give :attr:`observers` to the comparison, one collector per design::

        same = SameCustomers(1 + len(variants))
        compare(base, variants, 10, observers=same.observers)
        same.pairs(base, variants)
    """

    def __init__(self, designs: int) -> None:
        self._collectors = [JourneyCollector(WholeRun(), (REPLICATION,)) for _ in range(designs)]

    @property
    def observers(self) -> list[list[JourneyCollector]]:
        """One sequence of observers per design, for ``observers_by_scenario``."""
        return [[collector] for collector in self._collectors]

    def pairs(
        self,
        base: Scenario,
        variants: Mapping[str, Scenario],
        worst_of_base: int = 2,
        worst_of_variant: int = 1,
        seed: int | None = None,
    ) -> dict[str, list[Pair]]:
        """For each variant (by label): the ``worst_of_base`` worst customers of the base and
        how they fared in the variant, then the variant's ``worst_of_variant`` worst and how
        they fared in the base (each a :class:`Pair`).

        A customer who has no finished journey in the other design (still waiting when the run
        stopped) is passed over for the next worst; designs that do not see the same customers
        (another demand) give no pairs.
        """
        runs = [c.products.get(REPLICATION) for c in self._collectors]
        base_run = runs[0]
        if base_run is None:
            return {label: [] for label in variants}
        chosen: dict[str, list[Pair]] = {}
        for (label, variant), variant_run in zip(variants.items(), runs[1:], strict=True):
            if variant_run is None:
                chosen[label] = []
                continue
            designs = _Designs(base, base_run, variant, variant_run, seed)
            found = designs.worst_first(worst_of_base, in_variant=False)
            taken = {pair.base.cid for pair in found}
            chosen[label] = found + designs.worst_first(worst_of_variant, True, taken)
        return chosen


class _Designs:
    """A base and a variant run, for finding the same customer in both."""

    def __init__(
        self,
        base: Scenario,
        base_run: Run,
        variant: Scenario,
        variant_run: Run,
        seed: int | None,
    ) -> None:
        self.base, self.base_run = base, base_run
        self.variant, self.variant_run = variant, variant_run
        self.seed = seed

    def worst_first(
        self, wanted: int, in_variant: bool, taken: set[int] | None = None
    ) -> list[Pair]:
        """Up to ``wanted`` pairs of the worst customers of one design (the variant if
        ``in_variant``), worst first, skipping ``taken`` ids and customers not comparable."""
        scenario, run = (
            (self.variant, self.variant_run) if in_variant else (self.base, self.base_run)
        )
        other, other_run = (
            (self.base, self.base_run) if in_variant else (self.variant, self.variant_run)
        )
        records, events = run
        pairs: list[Pair] = []
        for record in _worst_first(records)[:ATTEMPTS]:
            if len(pairs) >= wanted:
                break
            if taken and record.cid in taken:
                continue
            mine = traced_journey(
                scenario, REPLICATION, self.seed, "worst", record, events, len(records)
            )
            try:
                theirs = same_customer_in(
                    mine, other_run, other, base_name=scenario.name, seed=self.seed
                )
            except TraceError:
                continue  # unfinished there, or not the same person (another demand)
            if in_variant:
                pairs.append(Pair(theirs, mine, "variant"))
            else:
                pairs.append(Pair(mine, theirs, "base"))
        return pairs


def _worst_first(records: Sequence[JourneyRecord]) -> list[JourneyRecord]:
    """Records by peak frustration, highest first (ties: the lower id)."""
    return sorted(records, key=lambda r: (-r.peak_frustration, r.cid))
