"""Property tests of the engine over small generated scenarios.

Hypothesis builds scenarios with 1-3 channels (possibly an asynchronous one, which never
abandons), 1-3 skill queues routed to by channel and intent with optional priorities, 1-3 agent
groups whose random skills cover every routed queue, schedules of 1-3 steps, concurrency 1-3,
and sometimes trunk lines, wrap-up, shrinkage, a second intent or a second segment with its own
patience scale. Each example has at most a few hundred customers and no warm-up, so every
arrival is counted.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.distributions import Constant, Distribution, Exponential, Lognormal, Uniform
from simulator.experiment.replication import run_replication
from simulator.model.world import WAITING, World
from simulator.observe.results import replication_results
from simulator.observe.scopes import WAIT_KPIS
from simulator.scenario.schema import RoutingRule, Scenario
from tests.builders import channel, group, make_scenario, nan_to_none, with_heads_scaled

COUNTS = ("offered", "answered", "abandoned", "blocked", "closed", "in_system")
RATES = ("abandon_rate", "blocked_rate", "immediate_rate", "service_level")
WAITS = ("mean_wait_s", "asa_s", "wait_p50_s", "wait_p90_s", "wait_p95_s")

SETTINGS = settings(max_examples=35, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------------------------
# Strategies


def handle_times() -> st.SearchStrategy[Distribution]:
    return st.one_of(
        st.sampled_from([30.0, 60.0, 120.0, 240.0]).map(Exponential),
        st.sampled_from([60.0, 180.0]).map(lambda m: Lognormal(m, m)),
        st.sampled_from([45.0, 90.0]).map(Constant),
    )


def patiences() -> st.SearchStrategy[Distribution]:
    return st.one_of(
        st.sampled_from([20.0, 60.0, 180.0, 600.0]).map(Exponential),
        st.just(Uniform(10.0, 120.0)),
    )


@st.composite
def scenarios(draw: st.DrawFn, *, zero_agents: bool = False, staffed: bool = False) -> Scenario:
    """A small valid scenario: every channel x intent x segment is routed to a skill some group
    has. Groups have 0-4 heads per schedule step; none with ``zero_agents``, at least one at
    every step with ``staffed``.
    """
    duration = draw(st.sampled_from([3600.0, 1800.0, 5400.0]))
    # 1000 s does not divide the durations: the last interval is then partial.
    interval = draw(st.sampled_from([600.0, 900.0, 1800.0, 1000.0]))
    n_intervals = math.ceil(duration / interval - 1e-9)
    # Per second: 36 to 540 customers an hour, sometimes none (a few hundred per example).
    levels = st.sampled_from([0.08, 0.15, 0.04, 0.01, 0.0])
    rates = [draw(levels) * draw(st.floats(0.8, 1.2)) for _ in range(n_intervals)]

    n_channels = draw(st.integers(1, 3))
    channels = []
    for k in range(n_channels):
        name = f"ch{k}"
        threshold = draw(st.sampled_from([10.0, 20.0, 60.0]))
        if draw(st.integers(0, 3)) == 0:  # asynchronous: a backlog, no patience, no lines
            channels.append(channel(name, synchronous=False, sl_threshold=threshold))
            continue
        patience = draw(st.one_of(st.none(), patiences(), patiences(), patiences()))
        lines = draw(st.one_of(st.none(), st.none(), st.integers(0, 8)))
        channels.append(channel(name, patience=patience, lines=lines, sl_threshold=threshold))
    first_channel = dict(
        zip(
            [ch.name for ch in channels],
            _shares(draw(st.lists(st.integers(1, 4), min_size=n_channels, max_size=n_channels))),
            strict=True,
        )
    )
    intents = [("billing", 1.0)] if draw(st.booleans()) else [("billing", 0.6), ("sales", 0.4)]
    segments = [("all", 1.0)]
    if draw(st.booleans()):
        segments = [("calm", 0.5, 1.5), ("hurried", 0.5, 0.5)]

    queues = [f"q{k}" for k in range(draw(st.integers(1, 3)))]
    priorities = st.one_of(st.just(0), st.integers(0, 2))
    routing = []
    for ch in channels:
        if len(intents) > 1 and draw(st.booleans()):
            routing.append(
                RoutingRule(
                    to=draw(st.sampled_from(queues)),
                    channels=frozenset({ch.name}),
                    intents=frozenset({"sales"}),
                    priority=draw(priorities),
                )
            )
        routing.append(
            RoutingRule(
                to=draw(st.sampled_from(queues)),
                channels=frozenset({ch.name}),
                priority=draw(priorities),
            )
        )
    routed = list(dict.fromkeys(rule.to for rule in routing))

    n_groups = draw(st.integers(1, 3))
    skills = [
        draw(st.lists(st.sampled_from(queues), min_size=1, max_size=len(queues), unique=True))
        for _ in range(n_groups)
    ]
    for queue in routed:  # every routed queue is some group's skill (the loader insists)
        if not any(queue in s for s in skills):
            skills[draw(st.integers(0, n_groups - 1))].append(queue)
    groups = []
    for k in range(n_groups):
        n_steps = draw(st.integers(1, 3))
        times = sorted(
            draw(
                st.lists(
                    st.integers(1, int(duration // 300) - 1).map(lambda i: 300.0 * i),
                    min_size=n_steps - 1,
                    max_size=n_steps - 1,
                    unique=True,
                )
            )
        )
        heads = st.just(0) if zero_agents else st.integers(1 if staffed else 0, 4)
        schedule = [(0.0, draw(heads))] + [(t, draw(heads)) for t in times]
        wrap_up = draw(st.one_of(st.none(), st.just(Exponential(20.0)), st.just(Constant(10.0))))
        groups.append(
            group(
                f"g{k}",
                skills[k],
                schedule,
                concurrency=draw(st.integers(1, 3)),
                wrap_up=wrap_up,
                shrinkage=draw(st.sampled_from([0.0, 0.0, 0.25])),
            )
        )

    handle = draw(handle_times())
    by_channel = {}
    for ch in channels:
        if draw(st.booleans()):
            by_channel[ch.name] = draw(handle_times())
    return make_scenario(
        channels=channels,
        groups=groups,
        routing=routing,
        rates=rates,
        interval=interval,
        duration=duration,
        warmup=0.0,
        handle=handle,
        handle_by_channel=by_channel,
        first_channel=first_channel,
        intents=intents,
        segments=segments,
        # Without agents, contacts with finite patience all hang up: a day of drain makes sure
        # even the most patient do (an exponential patience beyond 4 h is rare, not impossible).
        drain=86400.0 if zero_agents else 4 * 3600.0,
        seed=draw(st.integers(0, 2**32 - 1)),
    )


def _shares(weights: list[int]) -> list[float]:
    total = sum(weights)
    return [w / total for w in weights]


def _levels(kpis: dict) -> list[tuple[str, dict]]:
    """Every level of a KPI tree that carries queue KPIs, with a name for messages: every
    scope of the whole run and of each interval."""
    out = []
    for where, period in [("run", kpis)] + [
        (f"interval {i}", row) for i, row in enumerate(kpis["by_interval"])
    ]:
        out.append((f"{where} overall", period["overall"]))
        for scope in ("by_kind", "by_channel", "by_queue"):
            out += [(f"{where} {scope} {k}", v) for k, v in period[scope].items()]
    return out


def _patience_finite(scenario: Scenario, name: str) -> bool:
    ch = scenario.channels[name]
    return ch.synchronous and ch.patience is not None


# --------------------------------------------------------------------------------------------
# 1. Conservation


@SETTINGS
@given(scenarios(), st.integers(0, 3))
def test_every_customer_is_accounted_for(scenario: Scenario, replication: int) -> None:
    world = World(scenario, replication).run()
    kpis = replication_results(world.counts(), scenario)
    for where, level in _levels(kpis):
        counts = [level[k] for k in COUNTS]
        assert all(c >= 0 and c == int(c) for c in counts), (where, counts)
        offered, answered, abandoned, blocked, closed, in_system = counts
        assert offered == answered + abandoned + blocked + closed + in_system, where

    overall = kpis["overall"]
    # Each partition of the customers (by channel, by queue, by interval) adds up to the whole.
    for part in ("by_channel", "by_queue"):
        for k in COUNTS:
            assert sum(v[k] for v in kpis[part].values()) == overall[k], (part, k)
    for k in COUNTS:
        assert sum(v["overall"][k] for v in kpis["by_interval"]) == overall[k], ("by_interval", k)
    # ... and so does every interval: its channels, kinds and queues add up to its overall, and
    # each channel's intervals to the channel's whole run.
    for i, row in enumerate(kpis["by_interval"]):
        for part in ("by_kind", "by_channel", "by_queue"):
            for k in COUNTS:
                total = sum(v[k] for v in row[part].values())
                assert total == row["overall"][k], (i, part, k)
    for name, whole in kpis["by_channel"].items():
        for k in COUNTS:
            assert sum(row["by_channel"][name][k] for row in kpis["by_interval"]) == whole[k]
    # The agent groups answered the contacts the channels answered, interval by interval.
    for row in [kpis, *kpis["by_interval"]]:
        answered = sum(g["answered"] for g in row["by_group"].values())
        assert answered == row["overall"]["answered"]
    # No absolute wait for all channels together, one for each channel.
    assert not set(WAIT_KPIS) & set(overall)
    assert all(set(WAIT_KPIS) <= set(v) for v in kpis["by_channel"].values())

    # No warm-up: every arrival is offered. in_system (derived from the outcome counts) is the
    # number of contacts the engine still holds in its queues, waiting, when the run stopped.
    assert overall["offered"] == world.arrived
    waiting_contacts = {
        id(contact): contact
        for queue in world.queues.values()
        for _priority, contacts in queue.levels
        for contact in contacts
        if contact.state == WAITING
    }
    still_waiting = dict.fromkeys(scenario.channels, 0)
    for contact in waiting_contacts.values():
        still_waiting[contact.channel.name] += 1
    for name, waiting in still_waiting.items():
        assert kpis["by_channel"][name]["in_system"] == waiting, name

    # Outcomes a channel cannot have.
    for name, ch in scenario.channels.items():
        level = kpis["by_channel"][name]
        if not _patience_finite(scenario, name):
            assert level["abandoned"] == 0, name
        if ch.lines is None:
            assert level["blocked"] == 0, name


# --------------------------------------------------------------------------------------------
# 2. Ranges and orderings


@SETTINGS
@given(scenarios(), st.integers(0, 3))
def test_kpis_are_in_range_and_ordered(scenario: Scenario, replication: int) -> None:
    kpis = run_replication(scenario, replication)
    for where, level in _levels(kpis):
        queued = level["answered"] + level["abandoned"]
        # NaN exactly when the denominator is empty.
        assert math.isnan(level["service_level"]) == (level["offered"] == 0), where
        within = level["within_promise"]
        assert math.isnan(within) == (level["answered"] == 0), where
        assert math.isnan(within) or 0.0 <= within <= 1.0, (where, within)
        if "asa_s" in level:  # absolute waits: only where the channels are of one kind
            assert math.isnan(level["asa_s"]) == (level["answered"] == 0), where
            assert math.isnan(level["mean_wait_s"]) == (queued == 0), where
            for k in WAITS:
                assert math.isnan(level[k]) or level[k] >= 0.0, (where, k, level[k])
            if queued:
                assert level["wait_p50_s"] <= level["wait_p90_s"] <= level["wait_p95_s"], where
        for k in RATES:
            assert math.isnan(level[k]) or 0.0 <= level[k] <= 1.0, (where, k, level[k])
        if level["offered"]:
            # answered at once <= answered within the threshold <= answered
            assert level["immediate_rate"] <= level["service_level"] + 1e-12, where
            assert level["service_level"] <= level["answered"] / level["offered"] + 1e-12, where
        occupancy = level.get("occupancy", math.nan)
        assert math.isnan(occupancy) or 0.0 <= occupancy <= 1.0 + 1e-12, (where, occupancy)
    for name, g in kpis["by_group"].items():
        assert g["busy_slot_hours"] <= g["staffed_slot_hours"] + 1e-9, name


def _scheduled_slot_hours(scenario: Scenario, name: str) -> float:
    """Slot-hours a group's schedule provides within [warmup, duration)."""
    g = scenario.agents[name]
    horizon = scenario.horizon
    steps = [*g.schedule, (horizon.duration, 0)]
    total = 0.0
    for (t0, heads), (t1, _) in itertools.pairwise(steps):
        lo, hi = max(t0, horizon.warmup), min(t1, horizon.duration)
        if hi > lo:
            total += g.on_phones(heads) * g.concurrency * (hi - lo)
    return total / 3600.0


