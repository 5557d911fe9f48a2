"""Figures per scope and period (simulator/observe/scopes.py): every count adds up across
channels, kinds, queues and intervals, and no absolute wait is given where it would mix the
promises of synchronous and asynchronous channels."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.experiment.replication import run_replication
from simulator.observe import histogram
from simulator.observe.scopes import WAIT_KPIS, queue_kinds, wait_quantiles
from simulator.scenario import load_scenario_text
from tests.scenario_texts import VOICE_AND_EMAIL

COUNTS = ("offered", "answered", "abandoned", "blocked", "closed", "in_system")


@pytest.fixture(scope="module")
def scenario():
    return load_scenario_text(VOICE_AND_EMAIL)


@pytest.fixture(scope="module")
def results(scenario):
    return run_replication(scenario, 0)


def test_a_queue_reached_by_both_kinds_is_mixed(scenario) -> None:
    kinds = queue_kinds(scenario)
    assert kinds["voice"] == {"synchronous"} and kinds["email"] == {"asynchronous"}
    assert kinds["complaints"] == {"synchronous", "asynchronous"}


def test_a_rule_for_every_channel_reaches_only_the_kinds_the_scenario_has() -> None:
    one_kind = load_scenario_text(
        VOICE_AND_EMAIL.replace("  - when: {intent: complaint}\n", "  - when: {}\n")
        .replace("  email: {kind: asynchronous, expected_response: 4h, service_level: 4h}\n", "")
        .replace("first_channel: {voice: 0.7, email: 0.3}", "first_channel: {voice: 1}")
        .replace("  - when: {channel: email}\n    to: email\n", "")
        .replace("  email_team: {skills: [email], count: 1}\n", "")
    )
    assert queue_kinds(one_kind)["complaints"] == {"synchronous"}


def test_absolute_waits_only_where_contacts_share_a_kind_of_promise(results) -> None:
    for period in [results, *results["by_interval"]]:
        assert not set(WAIT_KPIS) & set(period["overall"])
        assert not set(WAIT_KPIS) & set(period["by_queue"]["complaints"])
        for scope in ("by_kind", "by_channel"):
            for name, figures in period[scope].items():
                assert set(WAIT_KPIS) <= set(figures), (scope, name)
        assert set(WAIT_KPIS) <= set(period["by_queue"]["voice"])
    # The e-mail waits are hours, the voice waits seconds: blended they would describe neither.
    channels = results["by_channel"]
    assert channels["email"]["asa_s"] > 20 * channels["voice"]["asa_s"]
    # Each kind of this scenario is one channel: the same figures.
    for kpi in WAIT_KPIS:
        voice, email = channels["voice"][kpi], channels["email"][kpi]
        assert results["by_kind"]["synchronous"][kpi] == pytest.approx(voice)
        assert results["by_kind"]["asynchronous"][kpi] == pytest.approx(email)


def test_promise_relative_figures_pool_each_contact_against_its_own_threshold(results) -> None:
    overall, channels = results["overall"], results["by_channel"]
    within = sum(c["service_level"] * c["offered"] for c in channels.values())
    assert overall["service_level"] == pytest.approx(within / overall["offered"])
    assert overall["within_promise"] == pytest.approx(within / overall["answered"])


def test_every_interval_adds_up_across_channels_kinds_and_queues(results) -> None:
    rows = results["by_interval"]
    assert len(rows) == 3
    for i, row in enumerate(rows):
        for scope in ("by_kind", "by_channel", "by_queue"):
            for kpi in COUNTS:
                parts = sum(figures[kpi] for figures in row[scope].values())
                assert parts == row["overall"][kpi], (i, scope, kpi)
        answered = sum(g["answered"] for g in row["by_group"].values())
        assert answered == row["overall"]["answered"], i
    for scope in ("overall", "by_channel", "by_queue", "by_group"):
        names = [None] if scope == "overall" else list(results[scope])
        for name in names:
            whole = results[scope] if name is None else results[scope][name]
            for kpi in COUNTS if scope != "by_group" else ("answered",):
                per_interval = [
                    (row[scope] if name is None else row[scope][name])[kpi] for row in rows
                ]
                assert sum(per_interval) == whole[kpi], (scope, name, kpi)


def test_each_group_reports_what_it_answered_and_how_long_it_took(results) -> None:
    for name, group in results["by_group"].items():
        assert group["answered"] > 0, name
        assert 30 < group["mean_handle_time_s"] < 600, name  # exponential, mean 3 minutes
        assert 0 < group["occupancy"] <= 1, name
    complaints = results["by_queue"]["complaints"]["answered"]
    assert results["by_group"]["complaints_team"]["answered"] == complaints
    for row in results["by_interval"]:
        for group in row["by_group"].values():
            assert group["heads"] >= 0
            assert math.isnan(group["mean_handle_time_s"]) == (group["answered"] == 0)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.dictionaries(st.integers(0, histogram.N_BINS - 1), st.integers(1, 50), max_size=8),
        min_size=1,
        max_size=6,
    ),
    q=st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.001, 0.999]),
    subset=st.booleans(),
)
def test_wait_quantiles_of_every_row_are_the_histogram_quantile(rows, q, subset) -> None:
    """All rows at once (over the bins that hold waits, laid end to end) must give each row's
    quantile exactly as histogram.quantile computes it alone, empty rows NaN; also when the
    histograms were cut down to the bins some wait of the run fell in."""
    dense = np.zeros((len(rows), histogram.N_BINS), dtype=np.int64)
    for r, row in enumerate(rows):
        for b, count in row.items():
            dense[r, b] = count
    bins = np.flatnonzero(dense.any(axis=0)) if subset else np.arange(histogram.N_BINS)
    (found,) = wait_quantiles(dense[:, bins].reshape(len(rows), 1, len(bins)), [q], bins)
    for r in range(len(rows)):
        expected = histogram.quantile(dense[r], q)
        if math.isnan(expected):
            assert math.isnan(found[r, 0])
        else:
            assert found[r, 0] == expected
