"""``cxsim sweep``'s outputs: sweep.csv and sweep.json carry every point's KPIs with their CIs,
for the whole run, each channel and each team; a plot per parameter and a plot per channel;
the terminal table. Files are the same whatever ran them.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import pytest

from simulator import __version__
from simulator.experiment.sweep import (
    STORE_NAME,
    ProgressStore,
    build_sweep,
    prepare_store,
    run_sweep,
)
from simulator.report.sweep import (
    channel_panels,
    channels_plot_name,
    plot_name,
    run_panels,
    sweep_csv,
    sweep_plots,
)
from tests.scenario_texts import VOICE_TO_CHAT
from tests.sweep_files import TINY, rows
from tests.test_cli_sweep import invoke

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return path


# --------------------------------------------------------------------------------------------
# Results


@pytest.fixture(scope="module")
def agents_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("agents")
    (folder / "tiny.yaml").write_text(TINY)
    out = folder / "out"
    result = invoke(
        "sweep",
        folder / "tiny.yaml",
        "--set",
        "agents.voice.count=2..7",
        "-n",
        "5",
        "--workers",
        "1",
        "--out",
        out,
    )
    assert result.exit_code == 0, result.stderr
    (out / "stdout.txt").write_text(result.stdout)
    return out


def test_service_level_rises_with_agents(agents_sweep: Path):
    table = rows(agents_sweep / "sweep.csv")
    assert [r["agents.voice.count"] for r in table] == ["2", "3", "4", "5", "6", "7"]
    level = [float(r["overall.service_level"]) for r in table]
    # Common random numbers: the same customers meet more agents, so no step goes down ...
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(level)), level
    # ... and the sweep spans poor to good service, with intervals that do not overlap.
    assert level[0] < 0.25 and level[-1] > 0.75, level
    assert float(table[0]["overall.service_level_ci_high"]) < float(
        table[-1]["overall.service_level_ci_low"]
    )
    waits = [float(r["by_channel.voice.asa_s"]) for r in table]
    assert waits[0] > waits[-1]
    assert "overall.asa_s" not in table[0]  # no wait of all channels together


def test_csv_and_json_agree(agents_sweep: Path):
    table = rows(agents_sweep / "sweep.csv")
    document = json.loads((agents_sweep / "sweep.json").read_text())
    assert document["cxsim_version"] == __version__
    assert document["scenario"] == "tiny"
    assert document["seed"] == 3 and document["replications"] == 5
    assert document["parameters"] == [{"key": "agents.voice.count", "values": [2, 3, 4, 5, 6, 7]}]
    assert document["effective_scenario"]["agents"]["voice"]["count"] == 4  # the base
    assert document["effective_scenario"]["seed"] == 3
    header = list(table[0])
    assert header[0] == "agents.voice.count"
    assert len(header) == 1 + 3 * len(document["headline_kpis"])
    for kpi in document["headline_kpis"]:
        assert {kpi, f"{kpi}_ci_low", f"{kpi}_ci_high"} <= set(header)
    assert document["channels"] == ["voice"] and document["groups"] == ["voice"]
    assert not any(h.startswith("costs.") for h in header)
    assert len(document["points"]) == len(table) == 6
    for row, point in zip(table, document["points"], strict=True):
        assert point["parameters"] == {"agents.voice.count": int(row["agents.voice.count"])}
        level = point["kpis"]["overall"]["service_level"]
        assert float(row["overall.service_level"]) == pytest.approx(level["mean"], rel=1e-5)
        assert float(row["overall.service_level_ci_low"]) == pytest.approx(
            level["ci_low"], rel=1e-5
        )
        # the full summary of every point is there, not only the headline KPIs
        assert "by_channel" in point["kpis"] and "journey" in point["kpis"]
        assert point["kpis"]["by_interval"][1]["interval"] == "+30m"


def test_plots_and_table(agents_sweep: Path):
    for name in ("sweep_agents.voice.count.png", "sweep_agents.voice.count_channels.png"):
        assert (agents_sweep / name).read_bytes().startswith(PNG_SIGNATURE)
    assert not list(agents_sweep.glob(".*.tmp"))
    table = (agents_sweep / "stdout.txt").read_text()
    assert "tiny: sweep of 6 point(s) x 5 replication(s), seed 3" in table
    header = table.splitlines()[2].split()
    assert header[:3] == ["agents.voice.count", "SL", "abandon"]  # one channel: no name
    assert "sweep.csv" in table


def test_json_flag_prints_the_sweep_document(tiny: Path):
    out = tiny.parent / "o"
    result = invoke(
        "sweep", tiny, "--set", "agents.voice.count=3,4", "-n", "2", "--workers", "1",
        "--out", out, "--json",
    )  # fmt: skip
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads((out / "sweep.json").read_text())
    assert "sweep of 2 point(s)" in result.stderr  # the table moves to stderr


def test_two_workers_give_identical_files(tiny: Path):
    args = ["--set", "agents.voice.count=3..5", "--set", "channels.voice.service_level=20s,1m"]
    outputs = []
    for workers in ("1", "2"):
        out = tiny.parent / f"w{workers}"
        result = invoke("sweep", tiny, *args, "-n", "3", "--workers", workers, "--out", out, "-q")
        assert result.exit_code == 0
        outputs.append(out)
    for name in (
        "sweep.csv",
        "sweep.json",
        "sweep_agents.voice.count.png",
        "sweep_agents.voice.count_channels.png",
    ):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name


# --------------------------------------------------------------------------------------------
# Per channel and per team


@pytest.fixture(scope="module")
def voice_agents(tmp_path_factory: pytest.TempPathFactory):
    """Voice agents swept from 4 to 8 on the voice-and-chat center: voice climbs, chat stays."""
    folder = tmp_path_factory.mktemp("shift")
    path = folder / "voice_to_chat.yaml"
    path.write_text(VOICE_TO_CHAT)
    sweep = build_sweep(path, ["agents.voice_team.count=4,6,8"], 3)
    store = ProgressStore(folder / STORE_NAME)
    return run_sweep(sweep, store, prepare_store(sweep, store, resume=False))


def test_every_channel_and_team_has_its_columns(voice_agents) -> None:
    table = list(csv.DictReader(io.StringIO(sweep_csv(voice_agents))))
    for channel in ("voice", "chat"):
        for kpi in ("service_level", "abandon_rate", "asa_s", "wait_p90_s"):
            column = f"by_channel.{channel}.{kpi}"
            assert {column, f"{column}_ci_low", f"{column}_ci_high"} <= set(table[0]), column
    for team in ("voice_team", "chat_team"):
        assert f"by_group.{team}.occupancy" in table[0]
    voice = [float(r["by_channel.voice.service_level"]) for r in table]
    chat = [float(r["by_channel.chat.service_level"]) for r in table]
    assert voice[0] < voice[1] < voice[2]
    assert chat[0] == chat[1] == chat[2]  # the same customers meet the same chat team
    busy = [float(r["by_group.voice_team.occupancy"]) for r in table]
    assert busy[0] > busy[-1]


def test_one_panel_per_channel(voice_agents) -> None:
    plots = sweep_plots(voice_agents)
    key = "agents.voice_team.count"
    assert list(plots) == [plot_name(key), channels_plot_name(key)]
    assert all(png.startswith(PNG_SIGNATURE) for png in plots.values())
    grid = channel_panels(voice_agents.sweep)
    assert [[title for title, _ in row] for row in grid] == [
        ["chat: service level", "voice: service level"],
        ["chat: abandonment", "voice: abandonment"],
        ["chat: ASA (answered)", "voice: ASA (answered)"],
    ]
    assert grid[0][1][1] == ("by_channel", "voice", "service_level")
    titles = [title for row in run_panels(voice_agents.sweep) for title, _ in row]
    assert "team voice_team: occupancy" in titles and "team chat_team: occupancy" in titles