@SETTINGS
@given(scenarios(), st.integers(0, 3))
def test_staffed_time_covers_the_schedule(scenario: Scenario, replication: int) -> None:
    """Staffed slot-time is the schedule's, plus overtime of agents finishing after a cut.

    A group whose schedule never decreases never has more busy slots than staffed ones, so its
    staffed time is exactly the schedule's, also when the interval does not divide the horizon.
    """
    kpis = run_replication(scenario, replication)
    for name, g in scenario.agents.items():
        scheduled = _scheduled_slot_hours(scenario, name)
        staffed = kpis["by_group"][name]["staffed_slot_hours"]
        assert staffed >= scheduled - 1e-9, name
        heads = [h for _, h in g.schedule]
        if heads == sorted(heads):
            assert staffed == pytest.approx(scheduled, rel=1e-9, abs=1e-9), name


def test_no_staffed_time_is_counted_after_the_horizon() -> None:
    """Two agents for one hour are two staffed slot-hours, whatever the reporting interval.

    Regression: with a 1000 s interval and a 3600 s horizon the last interval is [3000, 4000);
    the engine used to keep integrating busy and staffed time in it after 3600 s, while contacts
    in service at the end finished during the drain (2.035 staffed slot-hours here, not 2).
    """
    for interval in (900.0, 1000.0):
        scenario = make_scenario(
            channels=[channel("voice")],
            groups=[group("agents", ["voice"], 2)],
            routing=[RoutingRule(to="voice")],
            rates=[0.005] * math.ceil(3600.0 / interval),
            interval=interval,
            duration=3600.0,
            handle=Constant(300.0),
        )
        staffed = run_replication(scenario, 0)["by_group"]["agents"]["staffed_slot_hours"]
        assert staffed == pytest.approx(2.0, rel=1e-9), interval


