"""What a journey meant for the business, per customer: churn risk, NPS class, effort, reach.

These are pure functions of a finished journey's summary (final frustration, counts, waits), so
the engine can call them once per customer with plain floats and the metrics layer can aggregate
them as a stream. Like the frustration coefficients they are *models* calibrated to reproduce
qualitative facts from public sources (docs/model.md), not survey measurements.
"""

from __future__ import annotations

import math

from simulator.model.frustration import F_MAX, FrustrationParams

NPS_CLASSES: tuple[str, str, str] = ("promoter", "passive", "detractor")

#: Customer Effort Score scale (1 = effortless, 7 = very high effort).
EFFORT_MIN = 1.0
EFFORT_MAX = 7.0


def churn_probability(final_f: float, base: float, at_max: float) -> float:
    """Probability that a customer ending at frustration ``final_f`` leaves, in [0, 1].

    ``base + (at_max - base) * (F/100)**2``: ``base`` is the segment's churn with nothing to
    complain about (F = 0), ``at_max`` its churn at F = 100. Convex because a mildly irritated
    customer rarely leaves while a furious one often does: most of the risk sits at the top of
    the scale (assumption, shaped after CEB's finding that effort, not delight, drives
    disloyalty). Requires ``0 <= base <= at_max <= 1``.
    """
    if not 0.0 <= base <= at_max <= 1.0:
        raise ValueError(f"churn needs 0 <= base <= at_max <= 1, got base={base}, at_max={at_max}")
    x = final_f / F_MAX
    x = 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)
    return base + (at_max - base) * x * x


def nps_class(resolved: bool, final_f: float, p: FrustrationParams) -> str:
    """The NPS class a customer would answer with, derived from their journey.

    Detractor if the issue was not resolved or they end angry or worse (F >= ``p.angry``);
    promoter if resolved and calm (F < ``p.irritated``); passive otherwise (resolved but still
    irritated). A model of the survey answer, not a survey.
    """
    if not resolved or final_f >= p.angry:
        return "detractor"
    if final_f < p.irritated:
        return "promoter"
    return "passive"


def nps(promoters: int, detractors: int, n: int) -> float:
    """Net Promoter Score in [-100, 100]: ``100 * (promoters - detractors) / n``.

    NaN when ``n`` is 0 (no customers: no score, rather than a misleading 0).
    """
    if promoters < 0 or detractors < 0 or promoters + detractors > n:
        raise ValueError(
            f"need 0 <= promoters + detractors <= n, got {promoters}, {detractors}, n={n}"
        )
    if n == 0:
        return math.nan
    return 100.0 * (promoters - detractors) / n


def effort_score(
    contacts: int,
    switches: int,
    transfers: int,
    repeats: int,
    total_wait_s: float,
    bot_failures: int,
) -> float:
    """Modelled Customer Effort Score on the 1–7 scale (1 = effortless), clipped to [1, 7].

    ``1 + 1.0*(contacts-1) + 1.0*switches + 0.5*transfers + 1.0*repeats + 0.5*bot_failures
    + total_wait_min/10``: each extra contact, channel switch and re-explanation costs a full
    point (CEB: these are what customers call effort), a transfer or a failed bot half a point,
    and every 10 minutes of waiting one point. Non-decreasing in every input. A model of what
    the customer would answer, not a survey result.
    """
    score = (
        1.0
        + (contacts - 1 if contacts > 1 else 0)
        + switches
        + 0.5 * transfers
        + repeats
        + 0.5 * bot_failures
        + total_wait_s / 600.0
    )
    return EFFORT_MIN if score < EFFORT_MIN else (EFFORT_MAX if score > EFFORT_MAX else score)


def word_of_mouth_reach(final_f: float, reach: float, p: FrustrationParams) -> float:
    """People told about a bad experience: the segment's ``reach`` if angry or worse, else 0.

    Reach is a segment property (~12 people offline vs ~825 online, Confirmit 2019); only
    customers who end angry or furious are assumed to spread negative word of mouth.
    """
    return reach if final_f >= p.angry else 0.0
