"""Resource limits on what a scenario asks of the engine, checked as soon as the blocks that set
them are read.

Each block's reader checks that its values make sense; these checks say whether the whole is
small enough to simulate: the planning grid (an ``interval: 1ms`` over a day is 86 million
intervals, and the per-interval lists of every later block would be built for each), the
customers one replication will create, the slots of an agent group, the routing table the
loader and the engine resolve contact by contact, and the counting cells a replication
allocates. A check that fails records a problem at the node that set the value, naming the
limit and the environment variable that moves it (:mod:`simulator.limits`), and the block's
value becomes None, as if it were broken, so blocks that need it are skipped rather than built
at the refused size.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from simulator.limits import (
    MAX_CELLS,
    MAX_CUSTOMERS,
    MAX_INTERVALS,
    MAX_ROUTING,
    MAX_SLOTS,
    MIN_INTERVAL,
)
from simulator.scenario.read.context import ReadContext
from simulator.scenario.schema import AgentGroup, Arrivals, Channel, Horizon, Scenario
from simulator.scenario.yamlsrc import Located
from simulator.units import format_duration


def entry(node: Located | None, *keys: str) -> Located | None:
    """The node at ``keys`` below ``node``, or the deepest one on the way that exists (where a
    problem about a default value is best shown)."""
    for key in keys:
        if node is None or not node.is_map or key not in node.value:
            return node
        node = node.value[key]
    return node


def check_horizon(reading: ReadContext, node: Located | None, horizon: Horizon) -> Horizon | None:
    """The planning interval is not below the smallest, and the grid not over the most intervals."""
    shortest = MIN_INTERVAL.value
    key = "interval" if node is not None and "interval" in node.value else "duration"
    where, path = entry(node, key), f"horizon.{key}"
    if horizon.interval < shortest:
        reading.add(
            where,
            path,
            f"an interval of {_written(where, horizon.interval)} is below the shortest planning "
            f"interval, {MIN_INTERVAL.shown()}",
            MIN_INTERVAL.hint,
        )
        return None
    most = MAX_INTERVALS.value
    if horizon.n_intervals > most:
        reading.add(
            where,
            path,
            f"{format_duration(horizon.duration)} in intervals of "
            f"{format_duration(horizon.interval)} makes {horizon.n_intervals:,} intervals, more "
            f"than the limit of {MAX_INTERVALS.shown()}",
            "use longer intervals, or " + MAX_INTERVALS.hint,
        )
        return None
    return horizon


def _written(node: Located | None, seconds: float) -> str:
    """A duration as the author wrote it, when the node holds it."""
    if node is not None and node.is_scalar and node.raw:
        return node.raw
    return format_duration(seconds)


def check_arrivals(
    reading: ReadContext, node: Located | None, arrivals: Arrivals, horizon: Horizon | None
) -> Arrivals | None:
    """The customers expected in one replication are within the limit."""
    if horizon is None:
        return arrivals
    expected = arrivals.expected_total(horizon.interval, horizon.duration)
    most = MAX_CUSTOMERS.value
    if math.isfinite(expected) and expected <= most:
        return arrivals
    given = [key for key in ("rate", "per_interval", "daily_total") if node and key in node.value]
    where = entry(node, given[0]) if given else node
    shown = f"{expected:,.0f}" if math.isfinite(expected) else "an infinite number of"
    reading.add(
        where,
        f"arrivals.{given[0]}" if given else "arrivals",
        f"{shown} customers expected per replication, more than the limit of "
        f"{MAX_CUSTOMERS.shown()}",
        "check the rate's unit (600/h, not 600/s), or " + MAX_CUSTOMERS.hint,
    )
    return None


def check_agents(
    reading: ReadContext, node: Located | None, agents: Mapping[str, AgentGroup]
) -> Mapping[str, AgentGroup] | None:
    """No agent group has more slots (agents on duty x concurrency) than the limit."""
    most = MAX_SLOTS.value
    refused = False
    for name, group in agents.items():
        heads = max(count for _, count in group.schedule)
        slots = heads * group.concurrency
        if slots <= most:
            continue
        key = "concurrency" if group.concurrency > 1 else "count"
        reading.add(
            entry(node, name, key),
            f"agents.{name}.{key}",
            f"{heads:,} agents x concurrency {group.concurrency:,} = {slots:,} slots, more than "
            f"the limit of {MAX_SLOTS.shown()}",
            MAX_SLOTS.hint,
        )
        refused = True
    return None if refused else agents


def check_routing_size(
    reading: ReadContext,
    node: Located | None,
    path: str,
    rules: int,
    channels: Mapping[str, Channel],
    intents: Sequence[Any],
    segments: Sequence[Any],
) -> bool:
    """Whether the routing table is small enough to resolve: every channel x intent x segment
    is matched against the rules in order, by the loader's coverage checks and by the engine at
    the start of every replication."""
    kinds = len(channels) * len(intents) * len(segments)
    checks = kinds * max(rules, 1)
    if checks <= MAX_ROUTING.value:
        return True
    reading.add(
        node,
        path,
        f"{len(channels):,} channel(s) x {len(intents):,} intent(s) x {len(segments):,} "
        f"segment(s) = {kinds:,} kinds of contact, each matched against {rules:,} rule(s): "
        f"{checks:,} checks, more than the limit of {MAX_ROUTING.shown()}",
        MAX_ROUTING.hint,
    )
    return False


def check_cells(reading: ReadContext, tree: Located, scenario: Scenario) -> None:
    """The counting cells one replication allocates (every route, queue, agent group and
    channel counts each interval apart) are within the limit."""
    routes = len(scenario.channels) * len(scenario.intents) * len(scenario.segments)
    skills = {skill for group in scenario.agents.values() for skill in group.skills}
    things = routes + len(skills) + len(scenario.agents) + len(scenario.channels) + 1
    intervals = scenario.horizon.n_intervals
    cells = things * intervals
    if cells <= MAX_CELLS.value:
        return
    reading.add(
        entry(tree, "horizon", "interval"),
        "horizon",
        f"{routes:,} kinds of contact (channels x intents x segments) and "
        f"{things - routes:,} queues, groups and channels, each counted in {intervals:,} "
        f"intervals: {cells:,} cells, more than the limit of {MAX_CELLS.shown()}",
        "use longer intervals or fewer segments or intents, or " + MAX_CELLS.hint,
    )
