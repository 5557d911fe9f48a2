"""Choosing a customer of a run (simulator/observe/trace.py): worst, typical, best, random."""

from __future__ import annotations

import statistics

import pytest

from simulator.experiment.tracing import trace
from simulator.observe.trace import REAL_SERVICE_S, TraceError, pick, real_service
from simulator.scenario import load_scenario_text
from tests.conftest import EVERYTHING

# -- pick ---------------------------------------------------------------------------------------


def test_worst_has_the_highest_peak_and_the_lowest_id_among_ties(siloed):
    records, _ = siloed
    worst = pick(records, "worst")
    top = max(r.peak_frustration for r in records)
    assert worst.peak_frustration == top
    assert worst.cid == min(r.cid for r in records if r.peak_frustration == top)


def test_best_is_the_calmest_quickest_resolution_after_real_service(siloed):
    records, _ = siloed
    best = pick(records, "best")
    assert real_service(best) and best.resolved
    assert best.time_to_resolution_s - best.total_wait_s >= REAL_SERVICE_S
    served = [r for r in records if real_service(r)]
    low = min(r.peak_frustration for r in served)
    assert best.peak_frustration == low
    assert best.time_to_resolution_s == min(
        r.time_to_resolution_s for r in served if r.peak_frustration == low
    )
    # Not a ghost contact: the calmest resolutions of this day include a few seconds' ones.
    ghosts = [r for r in records if r.resolved and not real_service(r)]
    assert ghosts and best not in ghosts


def test_best_falls_back_to_every_customer_when_nobody_had_real_service(siloed):
    records, _ = siloed
    ghosts = [r for r in records if not real_service(r)]
    best = pick(ghosts, "best")
    assert best.peak_frustration == min(r.peak_frustration for r in ghosts)


def test_typical_has_the_median_peak(siloed):
    records, _ = siloed
    typical = pick(records, "typical")
    peaks = sorted(r.peak_frustration for r in records)
    assert typical.peak_frustration == statistics.median_low(peaks)


def test_random_is_deterministic_for_a_seed_and_changes_with_it(siloed):
    records, _ = siloed
    a = pick(records, "random", rng_seed=1)
    assert pick(records, "random", rng_seed=1) == a
    others = {pick(records, "random", rng_seed=s).cid for s in range(2, 6)}
    assert others - {a.cid}


def test_filters_apply_before_the_pick(siloed):
    records, _ = siloed
    for how in ("worst", "typical", "best", "random"):
        r = pick(records, how, segment="traditional", intent="card_lost")
        assert (r.segment, r.intent) == ("traditional", "card_lost")
    worst = pick(records, "worst", intent="general")
    assert worst.peak_frustration == max(
        r.peak_frustration for r in records if r.intent == "general"
    )


def test_pick_by_customer_id(siloed):
    records, _ = siloed
    assert pick(records, "worst", customer=records[10].cid) == records[10]


def test_unknown_customer_id_is_a_clear_error(siloed):
    records, _ = siloed
    with pytest.raises(TraceError, match=r"customer 99999 .*ids 0\.\.\d+"):
        pick(records, "worst", customer=99999)
    with pytest.raises(TraceError, match=r"customer 99999 did not arrive .*replication 0"):
        trace(load_scenario_text(EVERYTHING), customer=99999)


def test_an_empty_filter_is_a_clear_error_with_a_hint(siloed):
    records, _ = siloed
    with pytest.raises(TraceError, match=r"segment 'vip'.*segments: digital, traditional"):
        pick(records, "worst", segment="vip")
    with pytest.raises(TraceError, match=r"intent 'mortgage'.*intents: billing_dispute"):
        pick(records, "best", intent="mortgage")
    with pytest.raises(TraceError, match="unknown pick"):
        pick(records, "median")
    with pytest.raises(TraceError, match="nothing to trace"):
        pick([], "worst")
    assert issubclass(TraceError, ValueError)
