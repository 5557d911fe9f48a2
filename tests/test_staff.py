"""`cxsim staff`: targets, Erlang seeds, the simulation-based search and what it writes.

The search is checked against the one case with a closed form: a single skill without
abandonment, where each interval's simulated requirement must agree with Erlang C within one
agent (the simulation starts each interval from the one before, so it can be one below the
steady state).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from simulator.analytic import erlang_c_agents_for_service_level
from simulator.cli import cli
from simulator.experiment.compare import compare
from simulator.scenario import load_scenario, load_scenario_text, load_variants_text
from simulator.staffing import TargetError, heads_for, parse_target, parse_targets, search_staffing
from simulator.staffing.output import recommended_heads, variant_overlay
from simulator.staffing.search import staffed_scenario
from simulator.staffing.simulate import run_day

ROOT = Path(__file__).resolve().parent.parent

#: One skill, exponential handle times, nobody abandons, three hours of rising load (4, 10 and
#: 20 Erlangs): Erlang C's own assumptions, interval by interval.
ERLANG = """
scenario: erlang-check
seed: 5
horizon: {duration: 3h, interval: 1h, drain: 1h}
arrivals: {rate: [60/h, 150/h, 300/h]}
channels: {voice: {service_level: 20s}}
agents: {voice: {count: 5}}
handle_time: {default: {exponential: {mean: 4m}}}
"""

#: Two groups on two channels with patience and shrinkage, four half hours, and costs.
SMALL = """
scenario: small-day
seed: 3
horizon: {start: "09:00", end: "11:00", interval: 30m, drain: 1h}
arrivals:
  rate: [100/h, 220/h, 260/h, 120/h]
  first_channel: {voice: 0.7, chat: 0.3}
channels:
  voice: {patience: {exponential: {mean: 5m}}, service_level: 20s}
  chat: {patience: {exponential: {mean: 4m}}, service_level: 60s}
agents:
  phones: {skills: [voice], count: {"09:00": 8, "10:00": 12}, shrinkage: 0.3}
  chats: {skills: [chat], count: 4, concurrency: 2, shrinkage: 0.25}
handle_time:
  default: {exponential: {mean: 3m}}
  by_channel: {chat: {exponential: {mean: 6m}}}
