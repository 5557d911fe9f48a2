"""Where simulations run: serial, local processes or a Dask cluster give identical results.

Also ``--replications auto``: a comparison adds replications until its headline differences are
as precise as the targets ask, and says when it could not get there.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest

from simulator.experiment import compare as compare_module
from simulator.experiment.compare import AUTO_START, compare, precision_ratio
from simulator.experiment.executor import ExecutorError, open_executor, run_tasks
from simulator.experiment.replicate import run_many, run_replications
from simulator.report.comparison import comparison_document, precision_sentence
from simulator.scenario import load_scenario
from simulator.scenario.schema import Scenario
from tests.paths import ROOT
from tests.test_cli import TINY, cxsim, invoke

AI_BOT = ROOT / "scenarios" / "ecommerce_ai_bot.yaml"


def _slow_square(x: int, delay: float) -> int:
    time.sleep(delay)
    return x * x


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return path


def test_results_come_back_in_submission_order_whatever_finishes_first() -> None:
    finished: list[int] = []
    with open_executor(workers=2, tasks=3) as pool:
        assert pool is not None
        # the first task is the slowest: it finishes last but is still first in the list
        squares = run_tasks(
            _slow_square,
            [(3, 0.6), (4, 0.0), (5, 0.0)],
            pool,
            on_result=lambda i, _: finished.append(i),
        )
    assert squares == [9, 16, 25]
    assert finished[-1] == 0 and sorted(finished) == [0, 1, 2]


def test_one_worker_or_one_task_runs_in_this_process_without_a_pool() -> None:
    with open_executor(workers=1) as pool:
        assert pool is None
    with open_executor(workers=8, tasks=1) as pool:
        assert pool is None


def test_a_pool_gives_the_same_replications_as_a_serial_run(tiny: Path) -> None:
    scenario = load_scenario(tiny)
    serial = run_replications(scenario, 3, seed=5, workers=1)
    with open_executor(workers=2, tasks=6) as pool:
        a, b = run_many([scenario, scenario], 3, seed=5, executor=pool)
    assert a.per_replication == serial.per_replication == b.per_replication


def test_later_replications_continue_the_first_ones(tiny: Path) -> None:
    scenario = load_scenario(tiny)
    whole = run_many([scenario], 4, seed=2)[0]
    head = run_many([scenario], 2, seed=2)[0]
    tail = run_many([scenario], 2, seed=2, first=2)[0]
    assert head.per_replication + tail.per_replication == whole.per_replication


@pytest.fixture(autouse=True)
def _give_up_on_schedulers_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXSIM_SCHEDULER_TIMEOUT", "1s")


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    with pytest.raises(ExecutorError, match="cannot reach the Dask scheduler"):  # noqa: SIM117
        with open_executor(scheduler="tcp://127.0.0.1:9"):
            pass


def test_cli_unreachable_scheduler_exits_2_without_a_traceback(tiny: Path, tmp_path: Path) -> None:
    done = cxsim("run", tiny, "-n", "2", "--scheduler", "tcp://127.0.0.1:9", "--out", tmp_path)
    assert done.returncode == 2
    assert "cannot reach the Dask scheduler" in done.stderr
    assert "Traceback" not in done.stderr


def test_without_dask_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_dask(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError("No module named 'distributed'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(ExecutorError, match=r"pip install 'cxsim\[dask\]'"):  # noqa: SIM117
        with open_executor(scheduler="tcp://127.0.0.1:8786"):
            pass


# --------------------------------------------------------------------------------------------
# A real Dask cluster on this machine


@pytest.fixture(scope="module")
def dask_scheduler():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_a_dask_cluster_gives_the_same_results_as_local_processes(
    dask_scheduler: str, tiny: Path, tmp_path: Path
) -> None:
    common = ["-n", "4", "--seed", "9", "--json", "-q"]
    local = cxsim("run", tiny, *common, "--workers", "2", "--out", tmp_path / "local")
    dask = cxsim("run", tiny, *common, "--scheduler", dask_scheduler, "--out", tmp_path / "dask")
    assert local.returncode == 0, local.stderr
    assert dask.returncode == 0, dask.stderr
    local_doc, dask_doc = json.loads(local.stdout), json.loads(dask.stdout)
    assert local_doc["metrics"] == dask_doc["metrics"]
    assert local_doc == dask_doc


def test_a_sweep_on_dask_writes_the_same_files_as_local_processes(
    dask_scheduler: str, tiny: Path, tmp_path: Path
) -> None:
    grid = ["--set", "agents.voice.count=3..5", "--set", "channels.voice.service_level=20s,1m"]
    common = ["sweep", tiny, *grid, "-n", "3", "-q"]
    local = cxsim(*common, "--workers", "2", "--out", tmp_path / "local")
    dask = cxsim(*common, "--scheduler", dask_scheduler, "--out", tmp_path / "dask")
    assert local.returncode == 0, local.stderr
    assert dask.returncode == 0, dask.stderr
    for name in ("sweep.csv", "sweep.json"):
        assert (tmp_path / "local" / name).read_text() == (tmp_path / "dask" / name).read_text()


def test_a_comparison_on_dask_matches_the_serial_one(dask_scheduler: str) -> None:
    base = load_scenario(AI_BOT)
    variant = load_scenario(AI_BOT)
    variant = dataclasses.replace(variant, description="same center, run remotely")
    serial = compare(base, {"twin": variant}, 3, seed=4)
    with open_executor(scheduler=dask_scheduler) as executor:
        remote = compare(base, {"twin": variant}, 3, seed=4, executor=executor)
    assert comparison_document(serial) == comparison_document(remote)


# --------------------------------------------------------------------------------------------
# --replications auto


def _with_more_agents(scenario: Scenario, extra: int) -> Scenario:
    """The same center with ``extra`` more agents in every group, all day."""
    return dataclasses.replace(
        scenario,
        agents={
            name: dataclasses.replace(g, schedule=tuple((t, n + extra) for t, n in g.schedule))
            for name, g in scenario.agents.items()
        },
    )


def test_auto_stops_once_the_headline_differences_are_precise_enough(tiny: Path) -> None:
    base = load_scenario(tiny)
    result = compare(base, {"more": _with_more_agents(base, 2)}, "auto", seed=1)
    assert result.precision is not None
    ratio, _ = precision_ratio(result)
    assert result.precision.reached and ratio <= 1.0
    assert result.base.replications == result.precision.replications >= AUTO_START
    by_kpi = {d.kpi: d for d in result.differences["more"]}
    assert by_kpi["overall.service_level"].verdict == "better"
    document = comparison_document(result)
    assert document["auto_replications"]["target_reached"] is True
    assert document["replications"] == result.precision.replications


def test_auto_stops_at_the_maximum_and_says_it_fell_short(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a target no finite number of replications can meet
    monkeypatch.setitem(compare_module.AUTO_TARGETS, "overall.service_level", 1e-9)
    monkeypatch.setattr(compare_module, "AUTO_RELATIVE", 0.0)
    base = load_scenario(tiny)
    result = compare(base, {"more": _with_more_agents(base, 1)}, "auto", seed=1, max_replications=7)
    assert result.precision is not None
    assert not result.precision.reached
    assert result.base.replications == result.variants["more"].replications == 7
    assert result.precision.widest == "more: overall.service_level"
    assert "stopped at the maximum of 7 replications" in precision_sentence(result)


def test_cli_compare_auto_reports_how_it_ended(tmp_path: Path) -> None:
    done = invoke(
        "compare", AI_BOT, AI_BOT, "-n", "auto", "--workers", "1", "--out", tmp_path, "--json"
    )
    assert done.exit_code == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["auto_replications"]["target_reached"] is True
    assert "--replications auto" in done.stderr


def test_replications_must_be_a_number_or_auto(tiny: Path) -> None:
    done = invoke("compare", tiny, tiny, "-n", "many")
    assert done.exit_code == 2
    assert "'many' is not a whole number or 'auto'" in done.stderr
    done = invoke("run", tiny, "-n", "auto")
    assert done.exit_code == 2
    assert "'auto' is not a whole number" in done.stderr
