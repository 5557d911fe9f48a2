"""The report's charts: every one renders a PNG for rich and for bare results, deterministically."""

from __future__ import annotations

import dataclasses
import json
import struct
from pathlib import Path

import pytest

from simulator.experiment.replicate import run_replications
from simulator.report import plots as plots_module
from simulator.report.document import results_document
from simulator.report.plots import PLOTS, all_plots, write_plots
from simulator.scenario import load_scenario
from tests.paths import ROOT

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NAMES = [
    "waits.png",
    "service_by_interval.png",
    "waits_by_interval.png",
    "occupancy_by_interval.png",
    "frustration_by_interval.png",
    "funnel.png",
    "switch_matrix.png",
]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def rich_document() -> dict:
    """Bots, journeys, channel switches: ecommerce_ai_bot, 2 replications."""
    scenario = load_scenario(ROOT / "scenarios" / "ecommerce_ai_bot.yaml")
    # Through JSON, as `cxsim report` reads results.json back.
    return json.loads(json.dumps(results_document(run_replications(scenario, 2, workers=1))))


@pytest.fixture(scope="module")
def bare_document() -> dict:
    """One voice queue, no bots, no switches, no repeats: single_queue cut to an hour."""
    scenario = load_scenario(ROOT / "scenarios" / "single_queue.yaml")
    horizon = dataclasses.replace(scenario.horizon, duration=3600.0, interval=900.0, warmup=600.0)
    scenario = dataclasses.replace(scenario, horizon=horizon)
    return json.loads(json.dumps(results_document(run_replications(scenario, 2, workers=1))))


def test_stable_file_names() -> None:
    assert list(PLOTS) == NAMES


@pytest.mark.parametrize("which", ["rich_document", "bare_document"])
def test_every_plot_is_a_png(which: str, request: pytest.FixtureRequest) -> None:
    document = request.getfixturevalue(which)
    plots = all_plots(document)
    assert list(plots) == NAMES
    for name, data in plots.items():
        width, height = png_size(data)
        assert width >= 600 and height >= 400, name
        assert len(data) > 5_000, name


def test_bare_run_has_empty_states(bare_document: dict) -> None:
    metrics = bare_document["metrics"]
    assert metrics["bots"] == {} and metrics["switches"] == {}
    # The empty switch matrix is a message, not a heatmap: a much smaller, mostly white image.
    assert len(all_plots(bare_document)["switch_matrix.png"]) < 25_000


def test_plots_are_deterministic(bare_document: dict) -> None:
    assert all_plots(bare_document) == all_plots(bare_document)


def test_documents_missing_everything_still_draw() -> None:
    one_replication = {
        "scenario": "x",
        "metrics": {
            "overall": {"offered": {"mean": 10.0, "ci_low": None, "ci_high": None}},
            "by_channel": {
                "$\\frac$ voice": {
                    "offered": {"mean": 10.0, "ci_low": None, "ci_high": None},
                    "mean_wait_s": {"mean": None, "ci_low": None, "ci_high": None},
                }
            },
            "by_interval": [
                {
                    "interval": "+0s",
                    "overall": {"service_level": {"mean": 0.8, "ci_low": None, "ci_high": None}},
                    "by_channel": {
                        "$\\frac$ voice": {
                            "offered": {"mean": 10.0, "ci_low": None, "ci_high": None},
                            "service_level": {"mean": 0.8, "ci_low": None, "ci_high": None},
                            "asa_s": {"mean": None, "ci_low": None, "ci_high": None},
                        }
                    },
                    "by_group": {"team": {"occupancy": {"mean": 0.5}}},
                    "journey": {},
                }
            ],
            "switches": {"a->b": {"mean": 0.0, "ci_low": None, "ci_high": None}},
        },
    }
    for document in ({}, {"metrics": {}}, one_replication):
        for name, data in all_plots(document).items():
            assert data.startswith(PNG_SIGNATURE), name


def _panel_titles(plot, document: dict, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the panels a plot draws (read off the figure before it becomes a PNG)."""
    titles: list[str] = []

    def capture(fig):
        titles.extend("".join(ax.get_title(loc) for loc in ("left", "center")) for ax in fig.axes)
        return PNG_SIGNATURE

    monkeypatch.setattr(plots_module, "png_bytes", capture)
    plot(document)
    return titles


@pytest.mark.parametrize("plot", [plots_module.service_plot, plots_module.waits_by_interval_plot])
def test_interval_plots_have_one_panel_per_channel(
    plot, rich_document: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chat and voice each get their own panel, on their own threshold and time scale: no
    panel draws a figure of all channels together."""
    titles = _panel_titles(plot, rich_document, monkeypatch)
    channels = list(rich_document["metrics"]["by_channel"])
    assert sorted(channels) == ["chat", "voice"]
    assert len(titles) == len(channels)
    for title, channel in zip(titles, channels, strict=True):
        assert title.startswith(f"{channel}: ")


def test_occupancy_plot_draws_each_agent_group(
    rich_document: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    captured: list = []
    monkeypatch.setattr(plots_module, "png_bytes", lambda fig: captured.append(fig) or b"")
    plots_module.occupancy_plot(rich_document)
    occupancy = captured[0].axes[0]
    groups = list(rich_document["metrics"]["by_group"])
    assert [line.get_label() for line in occupancy.get_lines()] == groups


def test_write_plots(tmp_path: Path, bare_document: dict) -> None:
    written = write_plots(bare_document, tmp_path / "out")
    assert [p.name for p in written] == NAMES
    for path in written:
        assert path.read_bytes().startswith(PNG_SIGNATURE)
    assert not list((tmp_path / "out").glob("*.tmp"))
