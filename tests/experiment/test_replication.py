"""One replication (simulator.experiment.replication): results, counts, and observers' recorders."""

from __future__ import annotations

import ast
import json
from collections.abc import Sequence
from typing import Any

import pytest

from simulator.experiment.replication import (
    fan_out,
    observed_replication,
    recorded_replication,
    replication_counts,
    run_replication,
)
from simulator.observe.events import ACTIVITIES, JourneyEvent
from simulator.observe.journey import JourneyRecord
from simulator.observe.results import replication_results
from simulator.scenario import load_scenario
from simulator.scenario.schema import Scenario
from tests.paths import ROOT, SCENARIOS


@pytest.fixture(scope="module")
def bot() -> Scenario:
    return load_scenario(SCENARIOS / "ecommerce_ai_bot.yaml")


class Tally:
    """A recorder counting events per activity; ``fail_after`` raises after that many."""

    def __init__(self, keeps_records: bool = False, fail_after: int | None = None) -> None:
        self.keeps_records = keeps_records
        self.fail_after = fail_after
        self.events: list[JourneyEvent] = []
        self.aborted = False

    def __call__(self, event: JourneyEvent) -> None:
        self.events.append(event)
        if self.fail_after is not None and len(self.events) >= self.fail_after:
            raise RuntimeError("recorder broke")

    def finish(self, records: Sequence[JourneyRecord]) -> Any:
        return len(self.events), len(records)

    def abort(self) -> None:
        self.aborted = True


class Watch:
    """A factory watching some replications with a fresh :class:`Tally` each."""

    def __init__(self, replications: set[int], **tally: Any) -> None:
        self.replications = replications
        self.tally = tally
        self.made: list[Tally] = []

    def __call__(self, scenario: Scenario, replication: int, seed: int) -> Tally | None:
        if replication not in self.replications:
            return None
        self.made.append(Tally(**self.tally))
        return self.made[-1]


def test_fan_out_calls_every_recorder_in_turn_and_adds_nothing_for_one():
    seen: list[str] = []
    assert fan_out([]) is None
    single = seen.append
    assert fan_out([single]) is single
    both = fan_out([lambda e: seen.append(f"a{e}"), lambda e: seen.append(f"b{e}")])
    assert both is not None
    both(1)  # type: ignore[arg-type]
    both(2)  # type: ignore[arg-type]
    assert seen == ["a1", "b1", "a2", "b2"]


def test_observers_see_the_run_without_changing_its_results(bot: Scenario):
    plain = run_replication(bot, 1)
    events, records = Watch({1}), Watch({1}, keeps_records=True)
    results, products = observed_replication(bot, 1, bot.seed, [Watch({0}), events, records])
    assert json.dumps(results) == json.dumps(plain)
    assert json.dumps(replication_results(replication_counts(bot, 1), bot)) == json.dumps(plain)
    assert set(products) == {1, 2}  # the first factory does not watch replication 1
    (tally,), (keeper,) = events.made, records.made
    assert tally.events == keeper.events and {e.activity for e in tally.events} <= set(ACTIVITIES)
    assert products[1] == (len(tally.events), 0)  # no records asked for, none kept
    n_events, n_records = products[2]
    finished = plain["journey"]["resolved"] + plain["journey"]["gave_up"]
    assert n_events == len(tally.events) and n_records == finished > 0


def test_a_failing_recorder_aborts_every_recorder_of_the_replication(bot: Scenario):
    calm, broken = Watch({0}), Watch({0}, fail_after=100)
    with pytest.raises(RuntimeError, match="recorder broke"):
        observed_replication(bot, 0, bot.seed, [calm, broken])
    assert calm.made[0].aborted and broken.made[0].aborted
    assert len(calm.made[0].events) == 100  # the run stopped at the failing event


def test_recorded_replication_uses_the_scenario_seed_by_default(bot: Scenario):
    default = recorded_replication(bot, 0, None, Tally())
    assert default == recorded_replication(bot, 0, bot.seed, Tally())
    assert default != recorded_replication(bot, 0, bot.seed + 1, Tally())


def test_only_the_experiment_builds_worlds():
    """``World`` is imported by this module alone (observers, reports, staffing go through it);
    tests/validation/test_layering.py checks the package arrows at large."""
    users = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "simulator").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom)
        and node.module == "simulator.model.world"
        and any(alias.name == "World" for alias in node.names)
    )
    assert users == ["simulator/experiment/replication.py"]
