"""The typed, immutable form of a scenario: what the loader produces and the engine consumes.

Everything here is already validated and in engine units (seconds, per-second rates). The model
never sees YAML, and the loader never sees SimPy. Default values live here, so the loader, the
JSON Schema and the effective-scenario dump agree on them.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from simulator.distributions import Constant, Distribution, Exponential, Lognormal
from simulator.scenario.frustration import FrustrationParams
from simulator.scenario.shifts import GroupShifts
from simulator.units import format_clock, format_duration

SYNCHRONOUS: Literal["synchronous"] = "synchronous"
ASYNCHRONOUS: Literal["asynchronous"] = "asynchronous"
ChannelKind = Literal["synchronous", "asynchronous"]

#: Default service-level threshold for synchronous channels (the industry's "80/20" voice target).
DEFAULT_SL_THRESHOLD_S = 20.0
#: Channel names whose ``kind`` defaults to asynchronous (worked from a backlog, no abandonment).
ASYNC_BY_NAME = frozenset({"email", "social", "messaging", "letter", "sms"})


class FrozenMap(Mapping):
    """A read-only mapping, so a Scenario cannot be changed behind the engine's back.

    Unlike ``types.MappingProxyType`` it pickles, which process pools and Dask need.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping | Iterable[tuple[Any, Any]] | None = None) -> None:
        self._items: dict[Any, Any] = dict(items or {})

    def __getitem__(self, key: Any) -> Any:
        return self._items[key]

    def get(self, key: Any, default: Any = None) -> Any:  # faster than Mapping.get's try/except
        return self._items.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

    def __getstate__(self) -> dict[Any, Any]:
        return self._items

    def __setstate__(self, state: dict[Any, Any]) -> None:
        self._items = state


def frozen_map(items: Mapping | Iterable[tuple[Any, Any]] | None = None) -> Mapping:
    """A read-only, picklable copy of ``items`` (a mapping or ``(key, value)`` pairs)."""
    return FrozenMap(items)


#: Seconds in a day: day ``d`` of a multi-day run opens at ``d * DAY_S``.
DAY_S = 86400.0
#: Day names, Monday first: the keys of per-day mappings and the weekday numbers' names.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Day-group keys of per-day mappings and the weekdays each one stands for.
DAY_GROUPS: Mapping[str, tuple[int, ...]] = {"weekdays": (0, 1, 2, 3, 4), "weekend": (5, 6)}


