"""The fuzz test's fast profile (``make fuzz`` runs the long one), and checks of the harness
itself: a fuzzer that cannot see a traceback, a hang or a bad KPI would pass for nothing."""

from __future__ import annotations

import random
import time

import pytest

import simulator.cli
from simulator.scenario import Problem, ScenarioError
from tests.fuzz import check
from tests.fuzz.check import check_mutant, kpi_problems
from tests.fuzz.commands import check_command
from tests.fuzz.corpus import bundled, doc_examples, seeds
from tests.fuzz.mutate import mutant
from tests.fuzz.run import Campaign

#: The fast profile: a few hundred mutants, one accepted mutant in ten simulated, and a few
#: odd command lines (``make fuzz`` runs the long one).
FAST_MUTANTS = 300
FAST_COMMAND_LINES = 10


def test_mutants_are_refused_cleanly_or_run_cleanly() -> None:
    campaign = Campaign(
        FAST_MUTANTS, seed=2026, simulate_every=10, command_lines=FAST_COMMAND_LINES
    ).run()
    assert not campaign.failures, campaign.report()
    # the campaign tested both sides: refusals, and scenarios the engine ran
    assert campaign.kinds["refused"] > FAST_MUTANTS // 2, campaign.summary
    assert campaign.kinds["simulated"] >= 3, campaign.summary
    assert sum(campaign.command_kinds.values()) == FAST_COMMAND_LINES


def test_the_seeds_are_the_bundled_scenarios_and_the_docs_examples() -> None:
    names = {seed.name for seed in seeds()}
    assert {seed.name for seed in bundled()} <= names
    assert len(bundled()) >= 7
    assert any(name.startswith("docs/howto.md") for name in names)
    assert len(doc_examples()) >= 10


def test_a_mutant_is_the_same_text_on_every_run() -> None:
    text = bundled()[0].text
    assert mutant(text, random.Random("1:42")) == mutant(text, random.Random("1:42"))
    assert len({mutant(text, random.Random(f"1:{n}")) for n in range(20)}) > 15


def test_a_traceback_is_caught_and_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str, source: str) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(check, "load_scenario_text", broken)
    outcome = check_mutant(bundled()[0].text)
    assert outcome.kind == "traceback" and "KeyError: 'boom'" in outcome.detail


def test_a_hang_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def stuck(text: str, source: str) -> None:
        time.sleep(10)

    monkeypatch.setattr(check, "load_scenario_text", stuck)
    monkeypatch.setattr(check, "ALARM_S", 1)
    assert check_mutant("scenario: t\n").kind == "hang"


def test_a_slow_validation_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "VALIDATE_CPU_S", 0.0)
    assert check_mutant(bundled()[0].text).kind == "slow"


def test_a_refusal_is_clean_only_when_it_names_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_mutant("scenario: [\n").kind == "refused"

    def unplaced(text: str, source: str) -> None:
        raise ScenarioError([Problem("elsewhere.yaml", None, None, "", "bad")])

    monkeypatch.setattr(check, "load_scenario_text", unplaced)
    assert check_mutant("scenario: t\n").failed


def test_an_odd_command_line_ends_with_status_0_or_2() -> None:
    assert check_command(["run", "nowhere.yaml"]).kind == "refused"
    assert check_command(["schema"]).kind == "ran"


def test_a_command_that_raises_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise KeyError("boom")

    monkeypatch.setattr(simulator.cli, "json_schema", broken)
    outcome = check_command(["schema"])
    assert outcome.failed and "KeyError: 'boom'" in outcome.detail


def test_inconsistent_kpis_are_seen() -> None:
    consistent = {
        "offered": 10.0,
        "answered": 6.0,
        "abandoned": 2.0,
        "blocked": 1.0,
        "closed": 0.0,
        "in_system": 1.0,
        "abandon_rate": 0.2,
        "service_level": 0.5,
        "mean_wait_s": 3.0,
    }
    kpis = {"overall": consistent, "by_channel": {"voice": dict(consistent)}}
    assert kpi_problems(kpis) == []
    assert kpi_problems({"overall": {**consistent, "answered": 7.0}})
    assert kpi_problems({"overall": {**consistent, "service_level": 1.5}})
    assert kpi_problems({"overall": {**consistent, "mean_wait_s": -1.0}})
    assert kpi_problems({**kpis, "by_channel": {"voice": {**consistent, "offered": 9.0}}})
