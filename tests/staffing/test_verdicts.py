"""What one pass's runs say about an interval (simulator/staffing/verdicts.py), on days written
by hand: a queue target is judged on the mean over replications, a journey KPI's change on the
paired differences replication by replication, and a cut must not break the interval before."""

from __future__ import annotations

from simulator.staffing import parse_targets
from simulator.staffing.groups import GroupInfo
from simulator.staffing.seeds import GroupLoad
from simulator.staffing.simulate import QUEUE_COUNTS, DayResult
from simulator.staffing.verdicts import (
    cut_holds,
    journey_gain,
    journey_helped,
    journey_holds,
    queue_misses,
    wait_ratio,
)

SL = parse_targets(["service_level>=0.8", "abandon_rate<=0.05"])
FCR = parse_targets(["journey.fcr>=0.7"])
PHONES = GroupInfo(
    "phones", ("voice",), 1, 0.0, 30.0, GroupLoad(), True, 20.0, 60.0, SL, searched=True
)


def replication(in_sl: list[float], abandoned: list[float], fcr: list[float]) -> dict:
    """One replication of a day of len(in_sl) intervals, 100 contacts offered in each."""
    n = len(in_sl)
    voice = {key: [0.0] * n for key in QUEUE_COUNTS}
    voice["offered"] = [100.0] * n
    voice["in_sl"], voice["abandoned"] = list(in_sl), list(abandoned)
    voice["answered"] = [100.0 - a for a in abandoned]
    voice["wait_sum"] = [120.0 * 100] * n  # two minutes each: twice the 60 s expected
    return {
        "queues": {"voice": voice},
        "groups": {"phones": {"busy": [1.0] * n, "staffed": [2.0] * n}},
        "journey": [{"fcr": f} for f in fcr],
        "customers": 100 * n,
        "cpu_s": 0.0,
    }


def day(*replications: dict) -> DayResult:
    return DayResult(list(replications))


def test_queue_targets_are_judged_on_the_mean_over_replications():
    # interval 0: 75 % and 90 % -> 82.5 % met; interval 1: 70 % and 80 % -> 75 % missed
    result = day(replication([75, 70], [2, 8], [1, 1]), replication([90, 80], [2, 2], [1, 1]))
    assert queue_misses(result, PHONES, 0).targets == []
    missed = queue_misses(result, PHONES, 1)
    assert missed.targets == ["service_level>=0.8"]  # abandon 5 % on average: met
    assert missed.gap > 0
    assert wait_ratio(result, PHONES, 0) == 2.0


def test_a_journey_kpi_changes_by_its_paired_differences():
    base = day(*(replication([90], [0], [f]) for f in (0.50, 0.60, 0.55, 0.65)))
    better = day(*(replication([90], [0], [f + 0.1]) for f in (0.50, 0.60, 0.55, 0.65)))
    gain = journey_gain(base, better, FCR[0], 0)
    assert abs(gain.mean - 0.1) < 1e-12 and gain.ci_low > 0  # the same change every day
    assert journey_helped(base, better, FCR, 0)
    assert not journey_helped(base, base, FCR, 0)  # no change: agents are not the lever


def test_a_cut_holds_only_if_it_keeps_the_interval_and_the_one_before_met():
    base = day(replication([90, 90], [0, 0], [0.8, 0.8]), replication([90, 90], [0, 0], [0.8, 0.8]))
    fine = day(replication([85, 85], [1, 1], [0.8, 0.8]), replication([85, 85], [1, 1], [0.8, 0.8]))
    breaks_before = day(
        replication([70, 85], [1, 1], [0.8, 0.8]), replication([70, 85], [1, 1], [0.8, 0.8])
    )
    assert cut_holds(base, fine, PHONES, 1, FCR, missed_before=False)
    assert not cut_holds(base, breaks_before, PHONES, 1, FCR, missed_before=False)
    assert cut_holds(base, breaks_before, PHONES, 1, FCR, missed_before=True)
    worse_journeys = day(
        replication([90, 90], [0, 0], [0.6, 0.6]), replication([90, 90], [0, 0], [0.6, 0.6])
    )
    assert not journey_holds(base, worse_journeys, FCR, 1)  # it met before the cut
    assert not cut_holds(base, worse_journeys, PHONES, 1, FCR, missed_before=False)
