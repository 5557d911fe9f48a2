"""Verdicts of a comparison (simulator/experiment/verdicts.py): the direction of better per KPI,
the rule that names a variant's verdict from its areas, the symmetry of swapping base and
variant, and a team only one side has."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.experiment.compare import Comparison
from simulator.experiment.replicate import RunResult
from simulator.experiment.stats import Estimate
from simulator.experiment.verdicts import (
    BETTER,
    CHANNEL,
    DIRECTIONS,
    GROUP,
    MIXED,
    NEUTRAL,
    SAME,
    TRADE_OFF,
    WORSE,
    Area,
    Difference,
    pair_all,
    paired,
    variant_verdict,
)
from simulator.scenario import load_scenario
from tests.paths import SCENARIOS

_NAN_ESTIMATE = Estimate(math.nan, math.nan, math.nan, 0)


def _area(name: str, *verdicts: str) -> Area:
    kpis = [
        Difference(f"k{i}", *([_NAN_ESTIMATE] * 3), None, v, math.nan, CHANNEL, name)
        for i, v in enumerate(verdicts)
    ]
    return Area(CHANNEL, name, tuple(kpis))


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        ([(BETTER,), (WORSE,)], TRADE_OFF),
        ([(BETTER, SAME), (SAME,)], BETTER),
        ([(WORSE,), (SAME, NEUTRAL)], WORSE),
        ([(BETTER,), (BETTER, WORSE)], BETTER),  # a mixed area is named, not a trade-off
        ([(BETTER, WORSE)], TRADE_OFF),  # only mixed
        ([(SAME,), (NEUTRAL,)], SAME),
        ([(NEUTRAL,)], SAME),
    ],
)
def test_variant_verdict_rule(areas: list[tuple[str, ...]], expected: str) -> None:
    built = [_area(f"channel{i}", *verdicts) for i, verdicts in enumerate(areas)]
    assert variant_verdict(built) == expected
    if any(BETTER in v and WORSE in v for v in areas):
        assert MIXED in {a.verdict for a in built}


def _fake(values: list[float], channel_values: list[float] | None = None) -> RunResult:
    scenario = load_scenario(SCENARIOS / "single_queue.yaml")
    channel_values = channel_values or values
    reps = [
        {"overall": {"abandon_rate": v}, "by_channel": {"voice": {"service_level": w}}}
        for v, w in zip(values, channel_values, strict=True)
    ]
    return RunResult(scenario=scenario, seed=1, replications=len(values), per_replication=reps)


@pytest.mark.parametrize(
    ("base", "variant", "verdict"),
    [
        ([0.10, 0.12, 0.11, 0.13], [0.05, 0.07, 0.06, 0.08], BETTER),  # fewer abandon
        ([0.05, 0.07, 0.06, 0.08], [0.10, 0.12, 0.11, 0.13], WORSE),
        ([0.10, 0.12, 0.11, 0.13], [0.11, 0.11, 0.12, 0.12], SAME),
    ],
)
def test_verdict_follows_the_direction_of_better(base, variant, verdict):
    assert DIRECTIONS["overall.abandon_rate"] == -1
    assert paired("overall.abandon_rate", _fake(base), _fake(variant)).verdict == verdict


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_swapping_base_and_variant_swaps_every_verdict(data: st.DataObject) -> None:
    """Better one way is worse the other way, per KPI, per area and for the variant."""
    n = data.draw(st.integers(3, 6))
    share = st.integers(0, 1000).map(lambda k: k / 1000)  # shares as results hold them
    column = st.lists(share, min_size=n, max_size=n)
    a = _fake(data.draw(column), data.draw(column))
    b = _fake(data.draw(column), data.draw(column))
    swap = {BETTER: WORSE, WORSE: BETTER}
    forth, back = pair_all(a, b), pair_all(b, a)
    assert [swap.get(d.verdict, d.verdict) for d in forth] == [d.verdict for d in back]
    forth_verdict = variant_verdict(Comparison(a, {"x": b}, {"x": forth}).areas("x"))
    back_verdict = variant_verdict(Comparison(b, {"x": a}, {"x": back}).areas("x"))
    assert swap.get(forth_verdict, forth_verdict) == back_verdict


def test_a_team_only_the_variant_has_is_shown_without_a_difference() -> None:
    base = _fake([0.1, 0.2, 0.1])
    variant = _fake([0.1, 0.2, 0.1])
    for rep in variant.per_replication:
        rep["by_group"] = {"backup": {"occupancy": 0.5}}
    (team,) = [d for d in pair_all(base, variant) if d.scope == GROUP]
    assert (team.name, team.kpi) == ("backup", "occupancy")
    assert team.variant.mean == 0.5 and math.isnan(team.base.mean)
    assert math.isnan(team.difference.mean) and team.verdict == NEUTRAL
