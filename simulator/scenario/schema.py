"""The typed, immutable form of a scenario: what the loader produces and the engine consumes.

Everything here is already validated and in engine units (seconds, per-second rates). The model
never sees YAML, and the loader never sees SimPy. Default values live here, so the loader, the
JSON Schema and the effective-scenario dump agree on them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from simulator.distributions import Constant, Distribution, Exponential, Lognormal
from simulator.scenario.frustration import FrustrationParams
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


@dataclass(frozen=True, slots=True)
class Horizon:
    """Simulated time. ``t = 0`` is the start; clock labels add ``start`` (seconds after midnight).

    Statistics cover customers arriving in ``[warmup, duration)``. Arrivals stop at ``duration``;
    contacts already in the system are worked for at most ``drain`` more seconds.
    """

    duration: float
    interval: float
    start: float = 0.0
    warmup: float = 0.0
    drain: float = 4 * 3600.0
    clock: bool = False
    date: str | None = None

    @property
    def n_intervals(self) -> int:
        return max(1, math.ceil(self.duration / self.interval - 1e-9))

    def interval_of(self, t: float) -> int:
        """Index of the interval containing simulated time ``t`` (clamped to the horizon)."""
        i = int(t // self.interval)
        return min(max(i, 0), self.n_intervals - 1)

    def label(self, i: int) -> str:
        """``"08:30"`` for clock horizons, ``"+1h30m"`` otherwise."""
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
class Arrivals:
    """Poisson arrivals with a piecewise-constant rate, one rate per horizon interval."""

    rates: tuple[float, ...]  # per second, len == horizon.n_intervals
    first_channel: tuple[tuple[str, float], ...]  # (channel, share), shares sum to 1

    def expected_total(self, interval: float, duration: float) -> float:
        total, t = 0.0, 0.0
        for rate in self.rates:
            step = min(interval, duration - t)
            total += rate * step
            t += interval
        return total


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    kind: ChannelKind
    expected_response: float
    patience: Distribution | None = None  # None: never abandons (always so for asynchronous)
    lines: int | None = None  # trunk capacity: contacts waiting + in service on this channel
    sl_threshold: float = DEFAULT_SL_THRESHOLD_S

    @property
    def synchronous(self) -> bool:
        return self.kind == SYNCHRONOUS


@dataclass(frozen=True, slots=True)
class Transfer:
    """After service, send the contact on to skill queue ``to`` with ``probability``."""

    to: str
    probability: float


@dataclass(frozen=True, slots=True)
class AgentGroup:
    """A group of interchangeable agents.

    ``schedule`` lists ``(t, heads)`` steps in simulated seconds, sorted, first at ``t = 0``
    (the loader inserts a zero step when the first shift starts later). Heads are *scheduled*
    agents; ``shrinkage`` (breaks, training, absence) removes a share of them from the phones.
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
    ``agent_hour`` or their group's rate in ``agent_hour_by_group``. Bots cost per session,
    the platform per run. Churn costs ``lifetime_value`` per expected lost customer, and each
    person told about a bad experience puts ``word_of_mouth_value`` of revenue at risk.
    """

    agent_hour: float = 0.0
    agent_hour_by_group: Mapping[str, float] = field(default_factory=frozen_map)
    bot_session: float = 0.0
    platform_per_day: float = 0.0
    lifetime_value: float = 0.0
    word_of_mouth_value: float = 0.0

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
