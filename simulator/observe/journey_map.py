"""The journey map: every journey of every replication, folded into flows between steps.

An executive asks where customers go and where it hurts: which channel they start on, how many
reach a bot, a team, another team, another channel, and how it ends; how frustrated they are on
arriving at each step. A traced journey tells one customer; the map tells all of them.

Each customer's journey becomes a *walk* of steps: the channel of each contact (``channel``),
a bot session (``bot``), an agent group that answered (``team``), a contact that ended without
anyone (``left``: abandoned, blocked, or closed), and the end (``end``: resolved, gave up, or
unfinished when the run stopped). A step is a *node* ``(position, kind, name)``: the third step
"team billing" is another node than the fifth. Walks longer than :data:`MAX_STEPS` fold their
later middle steps into one ``more`` node, so the map stays readable. For every node the
recorder counts the customers who reached it and sums their frustration on arriving (after the
event that brought them there); for every pair of consecutive nodes, the customers who went
from one to the other (a *link*: what a Sankey diagram draws). All of it per segment.

:class:`JourneyMap` is an observer (:mod:`simulator.observe.observer`): a
:class:`JourneyMapRecorder` in the worker of every replication, small products merged in the
main process, and :meth:`JourneyMap.as_dict` for the report: counts per replication (means
over the replications, as the results are), mean frustration per node.

Cost: a dictionary look-up and a few assignments per event: about 1 µs an event, 20-30 ms for
the 21,000 events of a day of the bundled omnichannel bank, some 10 % of a replication that
emits its events (which the explorer asks for anyway: emitting them is the larger part).
Memory holds the open walks only (a walk is dropped at its end).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from simulator.observe import events as ev
from simulator.observe.events import JourneyEvent
from simulator.observe.journey import JourneyRecord
from simulator.scenario.schema import Scenario

__all__ = [
    "ALL",
    "KINDS",
    "MAX_STEPS",
    "JourneyMap",
    "JourneyMapRecorder",
    "MapRecorders",
    "Node",
]

#: Positions a walk shows before folding its later middle steps into one ``more`` node.
MAX_STEPS = 8
#: The kinds of node, in the order a map lists those of one position.
KINDS = ("channel", "bot", "team", "left", "more", "end")
#: The segment key of the whole population in :meth:`JourneyMap.as_dict`.
ALL = "all"

#: ``(position, kind, name)``: position 0 is the first contact's channel.
Node = tuple[int, str, str]

#: The step each activity takes a customer to, as ``(kind, name)``; ``None`` for the name
#: means "the event's channel" (contacts) or "its resource" (bots, teams). Activities not
#: listed (queued, transferred, context lost, retries...) happen within a step.
_STEP_OF: dict[str, tuple[str, str | None]] = {
    ev.CONTACTED: ("channel", None),
    ev.BOT_STARTED: ("bot", None),
    ev.ANSWERED: ("team", None),
    ev.ABANDONED: ("left", "abandoned"),
    ev.BLOCKED: ("left", "blocked"),
    ev.CLOSED: ("left", "closed"),
}
_END_OF = {ev.RESOLVED: "resolved", ev.GAVE_UP: "gave_up"}


@dataclass
class _Walk:
    """One customer's walk so far: their segment, the node they are at, their frustration."""

    segment: str
    node: Node
    frustration: float


class _SegmentCounts:
    """Customers, nodes (count, frustration sum) and links (count) of one segment."""

    __slots__ = ("customers", "links", "nodes")

    def __init__(self) -> None:
        self.customers = 0
        self.nodes: dict[Node, list[float]] = {}
        self.links: dict[tuple[Node, Node], int] = {}

    def reach(self, node: Node, frustration: float, came_from: Node | None) -> None:
        tally = self.nodes.get(node)
        if tally is None:
            self.nodes[node] = [1, frustration]
        else:
            tally[0] += 1
            tally[1] += frustration
        if came_from is not None:
            link = (came_from, node)
            self.links[link] = self.links.get(link, 0) + 1

    def merge(self, other: _SegmentCounts) -> None:
        self.customers += other.customers
        for node, (count, total) in other.nodes.items():
            tally = self.nodes.setdefault(node, [0, 0.0])
            tally[0] += count
            tally[1] += total
        for link, count in other.links.items():
            self.links[link] = self.links.get(link, 0) + count


