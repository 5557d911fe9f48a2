"""Which groups a search sizes, and the service-level thresholds it measures them at."""

from __future__ import annotations

import dataclasses

import pytest

from simulator.scenario import load_scenario, load_scenario_text
from simulator.staffing import TargetError, parse_targets, search_staffing
from simulator.staffing.groups import prepare_groups, with_thresholds
from simulator.staffing.simulate import run_day
from tests.paths import SCENARIOS
from tests.staffing.scenario_texts import SMALL


def test_two_thresholds_on_one_channel_are_refused():
    scenario = load_scenario_text(SMALL)
    targets = parse_targets(
        ["phones:service_level>=0.8@20s", "chats:service_level>=0.8@30s"], ["phones", "chats"]
    )
    search_staffing(scenario, targets, replications=2, max_passes=1)  # different channels: fine
    two = dataclasses.replace(
        scenario,
        agents={
            **scenario.agents,
            "chats": dataclasses.replace(scenario.agents["chats"], skills=("voice",)),
        },
    )
    with pytest.raises(TargetError, match="two service-level thresholds"):
        search_staffing(two, targets, replications=2, max_passes=1)


def test_another_threshold_changes_only_the_service_level_count():
    scenario = load_scenario_text(SMALL)

    a = run_day(scenario, 0, 1)
    b = run_day(with_thresholds(scenario, {"voice": 60.0}), 0, 1)
    voice = a["queues"]["voice"]
    other = b["queues"]["voice"]
    for key in ("offered", "answered", "abandoned", "wait_sum"):
        assert voice[key] == other[key]
    assert all(x <= y for x, y in zip(voice["in_sl"], other["in_sl"], strict=True))
    assert sum(other["in_sl"]) > sum(voice["in_sl"])
    assert a["queues"]["chat"] == b["queues"]["chat"]


def test_backlog_groups_are_left_out_unless_named():
    scenario = load_scenario(SCENARIOS / "multichannel_day.yaml")
    targets = parse_targets(["service_level>=0.8"], list(scenario.agents))
    infos, _ = prepare_groups(scenario, targets, None)
    assert not infos["email_team"].searched
    assert "asynchronous" in infos["email_team"].reason
    assert all(infos[g].searched for g in ("voice_general", "billing", "chat_support"))
    infos, _ = prepare_groups(scenario, targets, ["email_team"])
    assert [g for g, i in infos.items() if i.searched] == ["email_team"]
    with pytest.raises(TargetError, match="no such agent group"):
        prepare_groups(scenario, targets, ["nobody"])
