"""Results of a run of several days (simulator/observe/results.py): bins folded into reported
intervals, by day and by interval of the day, every partition adding up to the whole."""

from __future__ import annotations

import pytest

from simulator.experiment.replication import replication_counts
from simulator.observe.results import by_reported_interval, replication_results
from simulator.scenario import load_scenario
from tests.paths import SCENARIOS

COUNTS = ("offered", "answered", "abandoned", "blocked", "closed", "in_system")


@pytest.fixture(scope="module")
def week():
    scenario = load_scenario(SCENARIOS / "week_three_channels.yaml")
    counts = replication_counts(scenario, 0)
    return scenario, counts, replication_results(counts, scenario)


def test_nights_fold_into_reported_intervals_and_nothing_is_lost(week):
    scenario, counts, _ = week
    horizon = scenario.horizon
    assert counts.n_bins == 7 * 24  # hourly bins, nights included
    folded = by_reported_interval(counts, horizon)
    assert folded.n_bins == horizon.n_intervals == 7 * 12
    assert sum(c.offered for c in folded.cells.values()) == sum(
        c.offered for c in counts.cells.values()
    )
    assert sum(j.customers for j in folded.journeys) == sum(j.customers for j in counts.journeys)
    night = [b for b in range(counts.n_bins) if b % 24 >= 12]
    assert any(counts.cells.get((b, ch, q)) for b in night for ch in range(3) for q in range(3))


@pytest.mark.parametrize("part", ["by_interval", "by_day", "by_interval_of_day"])
def test_every_partition_adds_up_to_the_whole(week, part):
    _, _, results = week
    rows = results[part]
    for scope in ("by_kind", "by_channel", "by_queue"):
        for name, whole in results[scope].items():
            for key in COUNTS:
                parts = sum(row[scope][name][key] for row in rows)
                assert parts == whole[key], (part, scope, name, key)
    for key in COUNTS:
        assert sum(row["overall"][key] for row in rows) == results["overall"][key], (part, key)
    for name, whole in results["by_group"].items():
        assert sum(row["by_group"][name]["answered"] for row in rows) == whole["answered"]
    customers = sum(row["journey"]["customers"] for row in rows)
    assert customers == results["journey"]["customers"]


def test_a_single_day_is_not_folded():
    scenario = load_scenario(SCENARIOS / "multichannel_day.yaml")
    counts = replication_counts(scenario, 0)
    assert by_reported_interval(counts, scenario.horizon) is counts
    results = replication_results(counts, scenario)
    assert "by_day" not in results and "by_interval_of_day" not in results


def test_each_day_is_reported_by_channel_too(week):
    _, _, results = week
    for channel, whole in results["by_channel"].items():
        for key in COUNTS:
            days = sum(day["by_channel"][channel][key] for day in results["by_day"])
            assert days == whole[key], (channel, key)
    sunday = results["by_day"][6]["by_channel"]
    assert sunday["voice"]["closed"] == sunday["voice"]["offered"] > 0  # closed all Sunday