costs: {agent_hour: 30}
"""


# --------------------------------------------------------------------------------------------
# Targets


@pytest.mark.parametrize(
    ("text", "kpi", "op", "value", "threshold", "group"),
    [
        ("service_level>=0.80@20s", "service_level", ">=", 0.8, 20.0, None),
        (" service_level >= 80% @ 30s ", "service_level", ">=", 0.8, 30.0, None),
        ("abandon_rate<=0.05", "abandon_rate", "<=", 0.05, None, None),
        ("asa_s<=30s", "asa_s", "<=", 30.0, None, None),
        ("mean_wait_s<=2m", "mean_wait_s", "<=", 120.0, None, None),
        ("occupancy<=0.85", "occupancy", "<=", 0.85, None, None),
        ("billing:service_level=>0.9", "service_level", ">=", 0.9, None, "billing"),
        (
            "journey.share_angry_or_worse<=0.1",
            "journey.frustration.share_angry_or_worse",
            "<=",
            0.1,
            None,
            None,
        ),
        (
            "journey.frustration.share_angry_or_worse<=0.1",
            "journey.frustration.share_angry_or_worse",
            "<=",
            0.1,
            None,
            None,
        ),
        ("journey.nps>=20", "journey.nps", ">=", 20.0, None, None),
    ],
)
def test_targets_parse(text, kpi, op, value, threshold, group):
    target = parse_target(text, ["billing", "voice"])
    assert (target.kpi, target.op, target.value, target.threshold_s, target.group) == (
        kpi,
        op,
        pytest.approx(value),
        threshold,
        group,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "expected KPI OP VALUE"),
        ("service_level", "expected an operator >= or <="),
        ("service_level>0.8", "use >= or <="),
        ("service_level>=", "expected a value"),
        ("service_level>=high", "expected a share such as 0.8 or 80%"),
        ("service_level>=1.5", "a share between 0 and 1"),
        ("servce_level>=0.8", "unknown KPI 'servce_level'"),
        ("asa_s<=soon", "expected a duration such as 30s"),
        ("abandon_rate<=0.05@20s", "only service_level takes one"),
        ("service_level>=0.8@20 parsecs", "threshold"),
        ("occupancy>=0.8", "use occupancy<="),
        ("service_level<=0.8", "use service_level>="),
        ("journey.share_angry<=0.1", "did you mean 'journey.share_angry_or_worse'?"),
        ("journey.nps<=20", "use journey.nps>="),
        ("billing:journey.nps>=20", "cannot be limited to group 'billing'"),
        ("nobody:service_level>=0.8", "no agent group 'nobody'"),
    ],
)
def test_target_errors_name_the_target_and_what_was_expected(text, expected):
    with pytest.raises(TargetError) as error:
        parse_target(text, ["billing", "voice"])
    assert expected in str(error.value)
    if text:
        assert repr(text) in str(error.value)


def test_targets_need_one_and_one_threshold_per_group():
    with pytest.raises(TargetError, match="no target given"):
        parse_targets([])
    with pytest.raises(TargetError, match="two service-level thresholds"):
        parse_targets(["service_level>=0.8@20s", "service_level>=0.9@30s"])


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


# --------------------------------------------------------------------------------------------
# Shrinkage, thresholds


@pytest.mark.parametrize("shrinkage", [0.0, 0.1, 0.25, 0.3, 0.35, 0.5])
def test_heads_are_the_fewest_the_engine_turns_into_the_agents_needed(shrinkage):
    group = dataclasses.replace(load_scenario_text(ERLANG).agents["voice"], shrinkage=shrinkage)
    for required in range(0, 60):
        heads = heads_for(required, group)
        assert group.on_phones(heads) >= required
        assert heads == 0 or group.on_phones(heads - 1) < required
        assert heads <= math.ceil(required / (1 - shrinkage) - 1e-9)


def test_another_threshold_changes_only_the_service_level_count():
    scenario = load_scenario_text(SMALL)
    from simulator.staffing.search import _with_thresholds

    a = run_day(scenario, 0, 1)
    b = run_day(_with_thresholds(scenario, {"voice": 60.0}), 0, 1)
    voice = a["queues"]["voice"]
    other = b["queues"]["voice"]
    for key in ("offered", "answered", "abandoned", "wait_sum"):
        assert voice[key] == other[key]
    assert all(x <= y for x, y in zip(voice["in_sl"], other["in_sl"], strict=True))
    assert sum(other["in_sl"]) > sum(voice["in_sl"])
    assert a["queues"]["chat"] == b["queues"]["chat"]


# --------------------------------------------------------------------------------------------
# The search


@pytest.fixture(scope="module")
def erlang_result():
    scenario = load_scenario_text(ERLANG)
    return scenario, search_staffing(
        scenario, parse_targets(["service_level>=0.80"]), replications=20, seed=1
    )


def test_simulated_requirement_agrees_with_erlang_c_within_one_agent(erlang_result):
    scenario, result = erlang_result
    mu = 1 / 240
    expected = [
        erlang_c_agents_for_service_level(rate, mu, 20.0, 0.8) for rate in scenario.arrivals.rates
    ]
    assert [row.erlang_c for row in result.rows] == expected
    assert [row.erlang_a for row in result.rows] == [None] * 3  # no patience: no Erlang A
    for row, erlang in zip(result.rows, expected, strict=True):
        assert abs(row.required - erlang) <= 1, (row.label, row.required, erlang)
        assert row.kpis["service_level"].mean >= 0.8
        assert not row.misses
    assert result.settled


def test_more_load_never_needs_fewer_agents(erlang_result):
    scenario, result = erlang_result
    required = [row.required for row in result.rows]
    assert required == sorted(required)  # the load rises from interval to interval
    busier = dataclasses.replace(
        scenario,
        arrivals=dataclasses.replace(
            scenario.arrivals, rates=tuple(1.5 * r for r in scenario.arrivals.rates)
        ),
    )
    more = search_staffing(busier, parse_targets(["service_level>=0.80"]), replications=20, seed=1)
    for low, high in zip(result.rows, more.rows, strict=True):
        assert high.required >= low.required


@pytest.fixture(scope="module")
def small_result():
    scenario = load_scenario_text(SMALL, "small.yaml")
    targets = parse_targets(["service_level>=0.8", "abandon_rate<=0.05"], list(scenario.agents))
    return scenario, search_staffing(scenario, targets, replications=6, seed=2)


def test_every_interval_meets_the_targets_and_one_agent_less_would_not(small_result):
    scenario, result = small_result
    assert result.settled
    assert {row.group for row in result.rows} == {"phones", "chats"}
    assert all(not row.misses for row in result.rows)
    # Erlang A sits below Erlang C (some customers abandon and free the queue).
    assert all(row.erlang_a <= row.erlang_c for row in result.rows)
    # Heads are scheduled with shrinkage, cost is heads x hours x the hourly rate.
    for row in result.rows:
        group = scenario.agents[row.group]
        assert group.on_phones(row.heads) >= row.required
        assert row.cost == pytest.approx(row.heads * 0.5 * 30)
    # The recommended scenario schedules exactly those heads.
    heads = recommended_heads(result)
    for name, values in heads.items():
        schedule = result.recommended.agents[name]
        assert [schedule.heads_at(i * 1800.0) for i in range(4)] == values


def test_the_written_variant_loads_and_compares(small_result, tmp_path):
    scenario, result = small_result
    overlay = variant_overlay(result)
    text = SMALL + yaml.safe_dump(overlay, sort_keys=False)
    variants = load_variants_text(text, "small+variant.yaml")
    recommended = variants["recommended"]
    for name, values in recommended_heads(result).items():
        group = recommended.agents[name]
        assert [group.heads_at(i * 1800.0) for i in range(4)] == values
        assert group.schedule == result.recommended.agents[name].schedule
    comparison = compare(scenario, {"recommended": recommended}, 2)
    assert "recommended" in comparison.differences
    # The variant simulates exactly what the search verified (same customers, same staffing).
    searched = run_day(staffed_scenario(result.measured, _levels(result)), 0, result.seed)
    pasted = run_day(recommended, 0, result.seed)
    for run in (searched, pasted):
        del run["cpu_s"]
    assert searched == pasted


def _levels(result) -> dict[str, list[int]]:
    levels: dict[str, list[int]] = {}
    for row in result.rows:
        levels.setdefault(row.group, []).append(row.required)
    return levels


def test_journey_targets_are_checked_per_interval_with_queue_targets():
    scenario = load_scenario_text(SMALL)
    targets = parse_targets(["service_level>=0.8", "journey.share_angry_or_worse<=0.5"])
    result = search_staffing(scenario, targets, replications=3, max_passes=2)
    for row in result.rows:
        share = row.kpis["journey.frustration.share_angry_or_worse"]
        assert 0.0 <= share.mean <= 0.5
    only_journey = parse_targets(["journey.share_angry_or_worse<=0.1"])
    with pytest.raises(TargetError, match="no queue target applies"):
        search_staffing(scenario, only_journey, replications=2)


def test_backlog_groups_are_left_out_unless_named():
    scenario = load_scenario(ROOT / "scenarios" / "multichannel_day.yaml")
    targets = parse_targets(["service_level>=0.8"], list(scenario.agents))
    from simulator.staffing.search import _prepare

    infos, _ = _prepare(scenario, targets, None)
    assert not infos["email_team"].searched
    assert "asynchronous" in infos["email_team"].reason
    assert all(infos[g].searched for g in ("voice_general", "billing", "chat_support"))
    infos, _ = _prepare(scenario, targets, ["email_team"])
    assert [g for g, i in infos.items() if i.searched] == ["email_team"]
    with pytest.raises(TargetError, match="no such agent group"):
        _prepare(scenario, targets, ["nobody"])


# --------------------------------------------------------------------------------------------
# The command


def test_cli_end_to_end(tmp_path):
    scenario_file = tmp_path / "small.yaml"
    scenario_file.write_text(SMALL)
    out = tmp_path / "staff"
    runner = CliRunner()
    done = runner.invoke(
        cli,
        [
            "staff",
            str(scenario_file),
            "--target",
            "service_level>=0.80@20s",
            "--target",
            "abandon_rate<=0.05",
            "-n",
            "4",
            "--workers",
            "2",
            "--out",
            str(out),
        ],
    )
    assert done.exit_code == 0, done.output
    assert "phones (shrinkage 30%)" in done.output
    for name in (
        "staffing.json",
        "staffing.csv",
        "staffing.png",
        "staffing.variant.yaml",
        "scenario.staffed.yaml",
    ):
        assert (out / name).is_file(), name
    document = json.loads((out / "staffing.json").read_text())
    assert document["service_level_thresholds_s"]["voice"] == 20.0
    assert len(document["rows"]) == 8
    assert document["search"]["simulations"] > 0
    rows = list(csv.DictReader((out / "staffing.csv").open()))
    assert len(rows) == 8
    assert {"erlang_c", "erlang_a", "required", "heads", "cost", "service_level@20s"} <= set(
        rows[0]
    )
    assert (out / "staffing.png").read_bytes().startswith(b"\x89PNG")
    # The overlay pasted into the scenario loads; the staffed scenario compares with the base.
    pasted = SMALL + "\n".join(
        line
        for line in (out / "staffing.variant.yaml").read_text().splitlines()
        if not line.startswith("#")
    )
    assert "recommended" in load_variants_text(pasted)
    compared = runner.invoke(
        cli,
        [
            "compare",
            str(scenario_file),
            str(out / "scenario.staffed.yaml"),
            "-n",
            "2",
            "--workers",
            "1",
            "--out",
            str(tmp_path / "cmp"),
        ],
    )
    assert compared.exit_code == 0, compared.output
    assert "warning" not in compared.output  # the same demand: customers are paired
    # The same search with one worker writes the same document, byte for byte.
    again = runner.invoke(
        cli,
        [
            "staff",
            str(scenario_file),
            "--target",
            "service_level>=0.80@20s",
            "--target",
            "abandon_rate<=0.05",
            "-n",
            "4",
            "--json",
            "--workers",
            "1",
            "--out",
            str(tmp_path / "again"),
            "-q",
        ],
    )
    assert again.exit_code == 0, again.output
    assert json.loads(again.output) == document
    assert (tmp_path / "again" / "staffing.json").read_bytes() == (
        out / "staffing.json"
    ).read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-t", "service_level>0.8"], "use >= or <="),
        ([], "no target given"),
        (["-t", "service_level>=0.8", "--group", "nobody"], "no such agent group"),
        (["-t", "nobody:service_level>=0.8"], "no agent group 'nobody'"),
        (["-t", "journey.nps>=20"], "a journey target alone cannot size a team"),
    ],
)
def test_cli_bad_targets_exit_2(tmp_path, args, message):
    scenario_file = tmp_path / "small.yaml"
    scenario_file.write_text(SMALL)
    done = CliRunner().invoke(
        cli,
        [
            "staff",
            str(scenario_file),
            *args,
            "-n",
            "2",
            "--workers",
            "1",
            "-q",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert done.exit_code == 2, done.output
    assert message in done.output
    assert "Traceback" not in done.output
