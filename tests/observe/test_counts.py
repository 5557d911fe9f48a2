"""What one replication counted (simulator/observe/counts.py), on a week with closed nights:
bins over the whole run, cell keys indexed by the scenario's channel and queue orders, and
slot-time where staffed time is never less than busy time. The results computed from the
counts are tested in tests/observe/test_results.py."""

from __future__ import annotations

import pytest

from simulator.experiment.replication import replication_counts
from simulator.scenario import load_scenario_text
from tests.scenario_texts import WEEK


@pytest.fixture(scope="module")
def week():
    scenario = load_scenario_text(WEEK)
    return scenario, replication_counts(scenario, 0)


def test_bins_cover_the_whole_run_and_keys_index_the_scenarios_names(week):
    scenario, counts = week
    horizon = scenario.horizon
    assert counts.n_bins == horizon.n_bins == 7 * 24  # hourly bins, nights included
    assert counts.channels == list(scenario.channels)
    assert counts.queues == list(scenario.skills)
    assert [g.name for g in counts.groups] == list(scenario.agents)
    for bin_index, channel, queue in counts.cells:
        assert 0 <= bin_index < counts.n_bins
        assert 0 <= channel < len(counts.channels) and 0 <= queue < len(counts.queues)
    # every customer generated, warm-up included, against those counted after it
    assert counts.customers > sum(j.customers for j in counts.journeys) > 0


def test_staffed_slot_time_is_never_less_than_busy_time(week):
    """An agent finishing a contact past the end of a shift still works: staffed is
    max(capacity, busy), so a group is never busier than staffed."""
    scenario, counts = week
    for group in counts.groups:
        assert len(group.busy) == len(group.staffed) == counts.n_bins
        assert len(group.heads) == scenario.horizon.n_intervals
        assert all(b <= s + 1e-6 for b, s in zip(group.busy, group.staffed, strict=True))
        assert sum(group.busy) > 0
