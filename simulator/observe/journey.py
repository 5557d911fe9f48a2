"""Streaming aggregation of journey outcomes: one update per customer.

Customers are counted in the interval of their *first* arrival, and only when that is after the
warm-up. **Every counted customer is in every outcome**: a journey ends resolved, given up, or
*unfinished* (still waiting, in service, with a bot or about to try again when the run stopped),
and each of them counts in every rate below with all customers as the denominator, the
unfinished with their state at the cut-off (their wait until then, their frustration, effort
so far, and no resolution yet).

Definitions (also in docs/reference.md and docs/model.md):

* customers = resolved + gave_up + unfinished; ``unfinished_rate`` = unfinished / customers;
* fcr: customers resolved at their first contact / customers;
* contacts_per_resolution: contacts made by all customers / customers resolved;
* repeats/transfers/switches_per_100: events per 100 customers (a repeat is a time the customer
  explained everything again because a hand-off lost what they had said);
* mean_time_to_resolution_s: first arrival to resolution, resolved customers;
* frustration: mean final, 90th percentile of the peak, share ending angry or worse, and the
  distributions of final and peak frustration (shares of customers per 10-point band);
* effort: mean Customer Effort Score (1-7) of the outcome model;
* nps: 100 x (expected promoters - expected detractors) / customers, from each customer's
  chances of answering 0..10 (``ltr_distribution``: the mean of those chances; ``promoters`` and
  ``detractors``: shares of customers);
* churn_rate: mean churn probability (expected share of customers lost); excess_churn_rate: the
  part above each segment's base churn (what the journeys caused);
* word_of_mouth: expected people told about a bad (negative) and a good (positive) experience,
  and net = positive - negative; word_of_mouth_reach is the negative one (kept for old readers);
* gave_up_rate: customers who stopped trying unresolved / customers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import add

import numpy as np

#: How a journey ended: given up, resolved, or still open when the run stopped.
GAVE_UP, RESOLVED, UNFINISHED = 0, 1, 2
#: Their names in records and results, indexed by those codes.
ENDINGS: tuple[str, str, str] = ("gave_up", "resolved", "unfinished")
#: Answers of the 0-10 recommend question.
LTR_ANSWERS = 11


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


#: What a customer felt, as counted, in this order: final frustration, peak frustration as a
#: whole point (0 to 100), the final frustration's 10-point band (0 to 9; 100 joins 90-99), and
#: whether they ended angry or worse. A plain tuple: the engine builds one per customer who felt
#: something and shares one among those who stayed calm.
Feeling = tuple[float, int, int, bool]
#: What the customer's answers and actions come to (see :mod:`simulator.model.outcomes`): the
#: chance of being a promoter, of being a detractor, the churn probability, churn above the
#: segment's base, people told about a bad and about a good experience, and the chance of each
#: recommend answer 0..10.
Survey = tuple[float, float, float, float, float, float, tuple[float, ...]]
#: What a longer journey went through, in this order: repeats (explaining again), transfers,
#: channel switches, bot sessions and bot failures.
HandOffs = tuple[int, int, int, int, int]


@dataclass(slots=True)
class JourneyCell:
    customers: int = 0
    resolved: int = 0
    gave_up: int = 0
    unfinished: int = 0
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
    effort: float = 0.0
    #: Expected promoters and detractors (sums of each customer's chances).
    promoters: float = 0.0
    detractors: float = 0.0
    #: Expected customers lost (sum of churn probabilities) and the part above the base.
    churn: float = 0.0
    excess_churn: float = 0.0
    #: Expected people told about a bad experience (negative word of mouth) and a good one.
    reach: float = 0.0
    reach_positive: float = 0.0
    #: Expected customers per recommend answer 0..10.
    ltr: list[float] = field(default_factory=lambda: [0.0] * LTR_ANSWERS)
    #: Customers counted but not yet added into the six sums and ``ltr`` above, per distinct
    #: :data:`Survey`, as ``id(survey) -> [survey, customers]``: the engine shares one survey
    #: among all customers with the same outcome, so this stays small, and keying by identity
    #: spares hashing the survey per customer. :meth:`settle` adds them (the world settles its
    #: cells when it hands its counts over, so a cell that leaves the engine has none).
    pending: dict[int, list] = field(default_factory=dict)
    peaks: list[int] = field(default_factory=lambda: [0] * 101)
    finals: list[int] = field(default_factory=lambda: [0] * 10)  # by 10-point band

    def add(
        self,
        ending: int,
        time_to_resolution: float,
        contacts: int,
        total_wait: float,
        effort: float,
        feeling: Feeling,
        survey: Survey,
        hand_offs: HandOffs | None = None,
    ) -> None:
        """Count one customer whose journey ended (:data:`RESOLVED`, :data:`GAVE_UP`, or
        :data:`UNFINISHED` when the run stopped): contacts, wait, effort, :data:`Feeling`,
        :data:`Survey`, and the :data:`HandOffs` of a longer journey (``None`` for the many who
        had none).

        ``time_to_resolution`` is read for resolved customers only. Called once per customer
        by the engine: plain statements, one call for everything, and the survey counted by
        identity (added into the sums by :meth:`settle`, once per distinct survey).
        """
        final, peak_point, final_band, angry = feeling
        if ending == RESOLVED:
            self.resolved += 1
            self.time_to_resolution += time_to_resolution
            if contacts == 1:
                self.first_contact += 1
        elif ending == GAVE_UP:
            self.gave_up += 1
        else:
            self.unfinished += 1
        self.contacts += contacts
        self.total_wait += total_wait
        self.effort += effort
        self.final_f += final
        self.peaks[peak_point] += 1
        self.finals[final_band] += 1
        if angry:
            self.angry_or_worse += 1
        try:  # costs nothing when the survey was seen before, as it mostly was
            self.pending[id(survey)][1] += 1
        except KeyError:
            self.pending[id(survey)] = [survey, 1]
        if hand_offs is not None:
            repeats, transfers, switches, bot_sessions, bot_failures = hand_offs
            self.repeats += repeats
            self.transfers += transfers
            self.switches += switches
            self.bot_sessions += bot_sessions
            self.bot_failures += bot_failures

    def settle(self) -> None:
        """Add the pending surveys into the sums (see :func:`settle_cells`)."""
        if self.pending:
            settle_cells([self])

    def _add_settled(self, sums: list[float]) -> None:
        """Add the six outcome sums and the eleven answer sums of :func:`settle_cells`."""
        self.promoters += sums[0]
        self.detractors += sums[1]
        self.churn += sums[2]
        self.excess_churn += sums[3]
        self.reach += sums[4]
        self.reach_positive += sums[5]
        self.ltr[:] = map(add, self.ltr, sums[6:])

    def merge(self, other: JourneyCell) -> None:
        self.settle()
        other.settle()
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.ltr[:] = map(add, self.ltr, other.ltr)
        self.peaks[:] = map(add, self.peaks, other.peaks)
        self.finals[:] = map(add, self.finals, other.finals)

    def kpis(self) -> dict[str, object]:
        """Every journey KPI, each over all customers counted (see the module docstring)."""
        self.settle()
        n = self.customers
        return {
            "customers": float(n),
            "resolved": float(self.resolved),
            "gave_up": float(self.gave_up),
            "unfinished": float(self.unfinished),
            # The former name of unfinished, for readers of older results (same number).
            "in_system": float(self.unfinished),
            "unfinished_rate": _ratio(self.unfinished, n),
            "fcr": _ratio(self.first_contact, n),
            "resolution_rate": _ratio(self.resolved, n),
            "gave_up_rate": _ratio(self.gave_up, n),
            "contacts_per_customer": _ratio(self.contacts, n),
            "contacts_per_resolution": _ratio(self.contacts, self.resolved),
            "repeats_per_100": 100.0 * _ratio(self.repeats, n),
            "transfers_per_100": 100.0 * _ratio(self.transfers, n),
            "switches_per_100": 100.0 * _ratio(self.switches, n),
            "bot_sessions_per_100": 100.0 * _ratio(self.bot_sessions, n),
            "mean_time_to_resolution_s": _ratio(self.time_to_resolution, self.resolved),
            "mean_total_wait_s": _ratio(self.total_wait, n),
            "frustration": {
                "mean_final": _ratio(self.final_f, n),
                "p90_peak": _peak_quantile(self.peaks, 0.9),
                "share_angry_or_worse": _ratio(self.angry_or_worse, n),
                "final_distribution": _shares(self.finals, n),
                "peak_distribution": _shares(_bands(self.peaks), n),
            },
            "effort": _ratio(self.effort, n),
            "nps": 100.0 * _ratio(self.promoters - self.detractors, n),
            "promoters": _ratio(self.promoters, n),
            "detractors": _ratio(self.detractors, n),
            "ltr_distribution": [_ratio(expected, n) for expected in self.ltr],
            "churn_rate": _ratio(self.churn, n),
            "excess_churn_rate": _ratio(self.excess_churn, n),
            "word_of_mouth": {
                "negative": self.reach,
                "positive": self.reach_positive,
                "net": self.reach_positive - self.reach,
            },
            "word_of_mouth_reach": self.reach,
        }


def settle_cells(cells: Iterable[JourneyCell]) -> None:
    """Add every cell's pending surveys into its sums: ``count x value`` per distinct survey, in
    the order the surveys first came to the cell (the order of its customers: the same floats
    for the same run, in any process), for the six outcome sums and the eleven answers at once.

    All the cells in one numpy pass (a run settles a cell per interval when it hands its counts
    over): one row of 17 numbers per pending survey, each scaled by its customers, and the rows
    of each cell summed one after the other (``numpy.add.reduceat``).
    """
    owners = [cell for cell in cells if cell.pending]
    if not owners:
        return
    entries = [entry for cell in owners for entry in cell.pending.values()]
    values = np.array([_row(survey) for survey, _ in entries])
    customers = np.array([count for _, count in entries], dtype=np.float64)
    starts = np.cumsum([0] + [len(cell.pending) for cell in owners[:-1]])
    sums = np.add.reduceat(values * customers[:, None], starts, axis=0).tolist()
    for cell, cell_sums in zip(owners, sums, strict=True):
        cell.pending.clear()
        cell._add_settled(cell_sums)


#: Each distinct survey's 17 numbers as a numpy row, by identity, with the survey itself (so
#: its identity cannot be reused while it is here): the engine shares a few hundred surveys
#: across a process's replications, and settling gathers their rows instead of converting
#: seventeen Python floats per cell and survey. Emptied when it reaches ``_ROWS_KEPT``.
_ROWS: dict[int, tuple[Survey, np.ndarray]] = {}
_ROWS_KEPT = 50_000


def _row(survey: Survey) -> np.ndarray:
    """The survey's six sums and eleven answers as one row (see ``_ROWS``)."""
    found = _ROWS.get(id(survey))
    if found is not None and found[0] is survey:
        return found[1]
    if len(_ROWS) >= _ROWS_KEPT:
        _ROWS.clear()
    row = np.array(survey[:6] + survey[6], dtype=np.float64)
    _ROWS[id(survey)] = (survey, row)
    return row


