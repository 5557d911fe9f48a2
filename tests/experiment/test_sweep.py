"""Sweeps (simulator/experiment/sweep.py): the --set grammar, every point read like the
scenario, the curves, and the progress store a resumed sweep reads.

Runs are tiny (a few hundred customers, a few replications, one worker). The command itself
(bad input, --resume, kill and Ctrl-C) is tested in tests/test_cli_sweep.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.experiment.sweep import (
    STORE_NAME,
    ProgressStore,
    SweepError,
    build_sweep,
    curves,
    parse_set,
    prepare_store,
    run_sweep,
)
from simulator.scenario import ScenarioError
from tests.sweep_files import TINY, complete_lines


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return path


# --------------------------------------------------------------------------------------------
# The --set grammar


@pytest.mark.parametrize(
    ("option", "values", "labels"),
    [
        ("a.b=8..14", (8, 9, 10, 11, 12, 13, 14), None),
        ("a.b=8..14:3", (8, 11, 14), None),
        ("a.b=0..10:4", (0, 4, 8), None),
        ("a.b=0.5..0.9:0.1", (0.5, 0.6, 0.7, 0.8, 0.9), ("0.5", "0.6", "0.7", "0.8", "0.9")),
        ("a.b=-1..1:0.5", (-1.0, -0.5, 0.0, 0.5, 1.0), None),
        ("a.b=0.5,0.7,0.9", (0.5, 0.7, 0.9), None),
        ("a.b=30s, 1m,2m30s", ("30s", "1m", "2m30s"), ("30s", "1m", "2m30s")),
        ("a.b=true,false", (True, False), ("true", "false")),
        ("a.b='x,y',z", ("x,y", "z"), None),
        ("a.b=7", (7,), ("7",)),
        ('a.b={"08:00": 4},{"08:00": 6}', ({"08:00": 4}, {"08:00": 6}), None),
    ],
)
def test_set_values_parse_like_the_scenario(option: str, values: tuple, labels: tuple | None):
    axis = parse_set(option, "f.yaml")
    assert axis.key == "a.b"
    assert axis.values == values
    assert [type(v) for v in axis.values] == [type(v) for v in values]
    if labels:
        assert axis.labels == labels


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("a.b", "expected KEY=VALUES"),
        ("=1,2", "expected KEY=VALUES"),
        ("a.b=", "no values"),
        ("a..b=1", "not a dotted key path"),
        ("a.b=0.5..0.9", "needs a step"),
        ("a.b=9..1", "goes down"),
        ("a.b=1..5:0", "must be positive"),
        ("a.b=1..100000", "at most"),
        ("a.b=1,2,1", "given twice"),
        ("a.b=[1,", "cannot read the values"),
        ("seed=1,2", "same seed"),
        ("variants.x.y=1", "cannot set variants"),
    ],
)
def test_bad_set_syntax_names_the_option(option: str, message: str):
    with pytest.raises(ScenarioError) as caught:
        parse_set(option, "f.yaml")
    text = str(caught.value)
    assert f"--set {option}" in text and message in text, text


def test_every_point_is_read_like_the_scenario(tiny: Path):
    sweep = build_sweep(tiny, ["agents.voice.count=3..5", "channels.voice.service_level=20s,1m"], 2)
    assert len(sweep.points) == 6 and sweep.tasks == 12
    first_axis = [p.scenario.agents["voice"] for p in sweep.points]
    assert [p.positions for p in sweep.points][:3] == [(0, 0), (0, 1), (1, 0)]
    thresholds = [p.scenario.channels["voice"].sl_threshold for p in sweep.points]
    assert thresholds == [20.0, 60.0] * 3  # "1m" read as a duration, like in a file
    assert first_axis[0] != first_axis[-1]
    assert len({p.digest for p in sweep.points}) == 6
    assert sweep.seed == 3 and not any(k[0] == "costs" for k in sweep.kpis)
    # The whole run, then each channel's queue KPIs and each team's occupancy.
    assert ("overall", "service_level") in sweep.kpis
    assert ("by_channel", "voice", "asa_s") in sweep.kpis
    assert ("by_group", "voice", "occupancy") in sweep.kpis
    assert ("overall", "asa_s") not in sweep.kpis  # waits per channel only


def test_a_sweep_with_costs_tabulates_them(tmp_path: Path):
    path = tmp_path / "costly.yaml"
    path.write_text(TINY + "costs: {agent_hour: 30}\n")
    kpis = build_sweep(path, ["agents.voice.count=3,4"], 2).kpis
    assert ("costs", "operating") in kpis and ("costs", "value_at_risk") in kpis
    assert ("costs", "total") not in kpis  # the two are never added


def test_three_parameters_plot_main_effects(tiny: Path):
    sweep = build_sweep(
        tiny,
        [
            "agents.voice.count=3,5",
            "channels.voice.service_level=20s,1m",
            "channels.voice.patience.exponential.mean=1m,3m",
        ],
        2,
    )
    store = ProgressStore(tiny.parent / STORE_NAME)
    result = run_sweep(sweep, store, prepare_store(sweep, store, resume=False))
    lines, note = curves(result, "overall.service_level", 0)
    assert len(lines) == 1 and note == "averaged over the other parameters"
    # The main effect is the mean of the four points at each agent count.
    for i, est in enumerate(lines[0].estimates):
        means = [result.estimate(p.index, "overall.service_level").mean for p in sweep.points]
        at = [m for p, m in zip(sweep.points, means, strict=True) if p.positions[0] == i]
        assert est.mean == pytest.approx(sum(at) / len(at))
    two, _ = curves(result, "overall.service_level", 1)
    assert len(two) == 1


# --------------------------------------------------------------------------------------------
# The store a resumed sweep reads


def test_a_torn_last_line_is_ignored_and_cut_off(tiny: Path):
    sweep = build_sweep(tiny, ["agents.voice.count=3,4"], 2)
    store = ProgressStore(tiny.parent / STORE_NAME)
    full = run_sweep(sweep, store, prepare_store(sweep, store, resume=False))
    lines = complete_lines(store.path)
    store.path.write_bytes(b"".join(lines[:2]) + lines[2][:50])  # killed mid-write
    store = ProgressStore(store.path)
    finished = prepare_store(sweep, store, resume=True)
    assert len(finished.results) == 2
    resumed = run_sweep(sweep, store, finished)
    assert resumed.reused == 2 and resumed.computed == 2
    assert resumed.per_point == full.per_point
    assert len(complete_lines(store.path)) == 4 and store.path.read_bytes().endswith(b"\n")


def test_without_resume_an_interrupted_store_is_kept_and_an_error(tiny: Path):
    sweep = build_sweep(tiny, ["agents.voice.count=3,4"], 2)
    store = ProgressStore(tiny.parent / STORE_NAME)
    run_sweep(sweep, store, prepare_store(sweep, store, resume=False))
    lines = complete_lines(store.path)
    store.path.write_bytes(b"".join(lines[:3]))
    with pytest.raises(SweepError, match=r"finished 3 of 4 tasks\. Add --resume"):
        prepare_store(sweep, ProgressStore(store.path), resume=False)
    assert len(complete_lines(store.path)) == 3
    # A finished sweep, or another one, is simply run again, as `cxsim run` overwrites.
    other = build_sweep(tiny, ["agents.voice.count=5"], 2, seed=9)
    assert prepare_store(other, ProgressStore(store.path), resume=False).results == {}
    assert store.path.read_bytes() == b""
