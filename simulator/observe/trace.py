"""Pick customers of a run and keep everything needed to tell their journeys.

Given what one replication recorded (``(records, events)``: the finished customers counted after
the warm-up, and every :class:`JourneyEvent` by customer id), this module chooses customers (the
worst, a typical one, the best, a random one or a given id) and returns :class:`TracedJourney` s:
a customer's record, their events in order, and the few scenario facts a narrative needs (clock,
expected response per channel, frustration states and thresholds). It never runs anything: the
experiment records a replication (:mod:`simulator.experiment.tracing` for one trace,
:class:`~simulator.observe.collector.JourneyCollector` during a run); prose lives in
:mod:`simulator.report.narrative`.

Customer ids are arrival ranks, drawn from streams of their own (:mod:`simulator.model.rng`), so
customer *i* is the same person (same arrival time, segment, intent, first channel, patience) in
two scenarios that describe the same demand with the same seed: :func:`same_customer_in` finds
them in the second run (common random numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypedDict, cast

import numpy as np

from simulator.errors import CxsimError
from simulator.observe.events import JourneyEvent
from simulator.observe.journey import JourneyRecord
from simulator.scenario.frustration import STATES, FrustrationParams
from simulator.scenario.schema import Scenario
from simulator.units import format_clock

#: The ways to choose a customer, with what each means (for help texts and headers).
PICKS: dict[str, str] = {
    "worst": "the highest peak frustration",
    "typical": "the median peak frustration",
    "best": "the lowest peak frustration, then the quickest resolution, after real service",
    "random": "drawn at random",
    "sample": "the worst or the median peak frustration of customers like them (same segment, "
    "intent, first channel and outcome), for the journey explorer",
    "customer": "chosen by id",
}


class TraceError(CxsimError, ValueError):
    """No customer matches what was asked; the message says why and what would."""


class TraceOptions(TypedDict):
    """Which customer to trace: the keyword arguments :func:`simulator.experiment.tracing.trace`
    and :func:`~simulator.experiment.tracing.trace_pair` share (a command line collects them
    once for either)."""

    how: str
    segment: str | None
    intent: str | None
    customer: int | None
    replication: int
    seed: int | None


def state_levels(params: FrustrationParams) -> dict[str, float]:
    """The frustration states in order (:data:`~simulator.scenario.frustration.STATES`), each
    with the level from which it holds: 0 for the first, then the scenario's thresholds."""
    levels = (0.0, params.irritated, params.angry, params.furious)
    return dict(zip(STATES, levels, strict=True))


class StateThresholds(TypedDict, total=False):
    """Frustration points at which a customer becomes irritated, angry, furious (the
    FrustrationParams fields of the same names)."""

    irritated: float
    angry: float
    furious: float


@dataclass(frozen=True)
class TracedJourney:
    """One finished customer of one run, with everything needed to narrate their journey.

    ``pick`` is how the customer was chosen (a key of :data:`PICKS`), among ``population``
    finished customers that passed the ``segment``/``intent`` filters. Times are simulated seconds
    since the horizon start; a clock time is ``horizon_start + time`` when ``clock`` is true.
    """

    scenario: str
    replication: int
    seed: int
    pick: str
    record: JourneyRecord
    events: tuple[JourneyEvent, ...]
    horizon_start: float
    clock: bool
    date: str | None
    #: Seconds each channel promises to answer within (frustration grows faster beyond).
    expected_response: dict[str, float] = field(default_factory=dict, hash=False)
    #: The frustration states in order, each with the level (points) from which it holds:
    #: the scenario's, so a narrative names states as the scenario defines them.
    state_levels: dict[str, float] = field(
        default_factory=lambda: state_levels(FrustrationParams()), hash=False
    )
    #: Frustration of a customer before anything happens (the scenario's ``initial``).
    initial_frustration: float = 0.0
    #: Channel kind (``synchronous``/``asynchronous``) by channel name.
    channel_kinds: dict[str, str] = field(default_factory=dict, hash=False)
    #: Finished customers counted after the warm-up that the pick chose among.
    population: int = 0
    segment: str | None = None  # filter used by the pick, if any
    intent: str | None = None  # filter used by the pick, if any
    rng_seed: int | None = None  # seed of a ``random`` pick
    description: str = ""
    source: str | None = None

    @property
    def cid(self) -> int:
        return self.record.cid

    @property
    def thresholds(self) -> StateThresholds:
        """Frustration points at which each state after the first begins, by state name."""
        return cast(StateThresholds, dict(list(self.state_levels.items())[1:]))


#: Seconds of service (with an agent or a bot, waits excluded) below which a resolution is not
#: shown as the best journey: the lognormal handle times of a day include contacts of a few
#: seconds, and "after 6 s with the agent, your issue is resolved" is no story of good service.
REAL_SERVICE_S = 60.0


def real_service(record: JourneyRecord) -> bool:
    """Whether ``record`` was resolved after at least :data:`REAL_SERVICE_S` of service: its time
    to resolution less its waiting (what remains is service, and any delay between retries)."""
    ttr = record.time_to_resolution_s
    return record.resolved and ttr is not None and ttr - record.total_wait_s >= REAL_SERVICE_S