class JourneyMapRecorder:
    """Folds one replication's events into walks (a replication recorder, in the worker).

    Customers who arrived during the warm-up are left out, as the results leave them out.
    """

    keeps_records = False

    def __init__(self, warmup: float = 0.0) -> None:
        self._warmup = warmup
        self._walks: dict[int, _Walk] = {}
        self.segments: dict[str, _SegmentCounts] = {}

    def __call__(self, event: JourneyEvent) -> None:
        activity = event.activity
        if activity == ev.ARRIVED:
            self._arrive(event)
            return
        walk = self._walks.get(event.case_id)
        if walk is None:
            return  # arrived in the warm-up
        walk.frustration = event.frustration
        step = _STEP_OF.get(activity)
        if step is not None:
            kind, name = step
            if name is None:
                name = event.channel if kind == "channel" else event.resource
            self._step(walk, kind, name)
        elif activity in _END_OF:
            self._step(walk, "end", _END_OF[activity])
            del self._walks[event.case_id]

    def _arrive(self, event: JourneyEvent) -> None:
        if event.time < self._warmup:
            return
        segment = event.detail.partition("/")[2]  # "intent/segment"
        counts = self.segments.get(segment)
        if counts is None:
            counts = self.segments[segment] = _SegmentCounts()
        counts.customers += 1
        node: Node = (0, "channel", event.channel)
        counts.reach(node, event.frustration, None)
        self._walks[event.case_id] = _Walk(segment, node, event.frustration)

    def _step(self, walk: _Walk, kind: str, name: str) -> None:
        position = walk.node[0] + 1
        if kind != "end" and position >= MAX_STEPS - 1:
            if walk.node[1] == "more":
                return  # folded into the ``more`` node already reached
            kind, name, position = "more", "later steps", MAX_STEPS - 1
        node: Node = (position, kind, name)
        self.segments[walk.segment].reach(node, walk.frustration, walk.node)
        walk.node = node

    def finish(self, records: Sequence[JourneyRecord]) -> dict[str, _SegmentCounts]:
        """The counts, every walk still open when the run stopped ending as ``unfinished``."""
        for walk in self._walks.values():
            self._step(walk, "end", "unfinished")
        self._walks = {}
        return self.segments

    def abort(self) -> None:
        self._walks = {}
        self.segments = {}


@dataclass(frozen=True)
class MapRecorders:
    """The picklable half of a :class:`JourneyMap`: a recorder for every replication."""

    def __call__(self, scenario: Scenario, replication: int, seed: int) -> JourneyMapRecorder:
        return JourneyMapRecorder(scenario.horizon.warmup)


class JourneyMap:
    """The journey map of a run: an observer of every replication. Pass it to
    ``run_replications(..., observers=[journey_map])``, then read :meth:`as_dict`."""

    def __init__(self) -> None:
        self._replications = 0
        self._segments: dict[str, _SegmentCounts] = {}

    @property
    def factory(self) -> MapRecorders:
        return MapRecorders()

    def receive(self, replication: int, product: dict[str, _SegmentCounts]) -> None:
        self._replications += 1
        for segment, counts in product.items():
            self._segments.setdefault(segment, _SegmentCounts()).merge(counts)

    def as_dict(self) -> dict[str, Any]:
        """The map as plain data: per segment (and :data:`ALL` of them), the customers, the
        nodes ``[position, kind, name, customers, mean frustration on arriving]`` and the links
        ``[from node index, to node index, customers]``; customers per replication."""
        whole = _SegmentCounts()
        for counts in self._segments.values():
            whole.merge(counts)
        segments = {ALL: whole, **dict(sorted(self._segments.items()))}
        return {
            "replications": self._replications,
            "max_steps": MAX_STEPS,
            "segments": {
                name: _segment_dict(counts, self._replications) for name, counts in segments.items()
            },
        }


def _node_order(node: Node) -> tuple[int, int, str]:
    position, kind, name = node
    return (position, KINDS.index(kind), name)


def _segment_dict(counts: _SegmentCounts, replications: int) -> dict[str, Any]:
    per = max(replications, 1)
    nodes = sorted(counts.nodes, key=_node_order)
    index = {node: i for i, node in enumerate(nodes)}
    links = sorted(
        ((index[a], index[b], n) for (a, b), n in counts.links.items()),
        key=lambda link: (link[0], link[1]),
    )
    return {
        "customers": round(counts.customers / per, 2),
        "nodes": [
            [*node, round(counts.nodes[node][0] / per, 2), _mean(counts.nodes[node])]
            for node in nodes
        ],
        "links": [[a, b, round(n / per, 2)] for a, b, n in links],
    }


def _mean(tally: list[float]) -> float:
    count, total = tally
    return round(total / count, 1) if count else 0.0
