"""The results dictionary computed from a replication's counts (simulator.observe.results).

The results used to be built inside the engine (``World.kpis``). ``_engine_kpis`` below is that
method as it was, reading the world's internals: every figure that kept its meaning when the
results gained scopes (issue #11) must be the same number in the dictionary computed from
``World.counts()``, on scenarios that use every kind of count (bots, transfers, retrials,
callbacks, overflow, redirects, costs, warm-up). Sums over intervals are now added per interval
first, so a mean wait may differ in its last bit or two; counts are exact.
"""

from __future__ import annotations

import dataclasses
import json
import math
import pickle
from typing import Any

import pytest

from simulator.model.world import World
from simulator.observe.counts import RunCounts
from simulator.observe.journey import JourneyCell
from simulator.observe.metrics import merged, queue_kpis
from simulator.observe.results import replication_results
from simulator.scenario import load_scenario, load_scenario_text
from simulator.scenario.schema import Costs, Scenario
from tests.conftest import EVERYTHING
from tests.paths import SCENARIOS


def _engine_costs(world: World, journeys: JourneyCell) -> dict[str, float]:
    costs = world.scenario.costs
    duration = world.horizon.duration
    agents = 0.0
    for group in world.groups:
        schedule = group.definition.schedule
        head_seconds = 0.0
        for k, (start, heads) in enumerate(schedule):
            end = schedule[k + 1][0] if k + 1 < len(schedule) else duration
            head_seconds += heads * max(0.0, min(end, duration) - min(start, duration))
        agents += costs.hourly(group.name) * head_seconds / 3600.0
    bots = costs.bot_session * sum(stats.sessions for stats in world.bot_stats.values())
    operating = agents + bots + costs.platform_per_day
    churn = costs.lifetime_value * journeys.churn
    word_of_mouth = costs.word_of_mouth_value * journeys.reach
    total = operating + churn + word_of_mouth
    return {
        "agents": agents,
        "bots": bots,
        "platform": costs.platform_per_day,
        "operating": operating,
        "churn": churn,
        "word_of_mouth": word_of_mouth,
        "total": total,
        "per_resolved_customer": total / journeys.resolved if journeys.resolved else math.nan,
    }


def _engine_kpis(world: World) -> dict[str, Any]:
    """``World.kpis`` as it was before the results left the engine (a frozen reference)."""
    horizon = world.horizon
    window = max(horizon.duration - horizon.warmup, 1e-9)
    cells = world._merged_cells()
    overall = merged(cells.values())
    busy = sum(sum(g.busy_area) for g in world.groups)
    staffed = sum(sum(g.staffed_area) for g in world.groups)
    result: dict[str, Any] = {"overall": queue_kpis(overall)}
    result["overall"]["occupancy"] = busy / staffed if staffed else math.nan
    result["overall"]["longest_queue"] = float(
        max((max(q.longest) for q in world.queues.values()), default=0)
    )
    result["overall"]["mean_queue"] = overall.wait_sum / window
    result["by_channel"] = {
        ch.name: queue_kpis(merged(c for k, c in cells.items() if k[1] == ch.index))
        for ch in world.channels
    }
    by_queue = {}
    for queue in world.queues.values():
        cell = merged(c for k, c in cells.items() if k[2] == queue.index)
        kpis = queue_kpis(cell)
        kpis["longest_queue"] = float(max(queue.longest))
        kpis["mean_queue"] = cell.wait_sum / window
        by_queue[queue.name] = kpis
    result["by_queue"] = by_queue
    result["by_group"] = {
        g.name: {
            "occupancy": sum(g.busy_area) / sum(g.staffed_area)
            if sum(g.staffed_area)
            else math.nan,
            "staffed_slot_hours": sum(g.staffed_area) / 3600.0,
            "busy_slot_hours": sum(g.busy_area) / 3600.0,
        }
        for g in world.groups
    }
    by_interval: list[dict[str, Any]] = []
    for i in range(world.n_intervals):
        kpis = queue_kpis(merged(c for k, c in cells.items() if k[0] == i))
        b = sum(g.busy_area[i] for g in world.groups)
        s = sum(g.staffed_area[i] for g in world.groups)
        kpis["occupancy"] = b / s if s else math.nan
        kpis["longest_queue"] = float(max((q.longest[i] for q in world.queues.values()), default=0))
        kpis["agents"] = float(
            sum(g.definition.heads_at(i * horizon.interval) for g in world.groups)
        )
        by_interval.append(kpis)
    result["by_interval"] = by_interval
    journeys = JourneyCell()
    for i, journey_cell in enumerate(world.journey_cells):
        row = journey_cell or JourneyCell()
        journeys.merge(row)
        by_interval[i]["journey"] = row.kpis()
    result["journey"] = journeys.kpis()
    result["costs"] = _engine_costs(world, journeys)
    result["simulated"] = {"customers": float(world.arrived)}
    result["bots"] = {name: stats.kpis() for name, stats in world.bot_stats.items()}
    result["routing"] = {
        "callbacks_offered": float(world.callbacks_offered),
        "callbacks_accepted": float(world.callbacks_accepted),
        "overflowed": float(world.overflowed),
    }
    result["context_losses"] = {
        f"{kind}:{source}->{target}": float(n)
        for (kind, source, target), n in sorted(world.context_losses.items())
    }
    result["switches"] = {
        f"{source}->{target}": float(n)
        for (source, target), n in sorted(world.switch_counts.items())
    }
    return result


