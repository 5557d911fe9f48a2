"""What every command shares: output checks before simulating, option limits, and bad input
as one message with exit status 2 (issue #16: each of these used to end in a traceback, often
after the simulation had run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.model.test_world import ENDLESS
from tests.test_cli import FAST, TINY, cxsim


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return path


def assert_bad_input(done, message: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert message in done.stderr, done.stderr


@pytest.mark.parametrize("command", ["run", "compare", "sweep", "staff"])
def test_an_empty_out_is_refused_before_anything_is_written(
    command: str, tiny: Path, tmp_path: Path
) -> None:
    """Click reads ``--out ""`` as the current folder: the results landed there silently."""
    extra = {"compare": [tiny], "sweep": ["--set", "agents.voice.count=4,5"]}.get(command, [])
    done = cxsim(command, tiny, *extra, *FAST, "--out", "", "-q", cwd=tmp_path)
    assert_bad_input(done, "Invalid value for '--out': an empty path")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.yaml"]


@pytest.mark.parametrize(
    ("out", "reason"),
    [
        ("/proc/cxsim-out", "cannot create the output folder"),
        ("/sys/kernel/cxsim-out", "cannot create the output folder"),
        ("/proc/self", "cannot write to the output folder"),
    ],
)
def test_an_out_the_system_refuses_is_found_before_simulating(
    tiny: Path, out: str, reason: str
) -> None:
    """Permission bits say /proc and /sys are writable for root; creating a file says not."""
    done = cxsim("run", tiny, *FAST, "--out", out)
    assert_bad_input(done, f"{out}: {reason}")
    assert "customers" not in done.stderr  # no summary: nothing was simulated


def test_an_out_that_is_a_file_is_refused(tiny: Path, tmp_path: Path) -> None:
    done = cxsim("run", tiny, *FAST, "--out", tiny)
    assert_bad_input(done, f"'{tiny}' is a file, not a folder")


def test_checking_an_out_leaves_nothing_behind(tiny: Path, tmp_path: Path) -> None:
    from simulator.cli_common import require_writable

    require_writable(tmp_path / "a" / "b" / "c")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.yaml"]


def test_a_scheduler_that_is_not_an_address_is_a_usage_error(tiny: Path) -> None:
    done = cxsim("run", tiny, *FAST, "--scheduler", "garbage")
    assert_bad_input(done, "'garbage' is not a scheduler address such as tcp://10.0.0.5:8786")


@pytest.mark.parametrize("address", ["tcp://10.0.0.5:8786", "localhost:8786", "tls://[::1]:8786"])
def test_scheduler_addresses_are_accepted(address: str) -> None:
    from simulator.cli_common import scheduler_address

    assert scheduler_address(None, None, address) == address


def test_too_many_replications_are_refused_before_anything_runs(tiny: Path) -> None:
    """``-n 1000000000`` grew by 120 MB a second, queueing a task per replication."""
    done = cxsim("run", tiny, "-n", "1000000000")
    assert_bad_input(
        done,
        "1,000,000,000 is more than the limit of 10,000 "
        "(set CXSIM_MAX_REPLICATIONS to a larger value to allow it)",
    )


def test_a_bad_limit_setting_is_bad_input(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CXSIM_MAX_NODES", "many")  # the command's environment
    done = cxsim("run", tiny, *FAST, "--out", tmp_path / "o")
    assert_bad_input(done, "CXSIM_MAX_NODES='many': expected a whole number")


def test_a_replication_that_never_ends_is_stopped_at_the_event_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nobody answers, customers give up at once and retry at once: without the limit the
    run stepped forever at the first instant."""
    scenario = tmp_path / "endless.yaml"
    scenario.write_text(ENDLESS)
    monkeypatch.setenv("CXSIM_MAX_EVENTS", "100000")
    done = cxsim("run", scenario, "-n", "2", "--workers", "2", "--out", tmp_path / "o")
    assert_bad_input(done, "stopped after 100,000 simulation events")
    assert done.stderr.count("\n") == 1


def test_too_many_workers_are_refused(tiny: Path) -> None:
    done = cxsim("run", tiny, "-n", "2", "--workers", "100000")
    assert_bad_input(done, "100,000 is more than the limit of 256")


def test_a_sweep_too_large_to_simulate_is_refused_before_building_it(tiny: Path) -> None:
    done = cxsim("sweep", tiny, "--set", "agents.voice.count=1..1000", "-n", "1000")
    assert_bad_input(done, "1,000 points x 1,000 replications = 1,000,000 replications")