@dataclass(frozen=True, slots=True)
class Horizon:
    """Simulated time. ``t = 0`` is the start of the first day; clock labels add ``start``
    (seconds after midnight).

    One day is the window ``[0, duration)``. A run of several ``days`` (clock horizons only)
    repeats that window every 24 hours: day ``d`` is open in ``[d * DAY_S, d * DAY_S +
    duration)``, and the nights in between are real simulated time (backlogs wait through
    them). Statistics cover customers arriving from ``warmup`` on (at the start of the run
    only). Arrivals stop when the last day closes (:attr:`end`); contacts in service are worked
    for at most ``drain`` more seconds.

    Two grids index time. *Reported intervals* (``n_intervals`` of them) are the intervals of
    every day's window, day after day: interval ``i`` of day ``d`` is ``d * intervals_per_day +
    i``. *Bins* (``n_bins``) cover the whole run, nights included, so the engine can find one
    with ``int(t // interval)``: bin ``b`` is interval ``b % bins_per_day`` of day ``b //
    bins_per_day``, a night bin when that interval is past the day's window
    (:meth:`open_interval` folds it into the next opening). A single day has no night:
    its bins are its intervals, exactly as before multi-day runs existed.
    """

    duration: float
    interval: float
    start: float = 0.0
    warmup: float = 0.0
    drain: float = 4 * 3600.0
    clock: bool = False
    date: str | None = None
    #: Days in the run (more than one needs a clock horizon and an interval dividing 24 h).
    days: int = 1
    #: Weekday of day 0: 0 is Monday (from ``date`` when given, else ``first_day``).
    first_weekday: int = 0

    @property
    def intervals_per_day(self) -> int:
        """Reported intervals in one day's window (the last may be shorter)."""
        return max(1, math.ceil(self.duration / self.interval - 1e-9))

    @property
    def n_intervals(self) -> int:
        """Reported intervals of the whole run: intervals per day x days."""
        return self.intervals_per_day * self.days

    @property
    def bins_per_day(self) -> int:
        """Bins in 24 hours (nights included) for multi-day runs; a single day's intervals."""
        if self.days == 1:
            return self.intervals_per_day
        return round(DAY_S / self.interval)

    @property
    def n_bins(self) -> int:
        """Bins over the whole run: ``int(t // interval)`` for any ``t`` before :attr:`end`."""
        return self.days * self.bins_per_day

    @property
    def end(self) -> float:
        """When the last day closes and arrivals stop (``duration`` for a single day)."""
        return (self.days - 1) * DAY_S + self.duration

    def day_start(self, day: int) -> float:
        """Simulated time at which day ``day`` opens."""
        return day * DAY_S

    def day_end(self, day: int) -> float:
        """Simulated time at which day ``day`` closes."""
        return day * DAY_S + self.duration

    def day_of(self, t: float) -> int:
        """The day whose 24 hours (from its opening) contain ``t``, clamped to the run."""
        return min(max(int(t // DAY_S), 0), self.days - 1)

    def weekday(self, day: int) -> int:
        """Weekday of day ``day``: 0 is Monday."""
        return (self.first_weekday + day) % 7

    def bin_of(self, t: float) -> int:
        """The bin containing ``t``, clamped to the run."""
        return min(max(int(t // self.interval), 0), self.n_bins - 1)

    def open_interval(self, bin_index: int) -> int:
        """The reported interval that bin ``bin_index`` counts in: itself when the day is
        open, the next day's first interval for a night bin (the last interval after the last
        day)."""
        day, i = divmod(bin_index, self.bins_per_day)
        per_day = self.intervals_per_day
        if i < per_day:
            return day * per_day + i
        return min((day + 1) * per_day, self.n_intervals - 1)

    def interval_of(self, t: float) -> int:
        """The reported interval of simulated time ``t`` (nights fold into the next opening)."""
        return self.open_interval(self.bin_of(t))

    def interval_start(self, i: int) -> float:
        """Simulated time at which reported interval ``i`` begins."""
        day, k = divmod(i, self.intervals_per_day)
        return day * DAY_S + k * self.interval

    def interval_length(self, i: int) -> float:
        """Length of reported interval ``i`` (the last of a day may be shorter)."""
        k = i % self.intervals_per_day
        return min(self.interval, self.duration - k * self.interval)

    def day_label(self, day: int) -> str:
        """``"Mon"``; with its date (``"Mon 2026-11-30"``) or number (``"Mon #8"``) in runs
        longer than a week, where a weekday alone is ambiguous."""
        name = WEEKDAYS[self.weekday(day)].capitalize()
        if self.days <= 7:
            return name
        if self.date is not None:
            return f"{name} {_dt.date.fromisoformat(self.date) + _dt.timedelta(days=day)}"
        return f"{name} #{day + 1}"

    def label(self, i: int) -> str:
        """``"08:30"`` for clock horizons, ``"+1h30m"`` otherwise; ``"Mon 08:30"`` for
        interval ``i`` of a multi-day run."""
        if self.days > 1:
            day, k = divmod(i, self.intervals_per_day)
            return f"{self.day_label(day)} {format_clock(self.start + k * self.interval)}"
        t = i * self.interval
        return format_clock(self.start + t) if self.clock else "+" + format_duration(t)


@dataclass(frozen=True, slots=True)
class Segment:
    name: str
    share: float
    patience_scale: float = 1.0
    #: People who hear about a bad experience (word of mouth); used by the journey model.
    reach: float = 0.0
    #: Multiplies every frustration *increase* for this segment (1 = average customer).
    sensitivity: float = 1.0
    #: Churn probability of a customer of this segment who ends calm (frustration 0) ...
    churn_base: float = 0.01
    #: ... and of one who ends at frustration 100; convex in between (docs/model.md).
    churn_max: float = 0.30


@dataclass(frozen=True, slots=True)
class Intent:
    name: str
    share: float


@dataclass(frozen=True, slots=True)
class DemandUncertainty:
    """How far a simulated day's arrivals stray from the forecast rates (``arrivals.
    uncertainty``), drawn afresh for every day of every replication.

    A day's rates are multiplied by a *day multiplier*, gamma-distributed with mean 1 and
    coefficient of variation ``day_cv`` (a whole day busier or quieter than forecast), and each
    interval by an *interval multiplier*: log-AR(1) noise with CV ``interval_cv`` and lag-1
    correlation ``interval_correlation`` (of the logs), rescaled each day so that the day's
    expected total is the day multiplier's alone. Without the rescaling the day level and the
    interval level would count the same variation twice (``calibrate/history_fit.py``).
    """

    day_cv: float = 0.0
    interval_cv: float = 0.0
    interval_correlation: float = 0.0

    @property
    def active(self) -> bool:
        """Whether any multiplier differs from 1 (else arrivals are drawn exactly as without)."""
        return self.day_cv > 0 or self.interval_cv > 0


@dataclass(frozen=True, slots=True)
class Arrivals:
    """Poisson arrivals with a piecewise-constant rate, one rate per horizon interval."""

    #: Per second, one per reported interval of the whole run (``horizon.n_intervals``: the
    #: intervals of day 0, then of day 1, ...), each day's resolved through ``by_day``.
    rates: tuple[float, ...]
    first_channel: tuple[tuple[str, float], ...]  # (channel, share), shares sum to 1
    #: Day-level and interval-level multipliers of the rates (None: the rates are exact).
    uncertainty: DemandUncertainty | None = None

    def expected_total(self, interval: float, duration: float) -> float:
        """Expected arrivals over the run, for days of ``duration`` cut into ``interval``s."""
        per_day = max(1, math.ceil(duration / interval - 1e-9))
        total, t = 0.0, 0.0
        for k, rate in enumerate(self.rates):
            if k % per_day == 0:
                t = 0.0
            step = min(interval, duration - t)
            total += rate * step
            t += interval
        return total


#: Opening hours of one day: sorted, disjoint ``(open, close)`` clock seconds (none: closed).
DayHours = tuple[tuple[float, float], ...]
#: Opening hours of a week, Monday first.
WeekHours = tuple[DayHours, ...]


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    kind: ChannelKind
    expected_response: float
    patience: Distribution | None = None  # None: never abandons (always so for asynchronous)
    lines: int | None = None  # trunk capacity: contacts waiting + in service on this channel
    sl_threshold: float = DEFAULT_SL_THRESHOLD_S
    #: Opening hours by weekday (Monday first): ``(open, close)`` windows in seconds after
    #: midnight, sorted and disjoint; none for a closed day. None: the horizon's window every
    #: day. A synchronous channel accepts contacts only inside them; for an asynchronous one
    #: they are the business hours of a ``business_hours`` promise.
    hours: WeekHours | None = None
    #: Whether the service-level promise counts only the wait inside ``hours``.
    sl_business_hours: bool = False

    @property
    def synchronous(self) -> bool:
        return self.kind == SYNCHRONOUS

    def open_windows(self, horizon: Horizon) -> tuple[tuple[float, float], ...]:
        """The channel's ``(open, close)`` windows over the whole run, in simulated seconds."""
        windows: list[tuple[float, float]] = []
        for day in range(horizon.days):
            if self.hours is None:
                windows.append((horizon.day_start(day), horizon.day_end(day)))
                continue
            offset = horizon.day_start(day) - horizon.start
            windows.extend((offset + a, offset + b) for a, b in self.hours[horizon.weekday(day)])
        return tuple(windows)


@dataclass(frozen=True, slots=True)
class Transfer:
    """After service, send the contact on to skill queue ``to`` with ``probability``."""

    to: str
    probability: float


@dataclass(frozen=True, slots=True)
class AgentGroup:
    """A group of interchangeable agents.

    ``schedule`` lists ``(t, heads)`` steps in simulated seconds over the whole run, in time
    order, first at ``t = 0`` (the loader inserts a zero step when the first shift starts
    later). In a multi-day run every day's steps follow, each day resolved from ``count`` and
    ``count_by_day``, and every day ends with a zero step at its closing time (shifts end);
    a single day's schedule has no closing step (the run ends there). Heads are *scheduled*
    agents; ``shrinkage`` (breaks, training, absence) removes a share of them from the phones.
    ``overtime`` is how long after a day's closing the group's agents may keep taking work
    that waits for them (each goes home when idle); that time is paid at
    ``costs.overtime_multiplier``.
    """

    name: str
    skills: tuple[str, ...]
    schedule: tuple[tuple[float, int], ...]
    concurrency: int = 1
    shrinkage: float = 0.0
    wrap_up: Distribution = field(default_factory=lambda: Constant(0.0))
    empathy: float = 0.5
    #: Probability that a contact served here is resolved, by intent (proficiency).
    resolves: Mapping[str, float] = field(default_factory=frozen_map)
    resolves_default: float = 1.0
    #: After service, a contact of an intent may be transferred to another skill queue.
    transfers: Mapping[str, Transfer] = field(default_factory=frozen_map)
    overtime: float = 0.0

    def resolution_probability(self, intent: str) -> float:
        return self.resolves.get(intent, self.resolves_default)

    def transfer_for(self, intent: str) -> Transfer | None:
        transfer = self.transfers.get(intent)
        return transfer if transfer is not None else self.transfers.get("default")

    def heads_at(self, t: float) -> int:
        heads = 0
        for start, count in self.schedule:
            if start <= t:
                heads = count
            else:
                break
        return heads

    def on_phones(self, heads: int) -> int:
        """Agents available to take contacts: heads less shrinkage, rounded half up."""
        return int(heads * (1.0 - self.shrinkage) + 0.5)


@dataclass(frozen=True, slots=True)
class HandleTimes:
    """Handle time by intent and channel; the most specific entry wins."""

    default: Distribution
    by_intent: Mapping[str, Distribution] = field(default_factory=frozen_map)
    by_channel: Mapping[str, Distribution] = field(default_factory=frozen_map)
    by_intent_channel: Mapping[tuple[str, str], Distribution] = field(default_factory=frozen_map)

    def for_contact(self, intent: str, channel: str) -> Distribution:
        dist = self.by_intent_channel.get((intent, channel))
        if dist is None:
            dist = self.by_intent.get(intent)
        if dist is None:
            dist = self.by_channel.get(channel)
        return dist if dist is not None else self.default


@dataclass(frozen=True, slots=True)
class Redirect:
    """ "Please use another channel": a share ``follow`` switches to ``to`` at once.

    The others are treated like an unresolved contact: they may retry later or give up.
    """

    to: str
    follow: float = 1.0


@dataclass(frozen=True, slots=True)
class Overflow:
    """After waiting ``after`` seconds, the contact may also be served by skill ``to``."""

    after: float
    to: str


@dataclass(frozen=True, slots=True)
class Callback:
    """Virtual hold: offered when the expected wait exceeds ``threshold`` seconds.

    A share ``accept`` takes it: they keep their place without holding the line (they never
    abandon) and are called back. Their wait is measured from the request to the conversation.
    """

    threshold: float
    accept: float = 0.6


@dataclass(frozen=True, slots=True)
class RoutingRule:
    """``when`` all given conditions hold, send the contact ``to`` a skill queue or a bot.

    A condition of ``None`` matches anything. Higher ``priority`` is served first within and
    across the queues an agent group serves. A rule with ``redirect`` sends the customer to
    another channel instead; its ``to`` is empty.
    """

    to: str
    channels: frozenset[str] | None = None
    intents: frozenset[str] | None = None
    segments: frozenset[str] | None = None
    priority: int = 0
    redirect: Redirect | None = None
    overflow: Overflow | None = None
    callback: Callback | None = None

    def matches(self, channel: str, intent: str, segment: str) -> bool:
        return (
            (self.channels is None or channel in self.channels)
            and (self.intents is None or intent in self.intents)
            and (self.segments is None or segment in self.segments)
        )


@dataclass(frozen=True, slots=True)
class Escalation:
    """Where a bot sends the customers it cannot help: a skill queue or another channel."""

    to: str | None = None  # a skill queue
    redirect: str | None = None  # a channel ("please call us")
    passes_context: bool | None = None  # None: as the scenario's `context` block says


@dataclass(frozen=True, slots=True)
class Bot:
    """A chat bot, voice bot or IVR menu: unlimited capacity, takes time, contains some intents.

    Each turn takes ``duration`` and resolves the intent with probability ``resolves[intent]``;
    a customer gets up to ``max_turns`` turns (each failed turn after the first is a loop that
    adds frustration) before the bot escalates.
    """

    name: str
    duration: Distribution
    escalation: Escalation
    resolves: Mapping[str, float] = field(default_factory=frozen_map)
    resolves_default: float = 0.0
    max_turns: int = 1
    channel: str | None = None

    def containment(self, intent: str) -> float:
        return self.resolves.get(intent, self.resolves_default)


@dataclass(frozen=True, slots=True)
class Context:
    """What the company knows about a customer when a hand-off happens.

    ``shared_record`` is the center-wide switch (one customer record for every channel and
    agent). Without it, individual integrations can still carry context: ``bot_to_agent``
    (transcripts), ``transfer`` (warm transfers), and channel switches listed in
    ``carried_switches`` as (from, to) pairs. ``None`` means "as shared_record says".
    Each hand-off without context costs ``re_explain`` extra handle time and a frustration jump.
    """

    shared_record: bool = False
    bot_to_agent: bool | None = None
    transfer: bool | None = None
    channel_switch: bool | None = None
    carried_switches: frozenset[tuple[str, str]] = frozenset()
    re_explain: Distribution = field(default_factory=lambda: Lognormal(90.0, 60.0))

    def keeps(
        self,
        handoff: str,
        source: str | None = None,
        target: str | None = None,
        carried: bool | None = None,
    ) -> bool:
        """Whether context survives a hand-off of kind bot_to_agent, transfer or channel_switch.

        A shared record always keeps it. Otherwise ``carried`` (a bot's own ``passes_context``)
        decides when given, then the integrations listed here.
        """
        if self.shared_record:
            return True
        if carried is not None:
            return carried
        if handoff == "channel_switch" and (source, target) in self.carried_switches:
            return True
        setting = {
            "bot_to_agent": self.bot_to_agent,
            "transfer": self.transfer,
            "channel_switch": self.channel_switch,
        }[handoff]
        return bool(setting)


@dataclass(frozen=True, slots=True)
class Retrial:
    """What customers do after abandoning, being blocked, redirected or left unresolved.

    They try again with probability ``probability`` (falling with frustration and with every
    contact already made: ``contact_decay`` per contact) after ``delay``, on a channel drawn
    from ``switch[segment][channel]`` (or ``switch["default"]``; staying on the same channel
    when no row is given). ``max_contacts`` ends every journey. ``enabled: false`` (the
    default when a scenario has no ``retrial`` block) means nobody tries again.
    """

    enabled: bool = False
    max_contacts: int = 4
    probability: float = 0.8
    contact_decay: float = 0.8
    delay: Distribution = field(default_factory=lambda: Exponential(1800.0))
    switch: Mapping[str, Mapping[str, Mapping[str, float]]] = field(default_factory=frozen_map)

    def switch_row(self, segment: str, channel: str) -> Mapping[str, float] | None:
        for key in (segment, "default"):
            rows = self.switch.get(key)
            if rows is not None and channel in rows:
                return rows[channel]
        return None


@dataclass(frozen=True, slots=True)
class Costs:
    """Money, per run of the horizon (a day, for a day's horizon), in the scenario's currency.

    Agents are paid for scheduled hours (shrinkage included: people on a break are paid), at
    ``agent_hour`` or their group's rate in ``agent_hour_by_group``, and for overtime actually
    worked at ``overtime_multiplier`` times that rate. Bots cost per session,
    the platform per run. Churn costs ``lifetime_value`` per expected lost customer, and each
    person told about a bad experience puts ``word_of_mouth_value`` of revenue at risk.
    """

    agent_hour: float = 0.0
    agent_hour_by_group: Mapping[str, float] = field(default_factory=frozen_map)
    bot_session: float = 0.0
    platform_per_day: float = 0.0
    lifetime_value: float = 0.0
    word_of_mouth_value: float = 0.0
    #: Overtime hours cost this many times the group's hourly rate.
    overtime_multiplier: float = 1.5

    def hourly(self, group: str) -> float:
        return self.agent_hour_by_group.get(group, self.agent_hour)


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    horizon: Horizon
    segments: tuple[Segment, ...]
    intents: tuple[Intent, ...]
    arrivals: Arrivals
    channels: Mapping[str, Channel]
    agents: Mapping[str, AgentGroup]
    handle_time: HandleTimes
    routing: tuple[RoutingRule, ...]
    seed: int = 1
    description: str = ""
    source: str | None = None  # the file it was loaded from, for messages and reports
    bots: Mapping[str, Bot] = field(default_factory=frozen_map)
    context: Context = field(default_factory=Context)
    retrial: Retrial = field(default_factory=Retrial)
    frustration: FrustrationParams = field(default_factory=FrustrationParams)
    costs: Costs = field(default_factory=Costs)
    #: Shift rules by agent group, for ``cxsim schedule`` (the engine does not read them).
    shifts: Mapping[str, GroupShifts] = field(default_factory=frozen_map)

    @property
    def skills(self) -> tuple[str, ...]:
        """Every skill queue: those routed to and those some agent group has, in file order."""
        seen: dict[str, None] = {}
        for rule in self.routing:
            if rule.to and rule.to not in self.bots:
                seen.setdefault(rule.to, None)
            if rule.overflow is not None:
                seen.setdefault(rule.overflow.to, None)
        for bot in self.bots.values():
            if bot.escalation.to:
                seen.setdefault(bot.escalation.to, None)
        for group in self.agents.values():
            for skill in group.skills:
                seen.setdefault(skill, None)
            for transfer in group.transfers.values():
                seen.setdefault(transfer.to, None)
        return tuple(seen)

    @property
    def has_journeys(self) -> bool:
        """Whether anything can make a journey longer than one contact with one agent."""
        return bool(
            self.bots
            or self.retrial.enabled
            or any(r.redirect or r.overflow or r.callback for r in self.routing)
            or any(
                g.transfers or g.resolves or g.resolves_default < 1 for g in self.agents.values()
            )
        )

    def route(self, channel: str, intent: str, segment: str) -> RoutingRule | None:
        """The first rule that matches, or None (the loader rejects unrouted scenarios)."""
        for rule in self.routing:
            if rule.matches(channel, intent, segment):
                return rule
        return None
