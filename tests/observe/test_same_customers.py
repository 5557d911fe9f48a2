"""The same customers in every design of a comparison (simulator.observe.same_customers)."""

from __future__ import annotations

import dataclasses

import pytest

from simulator.cli_common import declared_variants
from simulator.experiment.tracing import collect
from simulator.observe.same_customers import SameCustomers
from simulator.scenario import load_scenario, load_scenario_text
from tests.conftest import EVERYTHING
from tests.paths import SCENARIOS

SILOED = SCENARIOS / "retail_bank_siloed.yaml"


@pytest.fixture(scope="module")
def bank():
    base, variants = (
        load_scenario(SILOED),
        {"shared_record": declared_variants(SILOED)["shared_record"]},
    )
    runs = [collect(base), collect(variants["shared_record"])]
    return base, variants, runs


def _received(designs: int, runs) -> SameCustomers:
    same = SameCustomers(designs)
    for (collector,), run in zip(same.observers, runs, strict=True):
        collector.receive(0, run)
    return same


def test_the_worst_of_each_design_is_followed_into_the_other(bank):
    base, variants, runs = bank
    pairs = _received(2, runs).pairs(base, variants)["shared_record"]
    assert [p.worst_in for p in pairs] == ["base", "base", "variant"]
    base_records = sorted(runs[0][0], key=lambda r: (-r.peak_frustration, r.cid))
    assert [p.base.cid for p in pairs[:2]] == [r.cid for r in base_records[:2]]
    variant_worst = max(runs[1][0], key=lambda r: (r.peak_frustration, -r.cid))
    assert pairs[2].variant.cid == variant_worst.cid
    for pair in pairs:
        assert pair.base.record.cid == pair.variant.record.cid
        assert pair.base.record.arrived_s == pair.variant.record.arrived_s
        assert (pair.base.scenario, pair.variant.scenario) == (base.name, base.name)
    assert pairs[0].base.record.repeats > pairs[0].variant.record.repeats == 0


def test_asking_for_more_gives_more_and_never_a_customer_twice(bank):
    base, variants, runs = bank
    pairs = _received(2, runs).pairs(base, variants, worst_of_base=4, worst_of_variant=3)
    found = pairs["shared_record"]
    assert len(found) == 7 and len({p.base.cid for p in found}) == 7


def test_designs_with_other_customers_give_no_pairs():
    scenario = load_scenario_text(EVERYTHING)
    other = dataclasses.replace(scenario, name="other-demand", seed=6)
    same = _received(2, [collect(scenario), collect(other)])
    assert same.pairs(scenario, {"other": other}) == {"other": []}


def test_nothing_recorded_gives_no_pairs(bank):
    base, variants, _runs = bank
    assert SameCustomers(2).pairs(base, variants) == {"shared_record": []}
