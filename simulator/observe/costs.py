"""Money per run of the horizon: agents, bots and platform, plus what unhappy customers cost.

Agents are paid for *scheduled* heads (the scenario's plan, breaks and shrinkage included), not
for the slot-time the engine measured: a planner pays for the rota. Bots cost per session, the
platform per run. Churn prices the expected lost customers (the sum of churn probabilities of
finished customers) at their lifetime value, and word of mouth every person told about a bad
experience. docs/reference.md (``costs``) lists the same definitions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from simulator.observe.journey import JourneyCell
from simulator.scenario.schema import AgentGroup, Costs


def scheduled_head_seconds(schedule: Sequence[tuple[float, int]], duration: float) -> float:
    """Head-seconds of a ``(start, heads)`` step schedule within ``[0, duration]``."""
    head_seconds = 0.0
    for k, (start, heads) in enumerate(schedule):
        end = schedule[k + 1][0] if k + 1 < len(schedule) else duration
        head_seconds += heads * max(0.0, min(end, duration) - min(start, duration))
    return head_seconds


def run_costs(
    costs: Costs,
    groups: Iterable[AgentGroup],
    duration: float,
    bot_sessions: int,
    journeys: JourneyCell,
) -> dict[str, float]:
    """The cost lines of one replication, in the results document's order.

    ``journeys`` is the journey cell of the whole run (counted customers only), ``bot_sessions``
    every bot session after the warm-up and before it alike, as the engine counts them.
    """
    agents = 0.0
    for group in groups:
        head_seconds = scheduled_head_seconds(group.schedule, duration)
        agents += costs.hourly(group.name) * head_seconds / 3600.0
    bots = costs.bot_session * bot_sessions
    operating = agents + bots + costs.platform_per_day
    churn = costs.lifetime_value * journeys.churn
    word_of_mouth = costs.word_of_mouth_value * journeys.reach
    total = operating + churn + word_of_mouth
    return {
        "agents": agents,
        "bots": bots,
        "platform": costs.platform_per_day,
        "operating": operating,
        "churn": churn,
        "word_of_mouth": word_of_mouth,
        "total": total,
        "per_resolved_customer": total / journeys.resolved if journeys.resolved else math.nan,
    }
