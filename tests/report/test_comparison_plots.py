"""The comparison charts: journeys, one row of panels per channel, one panel per team,
frustration and costs, as deterministic PNG files."""

from __future__ import annotations

import struct

import pytest

from simulator.cli_common import declared_variants
from simulator.experiment.compare import Comparison, compare
from simulator.experiment.verdicts import GROUP
from simulator.report.comparison import (
    CHANNELS_PNG,
    COSTS_PNG,
    FRUSTRATION_PNG,
    HEADLINE_PNG,
    TEAMS_PNG,
)
from simulator.report.comparison_plots import channels_plot, comparison_plots
from simulator.scenario import load_scenario
from tests.paths import SCENARIOS
from tests.scenario_texts import VOICE_TO_CHAT

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _height(png: bytes) -> int:
    """The pixel height in a PNG's header chunk."""
    assert png.startswith(PNG_SIGNATURE)
    return struct.unpack(">I", png[20:24])[0]


@pytest.fixture(scope="module")
def shift(tmp_path_factory: pytest.TempPathFactory) -> Comparison:
    path = tmp_path_factory.mktemp("shift") / "voice_to_chat.yaml"
    path.write_text(VOICE_TO_CHAT)
    return compare(load_scenario(path), declared_variants(path), 3)


@pytest.fixture(scope="module")
def single() -> Comparison:
    """One channel and one team: the single queue against itself."""
    base = load_scenario(SCENARIOS / "single_queue.yaml")
    return compare(base, {"same": base}, 2)


def test_every_chart_in_report_order(shift: Comparison) -> None:
    plots = comparison_plots(shift)
    assert list(plots) == [HEADLINE_PNG, CHANNELS_PNG, TEAMS_PNG, FRUSTRATION_PNG]
    assert COSTS_PNG not in plots  # the scenario has no costs block
    for data in plots.values():
        assert data.startswith(PNG_SIGNATURE)
    assert comparison_plots(shift) == plots  # byte for byte


def test_one_row_of_panels_per_channel(shift: Comparison, single: Comparison) -> None:
    two, one = _height(channels_plot(shift)), _height(channels_plot(single))
    assert two > 1.6 * one


def test_no_team_chart_without_team_figures(shift: Comparison) -> None:
    without = Comparison(
        shift.base,
        shift.variants,
        {n: [d for d in ds if d.scope != GROUP] for n, ds in shift.differences.items()},
    )
    assert TEAMS_PNG not in comparison_plots(without)


def test_costs_are_charted_when_priced() -> None:
    bank = SCENARIOS / "retail_bank_siloed.yaml"
    c = compare(load_scenario(bank), {"shared_record": declared_variants(bank)["shared_record"]}, 2)
    plots = comparison_plots(c)
    assert list(plots) == [HEADLINE_PNG, CHANNELS_PNG, TEAMS_PNG, FRUSTRATION_PNG, COSTS_PNG]
