"""Local workers end with the command that started them (issue #16: after ``kill -9`` of a
sweep, its workers lived on for minutes, holding memory and the caller's output pipe)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator.experiment.executor import open_executor, run_tasks
from tests.paths import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

_SCRIPT = Path(sys.executable).with_name("cxsim")
CXSIM = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "simulator.cli"]


def session_processes(session: int) -> list[int]:
    """Live (not zombie) processes of a session, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) "
        state, sid = fields[0], int(fields[3])
        if sid == session and state != "Z":
            found.append(int(entry.name))
    return found


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.parametrize("after_s", [0.0, 2.0], ids=["as-workers-start", "mid-task"])
def test_kill_9_of_a_sweep_leaves_no_process_behind(tmp_path: Path, after_s: float) -> None:
    command = subprocess.Popen(
        [
            *CXSIM,
            "sweep",
            str(ROOT / "scenarios" / "single_queue.yaml"),
            "--set",
            "agents.agents.count=90..110",
            "-n",
            "2",
            "--workers",
            "2",
            "--out",
            str(tmp_path / "sweep"),
            "-q",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its session id is its pid: every descendant is found by it
    )
    session = command.pid
    try:
        # the command, the forkserver and two workers (and multiprocessing's resource tracker)
        started = wait_for(lambda: len(session_processes(session)) >= 4, timeout=60)
        assert started, f"the pool did not start: {session_processes(session)}"
        time.sleep(after_s)
        assert command.poll() is None, "the sweep ended before it could be killed"
        os.kill(command.pid, signal.SIGKILL)
        # not reaped yet: the command stays a zombie, which must not pass for alive
        assert wait_for(lambda: not session_processes(session), timeout=5), (
            f"left behind 5 s after kill -9: {session_processes(session)}"
        )
    finally:
        for pid in session_processes(session):
            os.kill(pid, signal.SIGKILL)
        command.communicate(timeout=10)


def fail_or_spin(number: int, folder: str) -> None:
    """Task 0 fails after a second; the others note their pid, spin for 20 s and say so."""
    if number == 0:
        time.sleep(1.0)
        raise ValueError("the first task failed")
    (Path(folder) / f"{os.getpid()}.pid").write_text("")
    started = time.monotonic()
    while time.monotonic() - started < 20:
        sum(range(1000))
    (Path(folder) / f"{os.getpid()}.done").write_text("")


def test_a_failed_task_ends_the_other_workers_at_once(tmp_path: Path) -> None:
    """A replication stopped at the event limit (or Ctrl-C) ends the command: the workers are
    ended with it, not waited for (pool.shutdown would wait for the tasks they run)."""
    tasks = [(n, str(tmp_path)) for n in range(3)]
    with (
        pytest.raises(ValueError, match="the first task failed"),
        open_executor(2, tasks=3) as pool,
    ):
        run_tasks(fail_or_spin, tasks, pool)
    spinning = [int(path.stem) for path in tmp_path.glob("*.pid")]
    assert spinning, "no task was running when the first one failed"
    for pid in spinning:
        assert wait_for(lambda pid=pid: not alive(pid), timeout=5), f"worker {pid} still runs"
    assert not list(tmp_path.glob("*.done")), "the command waited for the other tasks to end"


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"
