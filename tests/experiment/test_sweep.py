"""``cxsim sweep``: the --set grammar, validation like a variant, outputs, parallel and resumed
runs.

Most runs are tiny (a few hundred customers, a few replications, one worker) and go through
``click.testing.CliRunner`` in this process. Kill, Ctrl-C and exit statuses go through the real
console script in a subprocess, because that is what a user sees.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import cli
from simulator.cli_sweep import sweep as cli_sweep
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
from simulator.report.sweep import sweep_csv, sweep_json
from simulator.scenario import ScenarioError
from tests.paths import ROOT

_SCRIPT = Path(sys.executable).with_name("cxsim")
CXSIM = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "simulator.cli"]

# ~150 customers per replication; 2-7 agents for a load of 5 Erlangs, so service level climbs
# from poor to good across the sweep.
TINY = """\
scenario: tiny
seed: 3
horizon: {duration: 1h, interval: 30m}
arrivals: {rate: 150/h}
channels:
  voice: {patience: {exponential: {mean: 2m}}, service_level: 20s}
agents:
  voice: {count: 4}
handle_time:
  default: {exponential: {mean: 2m}}
"""

# ~5,000 customers per replication: a tenth of a second or more each, slow enough to kill a
# sweep halfway through.
# Long enough per task (about 0.1 s on this machine in 2026-12) that the kill tests below can
# stop it between tasks, however fast the engine gets: they poll every 10 ms.
SLOW = """\
scenario: slow
horizon: {duration: 16h}
arrivals: {rate: 1200/h}
channels:
  voice: {patience: {exponential: {mean: 2m}}, service_level: 20s}
agents:
  voice: {count: 20}
handle_time:
  default: {exponential: {mean: 2m}}
"""
SLOW_SETS = ["--set", "agents.voice.count=20,30,40", "-n", "4", "--workers", "1"]
SLOW_TASKS = 12


def runner() -> CliRunner:
    """A runner that keeps stdout and stderr apart (click < 8.2 needs ``mix_stderr=False``)."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)
    return CliRunner()


def invoke(*args: object):
    return runner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def cxsim(*args: object, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CXSIM, *map(str, args)], capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return path


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text())))


def complete_lines(path: Path) -> list[bytes]:
    data = path.read_bytes() if path.exists() else b""
    return data[: data.rfind(b"\n") + 1].splitlines(keepends=True)


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
# Bad input through the real command


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (
            "agents.voice.count=4,abc",
            "--set agents.voice.count=abc: agents.voice.count: expected a whole number",
        ),
        ("agents.voice.count=-1", "agents.voice.count: expected a value >= 0"),
        ("agents.voise.count=4", "agents has no 'voise' (did you mean 'voice'?)"),
        ("agents.voice.cuont=4", "agents.voice.cuont: unknown key 'cuont' (did you mean 'count'?)"),
        ("agentz.voice.count=4", "unknown block 'agentz' (did you mean 'agents'?)"),
        ("agents.voice.count=8..1", "--set agents.voice.count=8..1: the range goes down"),
    ],
)
def test_bad_set_exits_2_naming_the_option_and_key_path(tiny: Path, option: str, expected: str):
    result = invoke("sweep", tiny, "--set", option, "-n", "2", "--out", tiny.parent / "o")
    assert result.exit_code == 2, result.stderr
    assert expected in result.stderr
    assert str(tiny) in result.stderr
    assert not (tiny.parent / "o").exists()  # nothing ran, nothing was created


def test_bad_input_through_the_real_script_has_no_traceback(tiny: Path):
    done = cxsim("sweep", tiny, "--set", "agents.voice.count=x", "--out", tiny.parent / "o")
    assert done.returncode == 2
    assert "--set agents.voice.count=x: agents.voice.count: expected a whole number" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_point_fails_before_anything_runs(tiny: Path):
    result = invoke(
        "sweep", tiny, "--set", "agents.voice.count=3,4,x", "--out", tiny.parent / "o", "-q"
    )
    assert result.exit_code == 2
    assert "--set agents.voice.count=x" in result.stderr
    assert not (tiny.parent / "o").exists()


# --------------------------------------------------------------------------------------------
# The store and --resume


def test_resume_with_more_replications_runs_only_the_new_ones(tiny: Path):
    out = tiny.parent / "o"
    base = ["sweep", tiny, "--set", "agents.voice.count=3,4", "--workers", "1", "--out", out]
    assert invoke(*base, "-n", "2", "-q").exit_code == 0
    assert len(complete_lines(out / STORE_NAME)) == 4
    more = invoke(*base, "-n", "3", "--resume")
    assert more.exit_code == 0
    assert "resuming: 4 of 6 tasks done, running the other 2" in more.stderr
    assert "2 reused from an earlier run" not in more.stdout  # 4 were
    assert "4 reused from an earlier run" in more.stdout
    assert len(complete_lines(out / STORE_NAME)) == 6
    # the same files as a sweep run with 3 replications from the start
    sweep = build_sweep(tiny, ["agents.voice.count=3,4"], 3)
    store = ProgressStore(tiny.parent / "fresh" / STORE_NAME)
    fresh = run_sweep(sweep, store, prepare_store(sweep, store, resume=False))
    assert (out / "sweep.csv").read_text() == sweep_csv(fresh)
    assert (out / "sweep.json").read_text() == sweep_json(fresh)


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


