"""Staffing deferred work (issue #12): plans that settle at a level over the working hours, at
least the workload bound, the same within one head for two seeds at a steady load, and a voice
team beside them still sized interval by interval."""

from __future__ import annotations

import math

import pytest

from simulator.scenario import load_scenario_text
from simulator.staffing import parse_targets, search_staffing
from simulator.staffing.deferred import working_intervals, workload_bound
from simulator.staffing.groups import group_seeds, prepare_groups
from tests.staffing.scenario_texts import EMAIL, MIXED


def email_plan(seed: int):
    scenario = load_scenario_text(EMAIL)
    targets = parse_targets(["email_team:service_level>=0.8"], list(scenario.agents))
    return search_staffing(scenario, targets, groups=["email_team"], replications=8, seed=seed)


@pytest.fixture(scope="module")
def two_seeds():
    return email_plan(1), email_plan(2)


def test_an_email_plan_is_one_level_at_least_the_workload_bound(two_seeds):
    result, _ = two_seeds
    required = [row.required for row in result.rows]
    assert len(set(required)) == 1, required  # no jumps between nobody and a crowd
    # 60 e-mails an hour of 6 minutes: 6 agents' work, every hour the team works
    assert required[0] >= 6
    heads = sum(row.heads * row.hours for row in result.rows)
    assert heads * (1 - 0.2) >= 6 * 10  # head-hours on the phones cover the day's work
    assert result.settled and not any(row.misses for row in result.rows)
    assert any("workload bound is 6" in note for note in result.notes)


def test_two_seeds_plan_within_one_head_per_interval(two_seeds):
    first, second = two_seeds
    for a, b in zip(first.rows, second.rows, strict=True):
        assert abs(a.heads - b.heads) <= 1, (a.label, a.heads, b.heads)


@pytest.fixture(scope="module")
def mixed():
    scenario = load_scenario_text(MIXED)
    targets = parse_targets(["service_level>=0.8", "email_team:asa_s<=2h"], list(scenario.agents))
    return search_staffing(
        scenario, targets, groups=["phones", "email_team"], replications=8, seed=3
    )


def test_a_mixed_day_sizes_voice_by_interval_and_email_by_level(mixed):
    result = mixed
    phones = [row.required for row in result.rows if row.group == "phones"]
    email = [row.required for row in result.rows if row.group == "email_team"]
    assert phones.index(max(phones)) == 2  # the 10:00 peak of 400 calls
    assert min(phones) < max(phones) - 5
    # e-mail works its hours (08:00-16:00) at one level, and nobody after them
    assert len(set(email[:8])) == 1 and email[8:] == [0, 0]
    # 460 e-mails (20 % of 2,300) of 8 minutes: 61.3 agent-hours over 8 working hours
    assert email[0] >= math.ceil(460 * 8 / 60 / 8)
    for row in result.rows:
        if row.group == "phones":
            assert not row.misses, (row.label, row.misses)
    assert [row.group for row in result.rows[:2]] == ["email_team", "phones"]  # file order


def test_the_workload_bound_and_the_working_hours():
    scenario = load_scenario_text(MIXED)
    infos, _ = prepare_groups(scenario, parse_targets(["service_level>=0.8"]), ["email_team"])
    info = infos["email_team"]
    working = working_intervals(scenario, info)
    assert working == [True] * 8 + [False] * 2
    bound = workload_bound(scenario, info, group_seeds(scenario, info), working)
    assert bound == math.ceil(460 * 480 / (8 * 3600)) == 8
