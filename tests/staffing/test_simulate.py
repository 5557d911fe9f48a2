"""Whole-day replications reduced to what a staffing search reads (simulator/staffing/simulate.py):
a group's counters, summed over the day, give exactly the KPIs of the results document, and
the estimates over replications are the mean of each replication's value."""

from __future__ import annotations

import pytest

from simulator.experiment.replication import replication_counts
from simulator.observe.results import replication_results
from simulator.scenario import load_scenario_text
from simulator.staffing.simulate import DayResult, day_kpis, group_kpis, run_day
from tests.staffing.scenario_texts import SMALL

QUEUES = {"phones": ["voice"], "chats": ["chat"]}  # SMALL's groups and the queue each serves


@pytest.fixture(scope="module")
def small():
    scenario = load_scenario_text(SMALL)
    return scenario, [run_day(scenario, replication, 1) for replication in range(2)]


def test_a_groups_day_is_what_the_results_document_says_of_its_queue(small):
    scenario, (first, _) = small
    results = replication_results(replication_counts(scenario, 0, 1), scenario)
    intervals = range(scenario.horizon.n_intervals)
    for group, queues in QUEUES.items():
        day = day_kpis(first, group, queues, intervals)
        queue = results["by_queue"][queues[0]]
        for kpi in ("offered", "service_level", "abandon_rate", "asa_s"):
            assert day[kpi] == pytest.approx(queue[kpi], rel=1e-12), (group, kpi)
        assert day["occupancy"] == pytest.approx(results["by_group"][group]["occupancy"])
    offered = [group_kpis(first, "phones", ["voice"], i)["offered"] for i in intervals]
    assert sum(offered) == results["by_queue"]["voice"]["offered"]


def test_estimates_are_over_the_replications(small):
    _, replications = small
    result = DayResult(replications)
    per_replication = [group_kpis(rep, "phones", ["voice"], 2)["offered"] for rep in replications]
    assert per_replication[0] != per_replication[1]  # two different days
    assert result.group("phones", ["voice"], 2)["offered"].mean == pytest.approx(
        sum(per_replication) / 2
    )
    assert result.customers == sum(rep["customers"] for rep in replications)