def test_resume_refuses_another_scenario_or_seed(tiny: Path):
    out = tiny.parent / "o"
    args = ["--set", "agents.voice.count=3,4", "-n", "2", "--workers", "1", "--out", out, "-q"]
    assert invoke("sweep", tiny, *args).exit_code == 0
    reseeded = invoke("sweep", tiny, *args, "--seed", "4", "--resume")
    assert reseeded.exit_code == 2
    assert "nothing to resume: it was run with seed 3 (this sweep uses 4)" in reseeded.stderr
    assert "Run without --resume to start over" in reseeded.stderr
    tiny.write_text(TINY.replace("rate: 150/h", "rate: 160/h"))
    changed = invoke("sweep", tiny, *args, "--resume")
    assert changed.exit_code == 2 and "the scenario has changed" in changed.stderr
    assert len(complete_lines(out / STORE_NAME)) == 4  # kept


def test_the_sweeps_in_the_docs_are_valid():
    """Every `$ cxsim sweep` line of the docs parses, and its grid builds on the bundled file."""
    shown = []
    for doc in sorted((ROOT / "docs").glob("*.md")):
        for line in doc.read_text().splitlines():
            if line.startswith("$ cxsim sweep "):
                shown.append(shlex.split(line[len("$ cxsim ") :]))
    assert shown, "the docs show no cxsim sweep command"
    for argv in shown:
        context = cli_sweep.make_context("sweep", argv[1:])
        params = context.params
        sweep = build_sweep(ROOT / params["file"], params["sets"], params["replications"])
        assert len(sweep.points) > 1


def _start_slow(tmp_path: Path, out: Path) -> subprocess.Popen:
    path = tmp_path / "slow.yaml"
    path.write_text(SLOW)
    # Import the CLI first and say so, so that signals land inside the command.
    code = "from simulator.cli import main; print('ready', flush=True); main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "sweep", str(path), *SLOW_SETS, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_some_work(process: subprocess.Popen, store: Path, at_least: int = 2) -> None:
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    deadline = time.monotonic() + 120
    while len(complete_lines(store)) < at_least:
        assert process.poll() is None, "the sweep ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.01)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_killed_sweep_resumes_without_redoing_finished_work(tmp_path: Path):
    out = tmp_path / "killed"
    store = out / STORE_NAME
    process = _start_slow(tmp_path, out)
    try:
        _wait_for_some_work(process, store)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
    before = complete_lines(store)
    assert 2 <= len(before) < SLOW_TASKS, len(before)
    assert not (out / "sweep.csv").exists()

    resumed = cxsim("sweep", tmp_path / "slow.yaml", *SLOW_SETS, "--out", out, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    done = len(before)
    assert f"resuming: {done} of {SLOW_TASKS} tasks done, running the other " in resumed.stderr
    after = complete_lines(store)
    assert after[:done] == before  # finished work untouched, and not run again:
    assert len(after) == SLOW_TASKS  # exactly the missing tasks were added
    keys = [(e["scenario_sha256"], e["replication"]) for e in map(json.loads, after)]
    assert len(set(keys)) == SLOW_TASKS

    sweep = build_sweep(tmp_path / "slow.yaml", ["agents.voice.count=20,30,40"], 4)
    whole = ProgressStore(tmp_path / "whole" / STORE_NAME)
    uninterrupted = run_sweep(sweep, whole, prepare_store(sweep, whole, resume=False))
    assert (out / "sweep.csv").read_text() == sweep_csv(uninterrupted)
    assert (out / "sweep.json").read_text() == sweep_json(uninterrupted)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_exits_130_keeps_the_work_and_says_how_to_resume(tmp_path: Path):
    out = tmp_path / "interrupted"
    store = out / STORE_NAME
    process = _start_slow(tmp_path, out)
    try:
        _wait_for_some_work(process, store, at_least=1)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    saved = len(complete_lines(store))
    assert f"interrupted: {saved} of {SLOW_TASKS} tasks are saved" in stderr
    assert "--resume" in stderr
    assert 1 <= saved < SLOW_TASKS
    assert os.path.getsize(store) == sum(map(len, complete_lines(store)))


@pytest.mark.skipif(sys.platform == "win32", reason="advisory locks are POSIX")
def test_a_second_sweep_in_the_same_folder_is_refused_and_loses_nothing(tmp_path: Path):
    """While one sweep holds the folder, another (with or without --resume) exits 2 naming it,
    and the first one's stored work is untouched; once the first lets go, the folder is free."""
    path = tmp_path / "slow.yaml"
    path.write_text(SLOW)
    out = tmp_path / "shared"
    sweep = build_sweep(path, ["agents.voice.count=20,30,40"], 4)
    holder = ProgressStore(out / STORE_NAME)
    prepare_store(sweep, holder, resume=False)
    holder.append({"format": "kept", "result": {}})
    try:
        for extra in ([], ["--resume"]):
            second = cxsim("sweep", path, *SLOW_SETS, "--out", out, *extra)
            assert second.returncode == 2, second.stderr
            assert f"another cxsim sweep (process {os.getpid()}) is running" in second.stderr
            assert "Traceback" not in second.stderr
        assert complete_lines(out / STORE_NAME) == [b'{"format":"kept","result":{}}\n']
    finally:
        holder.close()
    assert not holder.lock_path.exists()
    third = cxsim("sweep", path, *SLOW_SETS, "--out", out, "-q")
    assert third.returncode == 0, third.stderr
    assert len(complete_lines(out / STORE_NAME)) == SLOW_TASKS