# --------------------------------------------------------------------------------------------
# 3. Reproducibility


@SETTINGS
@given(scenarios(), st.integers(0, 3))
def test_same_scenario_and_seed_give_identical_kpis(scenario: Scenario, replication: int) -> None:
    first = nan_to_none(run_replication(scenario, replication))
    again = nan_to_none(run_replication(scenario, replication))
    assert first == again


def _fixed_scenario() -> Scenario:
    """A scenario exercising most features at once (used across processes, so built by code)."""
    voice = channel("voice", patience=Exponential(90.0), lines=12)
    chat = channel("chat", patience=Lognormal(240.0, 120.0), sl_threshold=60.0)
    email = channel("email", synchronous=False, sl_threshold=3600.0)
    return make_scenario(
        channels=[voice, chat, email],
        groups=[
            group(
                "generalists",
                ["voice", "chat", "email"],
                [(0.0, 3), (1800.0, 5), (5400.0, 2)],
                wrap_up=Exponential(20.0),
            ),
            group("chatters", ["chat"], 2, concurrency=3, shrinkage=0.25),
        ],
        routing=[
            RoutingRule(to="voice", channels=frozenset({"voice"}), priority=2),
            RoutingRule(to="chat", channels=frozenset({"chat"}), priority=1),
            RoutingRule(to="email", channels=frozenset({"email"})),
        ],
        rates=[0.05, 0.12, 0.08, 0.03],
        interval=1800.0,
        duration=7200.0,
        warmup=600.0,
        handle=Lognormal(200.0, 150.0),
        handle_by_channel={"email": Exponential(300.0)},
        first_channel={"voice": 0.5, "chat": 0.3, "email": 0.2},
        intents=[("billing", 0.7), ("sales", 0.3)],
        segments=[("calm", 0.6), ("hurried", 0.4)],
        seed=20240611,
    )


