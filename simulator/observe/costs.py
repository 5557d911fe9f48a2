"""Money per run of the horizon, in two sums that are never added: what the operation costs,
and what unhappy customers put at risk.

**Operating cost** is what the center pays. Agents are paid for *scheduled* heads (the
scenario's plan, breaks and shrinkage included), not for the slot-time the engine measured: a
planner pays for the rota. Declared overtime is the exception: it is paid for the agent time
actually stayed, at ``overtime_multiplier``. Bots cost per session, the platform per day of the
run. A variant that changes nothing a planner pays for (a shared customer record without a
platform price, another lifetime value) has exactly the same operating cost.

**Value at risk** is what the journeys may cost later: the customers expected to leave *because
of how they were served* (their churn probability above their segment's ``churn_base``, which
even a perfectly served customer has) at their lifetime value, plus every person told about a
bad experience at ``word_of_mouth_value``. It is a model's estimate, not a bill, so it is
reported beside the operating cost and never added to it: a sum would let modelled churn
outweigh real money in a verdict. docs/reference.md (``costs``) lists the same definitions.
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


def excess_churn(journeys: JourneyCell) -> float:
    """Customers expected to leave above their segments' base churn: what the journeys caused.

    The one place value at risk reads churn from, so a better outcome model changes it here.
    """
    return journeys.excess_churn


def run_costs(
    costs: Costs,
    groups: Iterable[AgentGroup],
    duration: float,
    bot_sessions: int,
    journeys: JourneyCell,
    days: int = 1,
    overtime_hours: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """The cost lines of one replication, in the results document's order: the operating cost
    and its parts, then the value at risk and its parts.

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
    churn = costs.lifetime_value * excess_churn(journeys)
    word_of_mouth = costs.word_of_mouth_value * journeys.reach
    return {
        "agents": agents,
        "overtime": overtime,
        "bots": bots,
        "platform": platform,
        "operating": operating,
        "operating_per_resolved_customer": (
            operating / journeys.resolved if journeys.resolved else math.nan
        ),
        "churn_above_base": churn,
        "word_of_mouth": word_of_mouth,
        "value_at_risk": churn + word_of_mouth,
    }