def _exact(value: Any) -> str:
    """Every number to the last bit (repr), NaN included, keys in order."""
    return json.dumps(value, default=repr, allow_nan=True)


PRICED = Costs(
    agent_hour=31.0,
    bot_session=0.35,
    platform_per_day=250,
    lifetime_value=480,
    word_of_mouth_value=2,
)


def _everything() -> Scenario:
    scenario = load_scenario_text(EVERYTHING)
    horizon = dataclasses.replace(scenario.horizon, warmup=1200.0)
    return dataclasses.replace(scenario, horizon=horizon, costs=PRICED)


CASES = {
    "everything": _everything,
    "ecommerce_ai_bot": lambda: dataclasses.replace(
        load_scenario(SCENARIOS / "ecommerce_ai_bot.yaml"), costs=PRICED
    ),
    "retail_bank_siloed": lambda: load_scenario(SCENARIOS / "retail_bank_siloed.yaml"),
}


def _same(expected: Any, actual: Any, where: str) -> None:
    """Every number of ``expected`` is ``actual``'s at the same place (ulps apart at most)."""
    if isinstance(expected, dict):
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} is missing"
            _same(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert len(expected) == len(actual), where
        for i, (a, b) in enumerate(zip(expected, actual, strict=True)):
            _same(a, b, f"{where}[{i}]")
    elif isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(actual), where
    else:
        assert actual == pytest.approx(expected, rel=1e-12, abs=1e-12), where


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("replication", [0, 1])
def test_results_from_counts_equal_the_engine_kpis(name: str, replication: int):
    scenario = CASES[name]()
    world = World(scenario, replication).run()
    expected = _engine_kpis(world)
    actual = replication_results(world.counts(), scenario)
    waits = ("mean_wait_s", "asa_s", "wait_p50_s", "wait_p90_s", "wait_p95_s")
    # All channels together: the same counts and rates, and no blended wait any more.
    for wait in waits:
        assert wait not in actual["overall"] and expected["overall"].pop(wait) is not None
    _same(expected["overall"], actual["overall"], "overall")
    for key in ("by_channel", "journey", "simulated", "bots", "routing"):
        _same(expected[key], actual[key], key)
    assert _exact(actual["context_losses"]) == _exact(expected["context_losses"])
    assert _exact(actual["switches"]) == _exact(expected["switches"])
    for queue, figures in expected["by_queue"].items():
        if "asa_s" not in actual["by_queue"][queue]:  # its channels are of both kinds
            figures = {k: v for k, v in figures.items() if k not in waits}
        _same(figures, actual["by_queue"][queue], f"by_queue.{queue}")
    _same(expected["by_group"], actual["by_group"], "by_group")
    for i, (old, new) in enumerate(
        zip(expected["by_interval"], actual["by_interval"], strict=True)
    ):
        _same(old.pop("journey"), new["journey"], f"by_interval[{i}].journey")
        _same({k: v for k, v in old.items() if k not in waits}, new["overall"], f"[{i}]")
    # Money: the operating lines as they were; churn counts only what exceeds the base.
    costs = expected["costs"]
    _same({k: costs[k] for k in ("agents", "bots", "platform", "operating")}, actual["costs"], "$")
    assert actual["costs"]["word_of_mouth"] == costs["word_of_mouth"]
    assert 0 <= actual["costs"]["churn_above_base"] < costs["churn"]
    if name == "everything":  # the scenario does use what the test is about
        assert actual["routing"]["overflowed"] > 0 and actual["routing"]["callbacks_accepted"] > 0
        assert actual["journey"]["transfers_per_100"] > 0 and actual["switches"]
        assert actual["bots"]["helper"]["sessions"] > 0 and actual["context_losses"]
        assert actual["costs"]["bots"] > 0 and actual["costs"]["churn_above_base"] > 0


def test_counts_are_a_plain_value_that_survives_pickling():
    scenario = _everything()
    counts = World(scenario, 0).run().counts()
    again = pickle.loads(pickle.dumps(counts))
    assert isinstance(again, RunCounts)
    assert _exact(replication_results(again, scenario)) == _exact(
        replication_results(counts, scenario)
    )
    assert counts.channels == list(scenario.channels)
    assert counts.queues == list(scenario.skills)
    assert [g.name for g in counts.groups] == list(scenario.agents)
    assert counts.n_bins == scenario.horizon.n_bins


def test_intervals_without_customers_report_undefined_rates_not_errors():
    scenario = _everything()
    counts = World(scenario, 0).run().counts()
    empty = dataclasses.replace(
        counts,
        cells={},
        journeys=[JourneyCell() for _ in counts.journeys],
        customers=0,
    )
    results = replication_results(empty, scenario)
    assert results["overall"]["offered"] == 0.0
    assert math.isnan(results["overall"]["service_level"])
    assert math.isnan(results["journey"]["fcr"])
    assert all(row["journey"]["customers"] == 0.0 for row in results["by_interval"])