def _fixed_kpis(replication: int) -> Any:
    return nan_to_none(run_replication(_fixed_scenario(), replication))


def test_identical_kpis_in_another_process() -> None:
    """Nothing depends on process state (hash seeds, import order, global RNGs)."""
    here = [_fixed_kpis(r) for r in range(2)]
    assert here[0] != here[1]  # the replications are not copies of each other
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, not a fork
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        there = list(pool.map(_fixed_kpis, range(2)))
    assert there == here


# --------------------------------------------------------------------------------------------
# 4. More agents do not make customers wait longer


@SETTINGS
@given(scenarios(staffed=True))
def test_doubling_every_group_does_not_raise_the_mean_wait(scenario: Scenario) -> None:
    """Each channel's mean wait over 5 replications, with every schedule step's heads doubled.

    Per channel: the mean wait of all channels pooled is a mix, and doubling the agents changes
    the mix (hypothesis found one agent serving two patient channels and an impatient one where
    the pooled mean rose from 429 s to 622 s while no channel's wait rose).

    The margin: common random numbers make both runs serve the same customers (arrival times,
    handle times, patience), so there is no sampling noise between the two arms; what remains
    are pathwise quirks, e.g. a faster-served priority queue changing who waits in a shared
    group. Over ~10,000 generated (scenario, replication) pairs the doubled run waited longer in
    exactly one, by 0.09 s on 41.5 s (0.2 %). We allow 0.5 s plus 2 % of the original mean wait,
    ten times that, while a change that really made waits longer (say, extra agents ignored
    after a schedule step) would show up as a systematic increase.

    Two situations are left out on purpose, since the KPI may legitimately rise there:

    * a replication where anyone is still waiting at the end of the drain, or was waiting when
      the channel closed (issue #12's closing rules end such a contact as closed, unanswered):
      mean_wait_s covers finished waits only, so serving more of a stranded backlog adds long
      waits to it (hypothesis found one agent, a priority channel over another and no
      patience: doubling the agent answered low-priority customers the closing had cut off
      before, and their mean wait rose from 627 s to 868 s);
    * groups with zero heads (``staffed=True``): a queue nobody serves holds trunk lines until
      its callers hang up, and faster service elsewhere lets more of them in (seen: 92 s -> 165 s
      with two trunk lines shared by a staffed and an unstaffed queue).
    """
    doubled = with_heads_scaled(scenario, 2)
    original_waits: dict[str, list[float]] = {name: [] for name in scenario.channels}
    doubled_waits: dict[str, list[float]] = {name: [] for name in scenario.channels}
    for r in range(5):
        before = run_replication(scenario, r)
        after = run_replication(doubled, r)
        if any(run["overall"][cut] for run in (before, after) for cut in ("in_system", "closed")):
            continue  # censored: some waits never finished (still waiting, or closed on them)
        for name in scenario.channels:
            wait_before = before["by_channel"][name]["mean_wait_s"]
            wait_after = after["by_channel"][name]["mean_wait_s"]
            if math.isnan(wait_before) or math.isnan(wait_after):
                continue  # nobody queued (no arrivals, or everyone blocked)
            original_waits[name].append(wait_before)
            doubled_waits[name].append(wait_after)
    for name, waits in original_waits.items():
        if not waits:
            continue
        original = sum(waits) / len(waits)
        more_agents = sum(doubled_waits[name]) / len(doubled_waits[name])
        assert more_agents <= original + 0.5 + 0.02 * original, (name, waits, doubled_waits)


