"""Money on the report's first screen: what the day costs to run, and what it puts at risk.

An executive reads two sums: the *operating cost* (agents, overtime, bots, platform: what is
paid) and the *customer value at risk* (the lifetime value of the customers expected to leave,
and the value of the people they tell: what the experience may cost later), each with its 95 %
confidence interval. The results document's ``metrics.costs`` holds them; its keys are read
defensively, all in :func:`money_figures`, since the cost lines are still being split (an
explicit ``value_at_risk``, if the results give one, wins over the sum of its parts).
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

__all__ = ["money_figures", "render_money"]

#: Lines that make up the operating cost when the results do not give it.
OPERATING_PARTS = ("agents", "overtime", "bots", "platform")
#: Lines that make up the customer value at risk when the results do not give it.
AT_RISK_PARTS = ("churn", "word_of_mouth")
#: Keys an explicit value-at-risk figure may have in ``metrics.costs``.
AT_RISK_KEYS = ("value_at_risk", "customer_value_at_risk", "at_risk")


def money_figures(metrics: Mapping[str, Any]) -> list[tuple[str, str, dict[str, float]]]:
    """``(key, label, estimate)`` for the operating cost and the customer value at risk, as
    far as ``metrics.costs`` has them (none when the scenario has no costs). An estimate is
    ``{"mean", "ci_low", "ci_high"}``; a sum of lines without its own interval has no bounds."""
    costs = metrics.get("costs")
    if not isinstance(costs, Mapping) or not costs:
        return []
    operating = _estimate(costs.get("operating")) or _sum(costs, OPERATING_PARTS)
    at_risk = next(
        (e for e in (_estimate(costs.get(key)) for key in AT_RISK_KEYS) if e is not None), None
    ) or _sum(costs, AT_RISK_PARTS)
    figures = []
    if operating is not None:
        figures.append(("operating", "Operating cost", operating))
    if at_risk is not None:
        figures.append(("value_at_risk", "Customer value at risk", at_risk))
    if all(f[2]["mean"] == 0 for f in figures):
        return []
    return figures


def render_money(metrics: Mapping[str, Any]) -> str:
    """The money cards (``data-testid="money"``), or nothing when the run has no costs."""
    figures = money_figures(metrics)
    if not figures:
        return ""
    cards = []
    for key, label, est in figures:
        low, high = est.get("ci_low"), est.get("ci_high")
        interval = (
            f"95 % CI [{_money(low)}, {_money(high)}]"
            if low is not None and high is not None
            else "sum of its lines, no interval"
        )
        cards.append(
            f'<div class="card money {key}" data-kpi="costs.{key}">'
            f'<div class="card-label">{html.escape(label)} per run</div>'
            f'<div class="card-value">{_money(est["mean"])}</div>'
            f'<div class="card-ci">{html.escape(interval)}</div></div>'
        )
    return f'<div class="cards money-cards" data-testid="money">{"".join(cards)}</div>'


def _estimate(value: Any) -> dict[str, float] | None:
    """An estimate from a results value: ``{"mean", ...}``, a plain number, or a mapping of
    parts with a ``total``; anything else: none."""
    if isinstance(value, Mapping):
        if "mean" in value and _finite(value["mean"]):
            out = {"mean": float(value["mean"])}
            if _finite(value.get("ci_low")) and _finite(value.get("ci_high")):
                out["ci_low"], out["ci_high"] = float(value["ci_low"]), float(value["ci_high"])
            return out
        return _estimate(value.get("total"))
    if _finite(value) and not isinstance(value, bool):
        return {"mean": float(value)}
    return None


def _sum(costs: Mapping[str, Any], parts: tuple[str, ...]) -> dict[str, float] | None:
    """The sum of some cost lines; it keeps an interval only when a single line is not zero
    (the interval of a sum is not the sum of the intervals)."""
    found = [e for e in (_estimate(costs.get(part)) for part in parts) if e is not None]
    if not found:
        return None
    nonzero = [e for e in found if e["mean"] != 0 or e.get("ci_high", 0) != 0]
    if len(nonzero) == 1:
        return dict(nonzero[0])
    return {"mean": sum(e["mean"] for e in found)}


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def _money(value: Any) -> str:
    """``94,177`` (the scenario's currency, whole units)."""
    return f"{float(value):,.0f}"
