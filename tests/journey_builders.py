"""Generated journey scenarios and paired-run helpers for the journey model's tests.

:func:`journey_scenarios` is a Hypothesis strategy for small scenarios that use the journey
model: 1-3 channels (``ch0`` always synchronous, the others sometimes asynchronous), one skill
queue ``q<k>`` per channel plus a ``spec`` queue of specialists, and, each sometimes: bots in
front of queues (escalating to a queue or redirecting to ``ch0``), redirects to ``ch0``,
resolution below 1, transfers to ``spec``, overflow and callbacks, retrial with channel-switch
rows, a second intent and a second segment, warm-up and a short drain. Every scenario has a few
hundred customers.

Every generated scenario is one the loader accepts (``test_generated_scenarios_are_valid``
round-trips them through the YAML language): every reachable channel is routed by a per-channel
catch-all rule, redirects only point at ``ch0``, which never redirects, and a bot on ``ch0``
only escalates to a queue, so no journey can go round in circles.

The ``variant`` helpers change one thing of a scenario and nothing else, so two runs with the same
seed see the same customers (common random numbers).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Sequence

from hypothesis import strategies as st

from simulator.distributions import Constant, Distribution, Exponential, Lognormal
from simulator.experiment.stats import Estimate, estimate
from simulator.model.frustration import FrustrationParams
from simulator.model.world import World
from simulator.observe.journey import JourneyRecord
from simulator.observe.results import replication_results
from simulator.scenario.schema import (
    Bot,
    Callback,
    Context,
    Escalation,
    Overflow,
    Redirect,
    Retrial,
    RoutingRule,
    Scenario,
    Transfer,
    frozen_map,
)
from tests.builders import channel, group, make_scenario

__all__ = [
    "JourneyOptions",
    "journey_scenarios",
    "paired",
    "records_by_cid",
    "run",
    "with_context",
    "with_empathy",
    "with_frustration",
    "with_useless_bots",
    "without_feedback",
]

SPECIALISTS = "spec"


@dataclasses.dataclass(frozen=True)
class JourneyOptions:
    """What the strategy may put in a scenario (``None``: sometimes, ``True``/``False``: always or
    never)."""

    bots: bool | None = None
    #: Bots whose ``on_failure.passes_context`` is ``false`` (see test_journey_properties for why
    #: the context properties exclude them).
    bot_context_false: bool = True
    redirects: bool | None = None
    retrial: bool | None = None
    frustration: bool | None = None  # None: enabled 5 times in 6
    shared_record: bool | None = None
    warmup: bool = True
    short_drain: bool = True


def _maybe(draw: st.DrawFn, setting: bool | None, chance: int = 2) -> bool:
    """``setting`` if given, else True with probability 1/chance."""
    if setting is not None:
        return setting
    return draw(st.integers(0, chance - 1)) == 0


def _dist(draw: st.DrawFn, means: Sequence[float]) -> Distribution:
    mean = draw(st.sampled_from(means))
    kind = draw(st.sampled_from(["exp", "lognormal", "constant"]))
    if kind == "exp":
        return Exponential(mean)
    if kind == "lognormal":
        return Lognormal(mean, mean * 0.7)
    return Constant(mean)


def _probability(draw: st.DrawFn) -> float:
    return draw(st.sampled_from([0.0, 0.3, 0.6, 0.85, 1.0]))


@st.composite
def journey_scenarios(draw: st.DrawFn, options: JourneyOptions = JourneyOptions()) -> Scenario:
    """A small valid scenario exercising the journey model (see the module docstring)."""
    duration = draw(st.sampled_from([3600.0, 5400.0]))
    interval = 1800.0
    n_intervals = math.ceil(duration / interval)
    # 0.03-0.09 per second over 1-1.5 h: about 100-500 customers.
    rates = [draw(st.sampled_from([0.03, 0.05, 0.07, 0.09])) for _ in range(n_intervals)]
    warmup = draw(st.sampled_from([0.0, 0.0, 600.0])) if options.warmup else 0.0
    drain = (
        draw(st.sampled_from([4 * 3600.0, 4 * 3600.0, 900.0]))
        if options.short_drain
        else (4 * 3600.0)
    )

    intents = [("a", 0.6), ("b", 0.4)] if draw(st.booleans()) else [("a", 1.0)]
    intent_names = [name for name, _ in intents]
    segments: list[tuple] = [("s0", 1.0)]
    if draw(st.booleans()):
        segments = [("s0", 0.5), ("s1", 0.5, draw(st.sampled_from([0.5, 1.0, 2.0])))]

    n_channels = draw(st.integers(1, 3))
    names = [f"ch{k}" for k in range(n_channels)]
    channels = []
    for k, name in enumerate(names):
        sl = draw(st.sampled_from([20.0, 60.0]))
        if k > 0 and draw(st.integers(0, 2)) == 0:
            channels.append(channel(name, synchronous=False, sl_threshold=sl))
            continue
        patience = draw(
            st.one_of(st.none(), st.sampled_from([60.0, 180.0, 600.0]).map(Exponential))
        )
        lines = draw(st.sampled_from([None, None, None, 4, 10]))
        channels.append(channel(name, patience=patience, lines=lines, sl_threshold=sl))
    synchronous = {ch.name for ch in channels if ch.synchronous}

    # Agent groups: one per channel queue, plus the specialists (transfers and overflow go there).
    groups = []
    for k in range(n_channels):
        g = group(f"g{k}", (f"q{k}",), draw(st.integers(1, 4)), concurrency=draw(st.integers(1, 2)))
        resolves_default = draw(st.sampled_from([1.0, 1.0, 0.9, 0.7]))
        resolves = {}
        if len(intents) > 1 and draw(st.booleans()):
            resolves["b"] = draw(st.sampled_from([0.5, 0.8, 1.0]))
        transfers = {}
        if draw(st.integers(0, 2)) == 0:
            key = draw(st.sampled_from(["default", *intent_names]))
            transfers[key] = Transfer(SPECIALISTS, draw(st.sampled_from([0.3, 0.7, 1.0])))
        groups.append(
            dataclasses.replace(
                g,
                empathy=draw(st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0])),
                resolves=frozen_map(sorted(resolves.items())),
                resolves_default=resolves_default,
                transfers=frozen_map(sorted(transfers.items())),
            )
        )
    spec = group(SPECIALISTS, (SPECIALISTS,), draw(st.integers(1, 3)))
    groups.append(
        dataclasses.replace(
            spec,
            empathy=draw(st.sampled_from([0.2, 0.7])),
            resolves_default=draw(st.sampled_from([1.0, 0.8])),
        )
    )

    bots: dict[str, Bot] = {}
    routing: list[RoutingRule] = []
    for k, name in enumerate(names):
        only = frozenset({name})
        if k > 0 and _maybe(draw, options.redirects, 3):
            follow = draw(st.sampled_from([0.0, 0.5, 1.0]))
            routing.append(RoutingRule(to="", channels=only, redirect=Redirect("ch0", follow)))
            continue
        if _maybe(draw, options.bots, 2):
            bot_name = f"bot{k}"
            passes = draw(
                st.sampled_from([None, True, False] if options.bot_context_false else [None, True])
            )
            if k > 0 and draw(st.integers(0, 2)) == 0:
                escalation = Escalation(redirect="ch0", passes_context=passes)
            else:
                escalation = Escalation(to=f"q{k}", passes_context=passes)
            by_intent = {}
            if len(intents) > 1 and draw(st.booleans()):
                by_intent["b"] = _probability(draw)
            bots[bot_name] = Bot(
                name=bot_name,
                duration=_dist(draw, [20.0, 60.0, 120.0]),
                escalation=escalation,
                resolves=frozen_map(sorted(by_intent.items())),
                resolves_default=_probability(draw),
                max_turns=draw(st.integers(1, 3)),
                channel=name,
            )
            routing.append(RoutingRule(to=bot_name, channels=only))
            continue
        if len(intents) > 1 and draw(st.integers(0, 3)) == 0:
            routing.append(
                RoutingRule(to=SPECIALISTS, channels=only, intents=frozenset({"b"}), priority=1)
            )
        overflow = None
        if draw(st.integers(0, 3)) == 0:
            overflow = Overflow(draw(st.sampled_from([30.0, 120.0])), SPECIALISTS)
        callback = None
        if name in synchronous and draw(st.integers(0, 3)) == 0:
            callback = Callback(draw(st.sampled_from([30.0, 120.0])), _probability(draw))
        routing.append(RoutingRule(to=f"q{k}", channels=only, overflow=overflow, callback=callback))

    retrial = Retrial()
    if _maybe(draw, options.retrial, 2):
        switch = {}
        for name in names:
            if n_channels > 1 and draw(st.booleans()):
                weights = [draw(st.sampled_from([0, 1, 2, 3])) for _ in names]
                if sum(weights) == 0:
                    weights[0] = 1
                total = sum(weights)
                switch[name] = frozen_map(
                    sorted((n, w / total) for n, w in zip(names, weights, strict=True) if w)
                )
        retrial = Retrial(
            enabled=True,
            max_contacts=draw(st.integers(2, 4)),
            probability=draw(st.sampled_from([0.5, 0.8, 1.0])),
            contact_decay=draw(st.sampled_from([0.6, 0.8, 1.0])),
            delay=_dist(draw, [120.0, 600.0]),
            switch=frozen_map({"default": frozen_map(sorted(switch.items()))} if switch else {}),
        )

    def flag() -> bool | None:
        return draw(st.sampled_from([None, None, True, False]))

    carried: frozenset[tuple[str, str]] = frozenset()
    if n_channels > 1 and draw(st.booleans()):
        carried = frozenset({("ch1", "ch0")})
    context = Context(
        shared_record=_maybe(draw, options.shared_record, 2),
        bot_to_agent=flag(),
        transfer=flag(),
        channel_switch=flag(),
        carried_switches=carried,
        re_explain=_dist(draw, [60.0, 90.0]),
    )
    enabled = (
        options.frustration if options.frustration is not None else draw(st.integers(0, 5)) > 0
    )
    frustration = FrustrationParams(
        enabled=enabled, initial=draw(st.sampled_from([0.0, 0.0, 0.0, 20.0]))
    )

    handle_by_channel = {name: _dist(draw, [60.0, 120.0, 240.0]) for name in names}
    base = make_scenario(
        channels=channels,
        groups=groups,
        routing=routing,
        rates=rates,
        interval=interval,
        duration=duration,
        warmup=warmup,
        drain=drain,
        handle_by_channel=handle_by_channel,
        first_channel={name: 1.0 / n_channels for name in names},
        intents=intents,
        segments=segments,
        seed=draw(st.integers(1, 10_000)),
        name="journeys",
    )
    segs = tuple(
        dataclasses.replace(s, sensitivity=draw(st.sampled_from([0.5, 1.0, 1.5])))
        for s in base.segments
    )
    return dataclasses.replace(
        base,
        segments=segs,
        bots=frozen_map(sorted(bots.items())),
        context=context,
        retrial=retrial,
        frustration=frustration,
    )


# --------------------------------------------------------------------------------------------
# Variants: one change each, the customers stay the same


def with_context(scenario: Scenario, shared_record: bool) -> Scenario:
    return dataclasses.replace(
        scenario, context=dataclasses.replace(scenario.context, shared_record=shared_record)
    )


def with_empathy(scenario: Scenario, empathy: float) -> Scenario:
    agents = {n: dataclasses.replace(g, empathy=empathy) for n, g in scenario.agents.items()}
    return dataclasses.replace(scenario, agents=frozen_map(agents))


def with_frustration(scenario: Scenario, **params: object) -> Scenario:
    return dataclasses.replace(
        scenario, frustration=dataclasses.replace(scenario.frustration, **params)
    )


def without_feedback(scenario: Scenario) -> Scenario:
    """Frustration is still tracked but changes no behaviour (patience, retries, switching)."""
    return with_frustration(scenario, patience_drop=0.0, give_up_slope=0.0, switch_boost=0.0)


def with_useless_bots(
    scenario: Scenario, duration: Distribution, passes_context: bool | None = None
) -> tuple[Scenario, Scenario]:
    """``(direct, botted)``: every rule to a skill queue loses its overflow and callback in both;
    in ``botted`` it sends the contact to a bot that resolves nothing and escalates to that
    queue instead. Redirect rules and bot rules are left alone."""
    direct_rules, bot_rules = [], []
    bots = dict(scenario.bots)
    for i, rule in enumerate(scenario.routing):
        if rule.redirect is not None or rule.to in scenario.bots:
            direct_rules.append(rule)
            bot_rules.append(rule)
            continue
        plain = dataclasses.replace(rule, overflow=None, callback=None)
        direct_rules.append(plain)
        name = f"useless{i}"
        bots[name] = Bot(
            name=name,
            duration=duration,
            escalation=Escalation(to=rule.to, passes_context=passes_context),
            resolves=frozen_map(),
            resolves_default=0.0,
            max_turns=1,
        )
        bot_rules.append(dataclasses.replace(plain, to=name))
    direct = dataclasses.replace(scenario, routing=tuple(direct_rules))
    botted = dataclasses.replace(
        scenario, routing=tuple(bot_rules), bots=frozen_map(sorted(bots.items()))
    )
    return direct, botted


# --------------------------------------------------------------------------------------------
# Running


def run(
    scenario: Scenario, replication: int = 0, seed: int | None = None
) -> tuple[dict, list[JourneyRecord]]:
    """KPIs and the finished journeys of one replication."""
    world = World(scenario, replication, seed, keep_journeys=True).run()
    assert world.journeys is not None
    return replication_results(world.counts(), scenario), world.journeys


def records_by_cid(records: Iterable[JourneyRecord]) -> dict[int, JourneyRecord]:
    """Journeys by customer id (each customer finishes once)."""
    rows = list(records)
    out = {r.cid: r for r in rows}
    assert len(out) == len(rows), "a customer finished twice"
    return out


def paired(
    a: Scenario,
    b: Scenario,
    metric: Callable[[dict], float],
    replications: int,
) -> tuple[list[float], Estimate]:
    """Per-replication differences ``metric(b) - metric(a)`` (same seed: common random numbers)
    and their Student-t 95 % interval. Replications where the metric is undefined are skipped."""
    diffs = []
    for r in range(replications):
        ka, _ = run(a, r)
        kb, _ = run(b, r)
        x, y = metric(ka), metric(kb)
        if not (math.isnan(x) or math.isnan(y)):
            diffs.append(y - x)
    return diffs, estimate(diffs)