def test_doubling_agents_cuts_the_wait_of_a_congested_queue() -> None:
    """The same comparison where it must bite: an overloaded queue gets much faster."""
    voice = channel("voice", patience=Exponential(300.0))
    scenario = make_scenario(
        channels=[voice],
        groups=[group("agents", ["voice"], [(0.0, 3), (1800.0, 4)])],
        routing=[RoutingRule(to="voice")],
        rates=[0.03, 0.03],
        interval=1800.0,
        duration=3600.0,
        handle=Exponential(150.0),
    )
    doubled = with_heads_scaled(scenario, 2)
    for r in range(3):
        w1 = run_replication(scenario, r)["by_channel"]["voice"]["mean_wait_s"]
        w2 = run_replication(doubled, r)["by_channel"]["voice"]["mean_wait_s"]
        assert w2 < 0.5 * w1, (r, w1, w2)


# --------------------------------------------------------------------------------------------
# 5. No agents


@SETTINGS
@given(scenarios(zero_agents=True), st.integers(0, 3))
def test_without_agents_nobody_is_answered(scenario: Scenario, replication: int) -> None:
    kpis = run_replication(scenario, replication)
    for where, level in _levels(kpis):
        assert level["answered"] == 0, where
        assert math.isnan(level.get("asa_s", math.nan)), where
        if level["offered"]:
            assert level["immediate_rate"] == 0.0 and level["service_level"] == 0.0, where
    for name in scenario.channels:
        level = kpis["by_channel"][name]
        if _patience_finite(scenario, name):
            # Those who did not hang up before closing time are told it is closed.
            assert level["in_system"] == 0, name
            assert level["abandoned"] + level["blocked"] + level["closed"] == level["offered"]
        else:
            assert level["abandoned"] == 0, name
            assert level["in_system"] == level["offered"] - level["blocked"] - level["closed"]
    assert math.isnan(kpis["overall"]["occupancy"])
    for g in kpis["by_group"].values():
        assert g["staffed_slot_hours"] == 0.0 and g["busy_slot_hours"] == 0.0
