"""Scenario builders and replication helpers for the engine's statistical tests.

Scenarios are built directly as :mod:`simulator.scenario.schema` objects (no YAML), in engine
units: seconds and per-second rates. Mappings are stored in name order, as the loader does, so a
scenario built here behaves exactly like the same scenario loaded from a file.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from simulator.distributions import Constant, Distribution, Exponential
from simulator.experiment.replication import run_replication
from simulator.experiment.stats import Estimate, estimate
from simulator.model.frustration import FrustrationParams
from simulator.scenario.schema import (
    ASYNCHRONOUS,
    SYNCHRONOUS,
    AgentGroup,
    Arrivals,
    Channel,
    HandleTimes,
    Horizon,
    Intent,
    RoutingRule,
    Scenario,
    Segment,
    frozen_map,
)

__all__ = [
    "channel",
    "group",
    "kpi_estimate",
    "kpi_values",
    "make_scenario",
    "nan_to_none",
    "replicate",
    "single_queue",
    "with_heads_scaled",
]


def single_queue(
    lam: float,
    mean_handle: float,
    c: int,
    mean_patience: float | None = None,
    lines: int | None = None,
    duration: float | None = None,
    warmup: float | None = None,
    sl_threshold: float = 20.0,
    seed: int = 1,
) -> Scenario:
    """An M/M/c(/K)(+M) scenario: one synchronous ``voice`` channel, one group of ``c`` agents.

    * ``lam``: arrival rate per second (Poisson, constant over the horizon);
    * ``mean_handle``: mean of the exponential handle time, seconds (``mu = 1 / mean_handle``);
    * ``mean_patience``: mean of the exponential patience, seconds, or ``None`` for customers
      who never abandon (Erlang C);
    * ``lines``: trunk capacity K (waiting + in service), or ``None`` for unlimited;
    * ``duration`` / ``warmup``: seconds; default to ``2000`` and ``100`` mean handle times.
      Statistics cover arrivals in ``[warmup, duration)``; the horizon is a single interval.

    No wrap-up, no shrinkage, concurrency 1, no retrials, and frustration switched off (its
    documented setting for plain queueing checks): the textbook model exactly.
    """
    warmup = 100.0 * mean_handle if warmup is None else warmup
    duration = warmup + 2000.0 * mean_handle if duration is None else duration
    patience = None if mean_patience is None else Exponential(mean_patience)
    return make_scenario(
        channels=[channel("voice", patience=patience, lines=lines, sl_threshold=sl_threshold)],
        groups=[group("agents", ("voice",), c)],
        routing=[RoutingRule(to="voice")],
        rates=[lam],
        interval=duration,
        duration=duration,
        warmup=warmup,
        handle=Exponential(mean_handle),
        seed=seed,
        name=f"mmc-{c}",
        frustration=FrustrationParams(enabled=False),
    )


def channel(
    name: str,
    *,
    synchronous: bool = True,
    patience: Distribution | None = None,
    lines: int | None = None,
    sl_threshold: float = 20.0,
) -> Channel:
    """A channel; asynchronous ones get no patience and no lines, as the loader insists."""
    if not synchronous:
        assert patience is None and lines is None, "asynchronous channels never abandon"
    return Channel(
        name=name,
        kind=SYNCHRONOUS if synchronous else ASYNCHRONOUS,
        expected_response=sl_threshold,
        patience=patience,
        lines=lines,
        sl_threshold=sl_threshold,
    )


def group(
    name: str,
    skills: Sequence[str],
    heads: int | Sequence[tuple[float, int]],
    *,
    concurrency: int = 1,
    wrap_up: Distribution | None = None,
    shrinkage: float = 0.0,
) -> AgentGroup:
    """An agent group: ``heads`` is a constant count or a schedule of ``(t, heads)`` steps."""
    schedule = ((0.0, heads),) if isinstance(heads, int) else tuple(heads)
    assert schedule[0][0] == 0.0, "schedules start at t = 0"
    return AgentGroup(
        name=name,
        skills=tuple(skills),
        schedule=tuple((float(t), int(h)) for t, h in schedule),
        concurrency=concurrency,
        shrinkage=shrinkage,
        wrap_up=Constant(0.0) if wrap_up is None else wrap_up,
    )


def make_scenario(
    *,
    channels: Sequence[Channel],
    groups: Sequence[AgentGroup],
    routing: Sequence[RoutingRule],
    rates: Sequence[float],
    interval: float,
    duration: float,
    warmup: float = 0.0,
    handle: Distribution | None = None,
    handle_by_channel: Mapping[str, Distribution] | None = None,
    first_channel: Mapping[str, float] | None = None,
    intents: Sequence[tuple[str, float]] = (("general", 1.0),),
    segments: Sequence[tuple[str, float] | tuple[str, float, float]] = (("all", 1.0),),
    drain: float = 4 * 3600.0,
    seed: int = 1,
    name: str = "test",
    frustration: FrustrationParams | None = None,
) -> Scenario:
    """A whole scenario from its parts.

    ``rates`` are per second, one per interval (``ceil(duration / interval)`` of them).
    ``segments`` are ``(name, share)`` or ``(name, share, patience_scale)``; ``intents`` are
    ``(name, share)``. ``first_channel`` defaults to equal shares over ``channels``. Channels
    and groups are stored in name order like the loader; ``routing`` keeps the given order
    (first match wins). ``frustration`` defaults to the schema's default parameters; everything
    else the schema has (bots, retrials, context policy) keeps its default.
    """
    horizon = Horizon(duration=duration, interval=interval, warmup=warmup, drain=drain)
    assert len(rates) == horizon.n_intervals, (len(rates), horizon.n_intervals)
    if first_channel is None:
        first_channel = {ch.name: 1.0 / len(channels) for ch in channels}
    extra = {} if frustration is None else {"frustration": frustration}
    return Scenario(
        name=name,
        horizon=horizon,
        segments=tuple(Segment(*seg) for seg in segments),
        intents=tuple(Intent(n, s) for n, s in intents),
        arrivals=Arrivals(
            rates=tuple(float(r) for r in rates),
            first_channel=tuple(sorted(first_channel.items())),
        ),
        channels=frozen_map({ch.name: ch for ch in sorted(channels, key=lambda ch: ch.name)}),
        agents=frozen_map({g.name: g for g in sorted(groups, key=lambda g: g.name)}),
        handle_time=HandleTimes(
            default=Exponential(180.0) if handle is None else handle,
            by_channel=frozen_map(handle_by_channel),
        ),
        routing=tuple(routing),
        seed=seed,
        **extra,
    )


def with_heads_scaled(scenario: Scenario, factor: int) -> Scenario:
    """The same scenario with every schedule step's heads multiplied by ``factor``.

    Customers are unchanged (common random numbers), so the two runs differ only by staffing.
    """
    agents = {
        name: dataclasses.replace(g, schedule=tuple((t, h * factor) for t, h in g.schedule))
        for name, g in scenario.agents.items()
    }
    return dataclasses.replace(scenario, agents=frozen_map(agents))


def replicate(scenario: Scenario, replications: int, seed: int | None = None) -> list[dict]:
    """KPIs of replications ``0 .. replications-1`` (the scenario's seed unless ``seed``)."""
    return [run_replication(scenario, r, seed) for r in range(replications)]


def kpi_values(runs: Iterable[dict], kpi: str, level: str = "overall") -> list[float]:
    """One KPI of one level (``overall`` or e.g. ``by_channel.voice``) from each replication."""
    out = []
    for run in runs:
        node: Any = run
        for key in level.split("."):
            node = node[key]
        out.append(float(node[kpi]))
    return out


def kpi_estimate(runs: Iterable[dict], kpi: str, level: str = "overall") -> Estimate:
    """Student-t 95 % confidence interval of a KPI across replications."""
    return estimate(kpi_values(runs, kpi, level))


def nan_to_none(obj: Any) -> Any:
    """A copy of a KPI tree with NaN floats replaced by None, so trees compare with ``==``."""
    if isinstance(obj, dict):
        return {k: nan_to_none(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [nan_to_none(v) for v in obj]
    if isinstance(obj, float) and math.isnan(obj):
        return None
    return obj
