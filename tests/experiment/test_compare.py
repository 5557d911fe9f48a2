"""What-if comparisons: common random numbers shown to work, paired CIs, verdicts per channel and
team, labels of compared files, the command. The verdict rule itself is tested in
tests/experiment/test_verdicts.py."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli_common import declared_variants
from simulator.experiment.compare import (
    BETTER,
    DIRECTIONS,
    NEUTRAL,
    SAME,
    TRADE_OFF,
    WORSE,
    Comparison,
    compare,
    file_labels,
    precision_ratio,
    same_demand,
)
from simulator.experiment.verdicts import (
    CHANNEL,
    GROUP,
    RUN,
    Difference,
)
from simulator.scenario import load_scenario
from tests.paths import SCENARIOS
from tests.scenario_texts import VOICE_TO_CHAT

SILOED = SCENARIOS / "retail_bank_siloed.yaml"
OMNI = SCENARIOS / "retail_bank_omnichannel.yaml"
CXSIM = Path(sys.executable).with_name("cxsim")
#: Absolute waits of all channels together: voice seconds and e-mail hours do not average.
BLENDED_WAITS = ("overall.asa_s", "overall.mean_wait_s", "overall.wait_p90_s")


@pytest.fixture(scope="module")
def bank() -> Comparison:
    return compare(load_scenario(SILOED), {"omnichannel": load_scenario(OMNI)}, 5)


@pytest.fixture(scope="module")
def shift_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shift") / "voice_to_chat.yaml"
    path.write_text(VOICE_TO_CHAT)
    return path


@pytest.fixture(scope="module")
def shift(shift_file: Path) -> Comparison:
    """Three agents moved from voice to chat, and an unchanged twin, 6 paired replications."""
    return compare(load_scenario(shift_file), declared_variants(shift_file), 6)


def _by_key(c: Comparison, name: str) -> dict[str, Difference]:
    return {d.key: d for d in c.differences[name]}


# --------------------------------------------------------------------------------------------
# The trade-off a blended figure would hide


def test_moving_agents_from_voice_to_chat_is_a_trade_off(shift: Comparison) -> None:
    differences = _by_key(shift, "chat_first")
    # Voice gets worse, chat much better, each on its own promise.
    assert differences["by_channel.voice.service_level"].verdict == WORSE
    assert differences["by_channel.voice.abandon_rate"].verdict == WORSE
    assert differences["by_channel.chat.service_level"].verdict == BETTER
    assert differences["by_channel.chat.service_level"].difference.mean > 0.10
    areas = {a.title: a.verdict for a in shift.areas("chat_first")}
    assert areas["voice"] == WORSE and areas["chat"] == BETTER
    assert shift.verdict("chat_first") == TRADE_OFF
    # The team that lost agents works harder, the other less: reported, without a verdict.
    voice_team = differences["by_group.voice_team.occupancy"]
    assert voice_team.difference.ci_low > 0 and voice_team.verdict == NEUTRAL
    assert differences["by_group.chat_team.occupancy"].difference.ci_high < 0


def test_the_summary_sentence_names_both_sides(shift: Comparison) -> None:
    sentence = shift.summary("chat_first")
    assert sentence.startswith("chat_first: trade-off: chat better (service level +")
    assert "; voice worse (service level -" in sentence
    assert "abandonment +" in sentence.split("voice worse", 1)[1]


def test_an_identical_variant_is_no_significant_difference_everywhere(shift: Comparison) -> None:
    for d in shift.differences["twin"]:
        # exactly zero (or undefined in both, like blocking on a channel without lines)
        assert d.difference.mean == 0.0 or math.isnan(d.difference.mean), d.key
        assert d.verdict in (SAME, NEUTRAL), d.key
    assert {a.verdict for a in shift.areas("twin")} <= {SAME, NEUTRAL}
    assert shift.verdict("twin") == SAME
    assert shift.summary("twin") == "twin: no significant difference"


def test_a_variant_that_changes_nothing_operational_costs_exactly_the_same() -> None:
    """The shared customer record without a platform price: fewer repeats and less churn, the
    same rota. Its operating cost is identical in every replication (the difference is 0, not
    "not significant"); only the value at risk moves, and the sentence says both."""
    base = load_scenario(SILOED)
    assert base.costs.agent_hour > 0 and base.costs.platform_per_day == 0
    shared = dataclasses.replace(
        base, context=dataclasses.replace(base.context, shared_record=True)
    )
    c = compare(base, {"shared_free": shared}, 3)
    operating = _by_key(c, "shared_free")["costs.operating"]
    assert operating.difference.mean == 0.0
    assert operating.difference.ci_low == operating.difference.ci_high == 0.0
    assert operating.verdict == SAME
    at_risk = _by_key(c, "shared_free")["costs.value_at_risk"]
    assert at_risk.difference.ci_high < 0 and at_risk.verdict == BETTER
    sentence = c.summary("shared_free")
    assert "operating cost unchanged" in sentence and "value at risk -" in sentence
    assert "total" not in sentence


def test_every_channel_and_team_is_compared(shift: Comparison) -> None:
    assert shift.names(CHANNEL) == ["chat", "voice"]
    assert shift.names(GROUP) == ["chat_team", "voice_team"]
    voice = {d.kpi for d in shift.scoped("chat_first", CHANNEL, "voice")}
    assert {"service_level", "abandon_rate", "asa_s", "mean_wait_s", "wait_p90_s"} <= voice
    team = {d.kpi for d in shift.scoped("chat_first", GROUP, "voice_team")}
    assert {"occupancy", "staffed_slot_hours", "busy_slot_hours"} <= team


def test_blended_waits_are_not_compared(shift: Comparison, bank: Comparison) -> None:
    """ASA, mean and p90 wait are compared per channel only, never for all channels."""
    for c in (shift, bank):
        for name in c.variants:
            keys = {d.key for d in c.differences[name]}
            assert not keys & set(BLENDED_WAITS)
            assert "by_channel.voice.asa_s" in keys
    assert not set(DIRECTIONS) & set(BLENDED_WAITS)


# --------------------------------------------------------------------------------------------
# The bundled bank


def test_the_bank_variants_describe_the_same_customers():
    assert same_demand(load_scenario(SILOED), load_scenario(OMNI))


def test_pairing_sharpens_the_bundled_comparison(bank):
    """Paired differences vary less than independent runs would: the point of CRN.

    The siloed bank's voice queue is congested (every social-media redirect is explained again
    on the phone, issue #13), where small differences grow fast and carry into the journeys:
    its service level and ASA still vary less paired, but not by much; the journeys by a third
    or more, first-contact resolution (what sharing the record changes) by far more."""
    by_key = _by_key(bank, "omnichannel")
    limits = {
        "overall.service_level": 1.0,
        "by_channel.voice.service_level": 1.0,
        "by_channel.voice.asa_s": 1.0,
        "journey.frustration.mean_final": 0.8,
        "journey.churn_rate": 0.8,
        "journey.effort": 0.8,
        "journey.nps": 0.8,
        "journey.fcr": 0.5,
    }
    for key, limit in limits.items():
        assert by_key[key].variance_ratio < limit, (key, by_key[key].variance_ratio)


def test_the_bank_story_gets_the_right_verdicts(bank):
    by_key = _by_key(bank, "omnichannel")
    for kpi in ("journey.repeats_per_100", "journey.fcr", "journey.churn_rate", "journey.nps"):
        assert by_key[kpi].verdict == BETTER, kpi
    assert by_key["overall.occupancy"].verdict == NEUTRAL  # no direction of "better"
    assert by_key["by_channel.voice.service_level"].verdict == BETTER
    summary = bank.summary("omnichannel")
    assert "journeys better (repeats -100.0 % [-100.0, -100.0], FCR +" in summary
    assert "voice better (service level +" in summary
    # Money in two sums: the platform's price, and the value no longer put at risk.
    assert "operating cost +900 per run [+900, +900]" in summary
    assert "value at risk -" in summary


# --------------------------------------------------------------------------------------------
# --replications auto


def test_auto_precision_covers_each_channel(shift: Comparison, monkeypatch) -> None:
    from simulator.experiment import compare as compare_module

    monkeypatch.setitem(compare_module.AUTO_CHANNEL_TARGETS, "abandon_rate", 1e-6)
    ratio, where = precision_ratio(shift)
    assert ratio > 1 and where.endswith(".abandon_rate") and ": by_channel." in where


# --------------------------------------------------------------------------------------------
# Labels of compared files


@pytest.mark.parametrize(
    ("files", "labels"),
    [
        (["a/bank.yaml", "b/shop.yaml"], ["bank", "shop"]),
        (["old/bank.yaml", "new/bank.yaml"], ["old/bank.yaml", "new/bank.yaml"]),
        (["bank.yaml", "bank.yaml", "bank.yaml"], ["bank", "bank (2)", "bank (3)"]),
        (["x/bank.yml", "bank.yaml", "bank (2)"], ["x/bank.yml", "bank.yaml", "bank (2)"]),
    ],
)
def test_file_labels_are_all_different(files: list[str], labels: list[str]) -> None:
    assert file_labels(files) == labels
    assert len(set(file_labels(files))) == len(files)


def cxsim(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CXSIM), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_compare_files_writes_a_document_and_a_markdown_table(tmp_path):
    done = cxsim("compare", SILOED, OMNI, "-n", "3", "--workers", "1", "--out", tmp_path, "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document == json.loads((tmp_path / "comparison.json").read_text())
    assert document["base_label"] == "retail_bank_siloed"
    variant = document["variants"]["retail_bank_omnichannel"]  # by file, not scenario name
    assert variant["scenario"] == "retail-bank-omnichannel"
    assert variant["kpis"]["journey.fcr"]["verdict"] == BETTER
    assert "variance ratio" in (tmp_path / "comparison.md").read_text()


def test_two_files_with_the_same_scenario_name_are_told_apart(shift_file: Path, tmp_path: Path):
    other = tmp_path / "fewer_voice.yaml"
    other.write_text(VOICE_TO_CHAT.replace("count: 9", "count: 7"))  # same `scenario:` name
    out = tmp_path / "out"
    done = cxsim("compare", shift_file, other, shift_file, "-n", "2", "--out", out, "-q")
    assert done.returncode == 0, done.stderr
    document = json.loads((out / "comparison.json").read_text())
    assert document["base_label"] == "voice_to_chat"
    assert list(document["variants"]) == ["fewer_voice", "voice_to_chat (2)"]
    assert {v["scenario"] for v in document["variants"].values()} == {"voice-to-chat"}
    markdown = (out / "comparison.md").read_text()
    assert "| fewer_voice |" in markdown and "| voice_to_chat (2) |" in markdown


def test_a_file_without_variants_is_bad_input(tmp_path):
    done = cxsim("compare", OMNI, "-n", "2", "--out", tmp_path)
    assert done.returncode == 2
    assert "declares no variants" in done.stderr and "Traceback" not in done.stderr


def test_two_identical_bundled_scenarios_differ_by_exactly_zero():
    base = load_scenario(SCENARIOS / "ecommerce_ai_bot.yaml")
    twin = dataclasses.replace(base, description="the very same center")
    result = compare(base, {"twin": twin}, 3)
    for d in result.differences["twin"]:
        assert d.difference.mean == 0.0 or math.isnan(d.difference.mean), d.key
        assert d.verdict in (SAME, NEUTRAL), d.key
    assert result.verdict("twin") == SAME
    assert RUN in {d.scope for d in result.differences["twin"]}


def test_observers_follow_each_design_without_changing_the_comparison():
    from simulator.observe.collector import JourneyCollector, WholeRun

    path = SCENARIOS / "retail_bank_siloed.yaml"
    base, variants = load_scenario(path), declared_variants(path)
    kept = [JourneyCollector(WholeRun()) for _ in range(1 + len(variants))]
    watched = compare(base, variants, 2, observers=[[k] for k in kept])
    plain = compare(base, variants, 2)
    for name in variants:
        assert [d.difference for d in watched.differences[name]] == [
            d.difference for d in plain.differences[name]
        ]
    runs = [k.products[0] for k in kept]
    assert all(run[0] for run in runs)  # every design's replication 0, kept whole
    shared = runs[list(variants).index("shared_record") + 1]
    assert sum(r.repeats for r in shared[0]) < sum(r.repeats for r in runs[0][0])