#: The counts of a :class:`JourneyCell` that merging adds one to one (the others are merged
#: their own way: answers and frustration points element by element; pending surveys settled).
_SUMMED = tuple(
    name for name in JourneyCell.__slots__ if name not in ("ltr", "pending", "peaks", "finals")
)


def _bands(points: list[int]) -> list[int]:
    """Counts per frustration point 0..100 as counts per 10-point band (100 joins 90-99)."""
    bands = [sum(points[i : i + 10]) for i in range(0, 100, 10)]
    bands[9] += points[100]
    return bands


def _shares(counts: list[int], total: int) -> list[float]:
    """Share of customers per 10-point frustration band: 0-9, 10-19, ..., 90-100."""
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
    """One customer journey after the warm-up, finished or cut off when the run stopped, as kept
    when a run asks for per-customer records (traces, the journey explorer)."""

    cid: int
    segment: str
    intent: str
    arrived_s: float
    resolved: bool
    contacts: int
    switches: int
    transfers: int
    #: Times the customer explained everything again (a lost hand-off, then someone to tell).
    repeats: int
    reexplain_s: float
    bot_sessions: int
    bot_failures: int
    total_wait_s: float
    time_to_resolution_s: float | None
    peak_frustration: float
    final_frustration: float
    churn_probability: float
    #: The NPS class the customer most likely falls in (see :attr:`recommend`).
    nps_class: str
    effort: float
    #: Expected people told about a bad experience.
    word_of_mouth: float
    #: How it ended: ``resolved``, ``gave_up`` or ``unfinished`` (still open at the cut-off).
    outcome: str = "resolved"
    #: When it ended (resolution, giving up, or the cut-off), seconds since the horizon start.
    ended_s: float = 0.0
    #: Waiting beyond the channels' promises, in promises (summed over contacts).
    wait_beyond_promise: float = 0.0
    #: Times the customer found a channel closed or its lines busy.
    closed_or_blocked: int = 0
    #: The chance of each answer 0..10 to "would you recommend us?".
    recommend: tuple[float, ...] = ()
    #: Churn probability above the segment's base.
    excess_churn: float = 0.0
    #: Expected people told about a good experience.
    word_of_mouth_positive: float = 0.0

    @property
    def likely_recommend(self) -> int:
        """The most likely answer to "would you recommend us?" (0-10; the lower on a tie)."""
        if not self.recommend:
            return -1
        return max(range(len(self.recommend)), key=lambda k: (self.recommend[k], -k))


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