#: What one replication recorded: finished records, and every event by customer id.
Run = tuple[list[JourneyRecord], dict[int, list[JourneyEvent]]]


def _filtered(
    records: Sequence[JourneyRecord], segment: str | None, intent: str | None
) -> list[JourneyRecord]:
    chosen = [
        r
        for r in records
        if (segment is None or r.segment == segment) and (intent is None or r.intent == intent)
    ]
    if chosen:
        return chosen
    if not records:
        raise TraceError("no customer finished after the warm-up: nothing to trace")
    segments = sorted({r.segment for r in records})
    intents = sorted({r.intent for r in records})
    wanted = ", ".join(
        f"{what} {name!r}" for what, name in (("segment", segment), ("intent", intent)) if name
    )
    hints = []
    if segment is not None and segment not in segments:
        hints.append(f"segments: {', '.join(segments)}")
    if intent is not None and intent not in intents:
        hints.append(f"intents: {', '.join(intents)}")
    hint = "; ".join(hints) if hints else "try without a filter, or another replication"
    raise TraceError(f"no finished customer with {wanted} ({hint})")


def _id_range(records: Sequence[JourneyRecord]) -> str:
    ids = [r.cid for r in records]
    return f"ids {min(ids)}..{max(ids)}" if ids else "no customers"


