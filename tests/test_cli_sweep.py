"""``cxsim sweep`` (simulator/cli_sweep.py): bad input through the real command, --resume, the
sweeps in the docs, and a killed or interrupted sweep through the real console script.

Most runs are tiny (a few hundred customers, a few replications, one worker) and go through
``click.testing.CliRunner`` in this process. Kill, Ctrl-C and exit statuses go through the real
console script in a subprocess, because that is what a user sees. The --set grammar, the
points, the store and the curves are tested in tests/experiment/test_sweep.py.
"""

from __future__ import annotations

import inspect
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
    build_sweep,
    prepare_store,
    run_sweep,
)
from simulator.report.sweep import sweep_csv, sweep_json
from tests.paths import ROOT
from tests.sweep_files import TINY, complete_lines

_SCRIPT = Path(sys.executable).with_name("cxsim")
CXSIM = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "simulator.cli"]

# ~5,000 customers per replication: a tenth of a second or more each, slow enough to kill a
# sweep halfway through.
# Long enough per task (about 0.1 s on this machine in 2026-12) that the kill tests below can
# stop it between tasks, however fast the engine gets: they poll every 10 ms.
#: Long enough that an interrupt lands while work remains, on a loaded machine too (a faster
#: engine once let the sweep finish between its first saved task and the signal).
SLOW = """\
scenario: slow
horizon: {duration: 48h}
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


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return path


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
