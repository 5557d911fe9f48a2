"""Streaming aggregation of journey outcomes: one update per finished customer.

Customers are counted in the interval of their *first* arrival, and only when that is after the
warm-up. A journey still open when the run stops (waiting, or about to retry) counts as
``in_system``; outcome averages (frustration, effort, NPS, churn) cover finished journeys only.

Definitions (also in docs/model.md and in every results document):

* fcr: customers resolved at their first contact / customers;
* contacts_per_resolution: contacts made by all customers / customers resolved;
* repeats/transfers/switches_per_100: events per 100 customers (a repeat is a context loss:
  a hand-off that did not carry what the customer had already explained);
* mean_time_to_resolution_s: first arrival to resolution, resolved customers;
* frustration: mean final, 90th percentile of the peak, share ending angry or worse, and the
  distributions of final and peak frustration (shares of finished customers per 10-point band);
* churn_rate: mean churn probability (expected share of customers lost);
* nps: 100 x (promoters - detractors) / finished customers;
* effort: mean customer effort score (1-7);
* word_of_mouth_reach: people told about a bad experience, summed over customers;
* gave_up_rate: customers who stopped trying unresolved / customers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


#: What one finished customer takes away, as counted, in this order: final frustration,
#: peak frustration as a whole point (0 to 100), the final frustration's 10-point band (0 to 9;
#: 100 joins 90-99), whether they ended angry or worse, how many people they tell about it,
#: their churn probability and their NPS class (``promoter``, ``passive`` or ``detractor``).
#: A plain tuple: the engine builds one per customer who felt something and shares one per
#: segment among those who stayed calm, and :meth:`JourneyCell.add` unpacks it at C speed.
Outcome = tuple[float, int, int, bool, float, float, str]
#: What a longer journey went through, in this order: repeats (context lost), transfers,
#: channel switches, bot sessions and bot failures.
HandOffs = tuple[int, int, int, int, int]


@dataclass(slots=True)
class JourneyCell:
    customers: int = 0
    resolved: int = 0
    gave_up: int = 0
    first_contact: int = 0
    contacts: int = 0
    repeats: int = 0
    transfers: int = 0
    switches: int = 0
    bot_sessions: int = 0
    bot_failures: int = 0
    time_to_resolution: float = 0.0
    total_wait: float = 0.0
    final_f: float = 0.0
    angry_or_worse: int = 0
    churn: float = 0.0
    #: The churn its customers' segments have with nothing to complain about (``churn_base``),
    #: summed like ``churn``: ``churn - base_churn`` is the churn the journeys caused.
    base_churn: float = 0.0
    promoters: int = 0
    detractors: int = 0
    effort: float = 0.0
    reach: float = 0.0
    peaks: list[int] = field(default_factory=lambda: [0] * 101)
    finals: list[int] = field(default_factory=lambda: [0] * 10)  # by 10-point band

    def add(
        self,
        resolved: bool,
        time_to_resolution: float,
        contacts: int,
        total_wait: float,
        effort: float,
        outcome: Outcome,
        hand_offs: HandOffs | None = None,
    ) -> None:
        """Count one finished customer: their contacts, wait, effort and :data:`Outcome`, and
        the :data:`HandOffs` of a longer journey (``None`` for the many who had none).

        ``time_to_resolution`` is read for resolved customers only. Called once per customer
        by the engine: plain statements, one call for everything.
        """
        final, peak_point, final_band, angry, told, churn, nps = outcome
        if resolved:
            self.resolved += 1
            self.time_to_resolution += time_to_resolution
            if contacts == 1:
                self.first_contact += 1
        else:
            self.gave_up += 1
        self.contacts += contacts
        self.total_wait += total_wait
        self.effort += effort
        self.final_f += final
        self.peaks[peak_point] += 1
        self.finals[final_band] += 1
        if angry:
            self.angry_or_worse += 1
            self.reach += told
        self.churn += churn
        if nps == "promoter":
            self.promoters += 1
        elif nps == "detractor":
            self.detractors += 1
        if hand_offs is not None:
            repeats, transfers, switches, bot_sessions, bot_failures = hand_offs
            self.repeats += repeats
            self.transfers += transfers
            self.switches += switches
            self.bot_sessions += bot_sessions
            self.bot_failures += bot_failures

    def merge(self, other: JourneyCell) -> None:
        for name in self.__slots__:
            if name in ("peaks", "finals"):
                mine = getattr(self, name)
                for i, count in enumerate(getattr(other, name)):
                    mine[i] += count
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def kpis(self) -> dict[str, object]:
        finished = self.resolved + self.gave_up
        return {
            "customers": float(self.customers),
            "resolved": float(self.resolved),
            "gave_up": float(self.gave_up),
            "in_system": float(self.customers - finished),
            "fcr": _ratio(self.first_contact, self.customers),
            "resolution_rate": _ratio(self.resolved, self.customers),
            "gave_up_rate": _ratio(self.gave_up, self.customers),
            "contacts_per_customer": _ratio(self.contacts, self.customers),
            "contacts_per_resolution": _ratio(self.contacts, self.resolved),
            "repeats_per_100": 100.0 * _ratio(self.repeats, self.customers),
            "transfers_per_100": 100.0 * _ratio(self.transfers, self.customers),
            "switches_per_100": 100.0 * _ratio(self.switches, self.customers),
            "bot_sessions_per_100": 100.0 * _ratio(self.bot_sessions, self.customers),
            "mean_time_to_resolution_s": _ratio(self.time_to_resolution, self.resolved),
            "mean_total_wait_s": _ratio(self.total_wait, finished),
            "frustration": {
                "mean_final": _ratio(self.final_f, finished),
                "p90_peak": _peak_quantile(self.peaks, 0.9),
                "share_angry_or_worse": _ratio(self.angry_or_worse, finished),
                "final_distribution": _shares(self.finals, finished),
                "peak_distribution": _shares(_bands(self.peaks), finished),
            },
            "churn_rate": _ratio(self.churn, finished),
            "nps": 100.0 * _ratio(self.promoters - self.detractors, finished),
            "effort": _ratio(self.effort, finished),
            "word_of_mouth_reach": self.reach,
        }


def _bands(points: list[int]) -> list[int]:
    """Counts per frustration point 0..100 as counts per 10-point band (100 joins 90-99)."""
    bands = [sum(points[i : i + 10]) for i in range(0, 100, 10)]
    bands[9] += points[100]
    return bands


def _shares(counts: list[int], total: int) -> list[float]:
    """Share of finished customers per 10-point frustration band: 0-9, 10-19, ..., 90-100."""
    return [_ratio(count, total) for count in counts]


def _peak_quantile(counts: list[int], q: float) -> float:
    total = sum(counts)
    if not total:
        return math.nan
    rank, seen = q * total, 0
    for point, count in enumerate(counts):
        seen += count
        if seen >= rank:
            return float(point)
    return 100.0


@dataclass(frozen=True, slots=True)
class JourneyRecord:
    """One finished customer journey, as kept when a run asks for per-customer results."""

    cid: int
    segment: str
    intent: str
    arrived_s: float
    resolved: bool
    contacts: int
    switches: int
    transfers: int
    repeats: int
    reexplain_s: float
    bot_sessions: int
    bot_failures: int
    total_wait_s: float
    time_to_resolution_s: float | None
    peak_frustration: float
    final_frustration: float
    churn_probability: float
    nps_class: str
    effort: float
    word_of_mouth: float


@dataclass
class BotStats:
    sessions: int = 0
    contained: int = 0
    escalated: int = 0
    redirected: int = 0
    #: Customers who found the bot's channel closed (a bot does not answer a closed line).
    closed: int = 0
    failures_by_intent: dict[str, int] = field(default_factory=dict)

    def kpis(self) -> dict[str, object]:
        return {
            "sessions": float(self.sessions),
            "contained": float(self.contained),
            "escalated": float(self.escalated),
            "redirected": float(self.redirected),
            "closed": float(self.closed),
            "containment_rate": _ratio(self.contained, self.sessions),
            "failures_by_intent": {k: float(v) for k, v in sorted(self.failures_by_intent.items())},
        }