def pick(
    records: Sequence[JourneyRecord],
    how: str = "worst",
    *,
    segment: str | None = None,
    intent: str | None = None,
    customer: int | None = None,
    rng_seed: int = 0,
) -> JourneyRecord:
    """Choose one record: ``worst``, ``typical``, ``best``, ``random`` or ``customer=<id>``.

    * ``worst``: highest peak frustration (ties: lowest id);
    * ``typical``: the median peak: records sorted by (peak, id), the middle one (the lower
      middle for an even count);
    * ``best``: among the customers resolved after real service (:func:`real_service`; all of
      them when none was), the lowest peak, then the shortest time to resolution, then the
      lowest id;
    * ``random``: uniform among the candidates (sorted by id), deterministic for ``rng_seed``;
    * ``customer``: that id (``how`` is then ignored; the filters must still match).

    ``segment`` and ``intent`` filter first. Raises :class:`TraceError` when nothing matches.
    """
    if customer is not None:
        found = next((r for r in records if r.cid == customer), None)
        if found is None:
            raise TraceError(
                f"customer {customer} is not among the {len(records)} finished customers counted "
                f"after the warm-up ({_id_range(records)})"
            )
        if (segment is not None and found.segment != segment) or (
            intent is not None and found.intent != intent
        ):
            raise TraceError(
                f"customer {customer} is a {found.segment} customer with intent {found.intent!r}, "
                "which does not match the segment/intent filter"
            )
        return found
    candidates = _filtered(records, segment, intent)
    if how == "worst":
        return min(candidates, key=lambda r: (-r.peak_frustration, r.cid))
    if how == "typical":
        ordered = sorted(candidates, key=lambda r: (r.peak_frustration, r.cid))
        return ordered[(len(ordered) - 1) // 2]
    if how == "best":
        served = [r for r in candidates if real_service(r)]
        return min(served or candidates, key=_best_key)
    if how == "random":
        ordered = sorted(candidates, key=lambda r: r.cid)
        return ordered[int(np.random.default_rng(rng_seed).integers(len(ordered)))]
    raise TraceError(f"unknown pick {how!r}: use worst, typical, best, random, or a customer id")


def _best_key(r: JourneyRecord) -> tuple[float, int, float, int]:
    ttr = r.time_to_resolution_s
    return (
        r.peak_frustration,
        0 if r.resolved else 1,
        ttr if ttr is not None else float("inf"),
        r.cid,
    )


def traced_journey(
    scenario: Scenario,
    replication: int,
    seed: int | None,
    how: str,
    record: JourneyRecord,
    events: dict[int, list[JourneyEvent]],
    population: int,
    segment: str | None = None,
    intent: str | None = None,
    rng_seed: int | None = None,
) -> TracedJourney:
    horizon = scenario.horizon
    p = scenario.frustration
    return TracedJourney(
        scenario=scenario.name,
        replication=replication,
        seed=scenario.seed if seed is None else seed,
        pick=how,
        record=record,
        events=tuple(events.get(record.cid, ())),
        horizon_start=horizon.start,
        clock=horizon.clock,
        date=horizon.date,
        expected_response={ch.name: ch.expected_response for ch in scenario.channels.values()},
        state_levels=state_levels(p),
        initial_frustration=p.initial,
        channel_kinds={ch.name: ch.kind for ch in scenario.channels.values()},
        population=population,
        segment=segment,
        intent=intent,
        rng_seed=rng_seed,
        description=scenario.description,
        source=scenario.source,
    )


def missing_customer(
    scenario: Scenario,
    customer: int,
    replication: int,
    records: Sequence[JourneyRecord],
    events: dict[int, list[JourneyEvent]],
) -> TraceError:
    """Why ``customer`` has no record: never arrived, arrived in the warm-up, or unfinished."""
    horizon = scenario.horizon
    where = f"in {scenario.name} replication {replication}"
    mine = events.get(customer)
    if not mine:
        return TraceError(
            f"customer {customer} did not arrive after the warm-up {where} ({_id_range(records)})"
        )
    arrived = mine[0].time
    when = format_clock(horizon.start + arrived) if horizon.clock else f"{arrived / 60:.0f} min in"
    if arrived < horizon.warmup:
        return TraceError(
            f"customer {customer} arrived during the warm-up ({when}) {where}, so is not "
            f"counted; pick one of the {_id_range(records)}"
        )
    return TraceError(
        f"customer {customer} (arrived {when}) had not finished when the run stopped {where}: "
        "still waiting, in service or about to try again"
    )


def trace_in(
    run: Run,
    scenario: Scenario,
    how: str = "worst",
    *,
    segment: str | None = None,
    intent: str | None = None,
    customer: int | None = None,
    replication: int = 0,
    seed: int | None = None,
    rng_seed: int = 0,
) -> TracedJourney:
    """The customer chosen by :func:`pick` in a recorded ``run`` of ``scenario``.

    ``replication`` and ``seed`` say which run it was (for the header and for reproducing it).
    Raises :class:`TraceError` with the reason when no customer matches.
    """
    records, events = run
    if customer is not None and not any(r.cid == customer for r in records):
        raise missing_customer(scenario, customer, replication, records, events)
    record = pick(
        records, how, segment=segment, intent=intent, customer=customer, rng_seed=rng_seed
    )
    population = len(_filtered(records, segment, intent)) if customer is None else len(records)
    return traced_journey(
        scenario,
        replication,
        seed,
        "customer" if customer is not None else how,
        record,
        events,
        population,
        segment,
        intent,
        rng_seed if how == "random" and customer is None else None,
    )


def sample_picks(
    records: Sequence[JourneyRecord], sample: int = 5, rng_seed: int = 0
) -> list[tuple[str, JourneyRecord]]:
    """The worst, typical and best records and ``sample`` random others, all distinct.

    Fewer come back when there are fewer records. The random ones are drawn without replacement
    among the rest, deterministically for ``rng_seed``.
    """
    chosen: list[tuple[str, JourneyRecord]] = []
    seen: set[int] = set()
    for how in ("worst", "typical", "best"):
        record = pick(records, how)
        if record.cid not in seen:
            chosen.append((how, record))
            seen.add(record.cid)
    rest = sorted((r for r in records if r.cid not in seen), key=lambda r: r.cid)
    if sample > 0 and rest:
        order = np.random.default_rng(rng_seed).permutation(len(rest))[:sample]
        chosen.extend(("random", rest[int(i)]) for i in order)
    return chosen


def sample_in(
    run: Run,
    scenario: Scenario,
    *,
    sample: int = 5,
    replication: int = 0,
    seed: int | None = None,
    rng_seed: int = 0,
) -> list[TracedJourney]:
    """:func:`sample_picks` of a recorded ``run``, traced. Raises :class:`TraceError` when no
    customer finished after the warm-up."""
    records, events = run
    if not records:
        raise TraceError("no customer finished after the warm-up: nothing to trace")
    return [
        traced_journey(
            scenario,
            replication,
            seed,
            how,
            record,
            events,
            len(records),
            rng_seed=rng_seed if how == "random" else None,
        )
        for how, record in sample_picks(records, sample, rng_seed)
    ]


def same_customer_in(
    base: TracedJourney,
    run: Run,
    scenario: Scenario,
    *,
    base_name: str,
    replication: int = 0,
    seed: int | None = None,
) -> TracedJourney:
    """The customer ``base`` traced, found in a recorded ``run`` of another ``scenario``.

    Same id means the same person (arrival, segment, intent, patience) when both scenarios
    describe the same demand with the same seed; otherwise, or when the customer did not finish
    in ``run``, a :class:`TraceError` says so. ``base_name`` names the first scenario.
    """
    records, events = run
    cid = base.record.cid
    other = next((r for r in records if r.cid == cid), None)
    if other is None:
        reason = missing_customer(scenario, cid, replication, records, events)
        raise TraceError(f"cannot compare the {base.pick} customer of {base_name}: {reason}")
    mismatch = [
        what
        for what, x, y in (
            ("arrival time", base.record.arrived_s, other.arrived_s),
            ("segment", base.record.segment, other.segment),
            ("intent", base.record.intent, other.intent),
        )
        if x != y
    ]
    if mismatch:
        raise TraceError(
            f"customer {cid} is not the same person in {base_name} and {scenario.name} "
            f"(different {', '.join(mismatch)}): comparing needs scenarios with the same "
            "customers, arrivals and seed"
        )
    return traced_journey(
        scenario,
        replication,
        seed,
        base.pick,
        other,
        events,
        base.population,
        base.segment,
        base.intent,
        base.rng_seed,
    )
