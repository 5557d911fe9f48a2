"""Money per run of the horizon: agents, bots and platform, plus what unhappy customers cost.

Agents are paid for *scheduled* heads (the scenario's plan, breaks and shrinkage included), not
for the slot-time the engine measured: a planner pays for the rota. Declared overtime is the
exception: it is paid for the agent time actually stayed, at ``overtime_multiplier``. Bots
cost per session, the platform per day of the run. Churn prices the expected lost customers
(the sum of churn probabilities of finished customers) at their lifetime value, and word of
mouth every person told about a bad experience. docs/reference.md (``costs``) lists the same
definitions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

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
    days: int = 1,
    overtime_hours: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """The cost lines of one replication, in the results document's order.

    ``duration`` is when the last day closes (schedules are whole-run steps), ``journeys`` the
    journey cell of the whole run (counted customers only), ``bot_sessions`` every bot session
    after the warm-up and before it alike, as the engine counts them. The platform costs its
    price per day for each of ``days``; ``overtime_hours`` (agent hours by group, measured by
    the engine) cost ``overtime_multiplier`` times the group's rate.
    """
    agents = 0.0
    for group in groups:
        head_seconds = scheduled_head_seconds(group.schedule, duration)
        agents += costs.hourly(group.name) * head_seconds / 3600.0
    overtime = sum(
        costs.hourly(name) * costs.overtime_multiplier * hours
        for name, hours in (overtime_hours or {}).items()
    )
    bots = costs.bot_session * bot_sessions
    platform = costs.platform_per_day * days
    operating = agents + bots + platform + overtime
    churn = costs.lifetime_value * journeys.churn
    word_of_mouth = costs.word_of_mouth_value * journeys.reach
    total = operating + churn + word_of_mouth
    return {
        "agents": agents,
        "overtime": overtime,
        "bots": bots,
        "platform": platform,
        "operating": operating,
        "churn": churn,
        "word_of_mouth": word_of_mouth,
        "total": total,
        "per_resolved_customer": total / journeys.resolved if journeys.resolved else math.nan,
    }
