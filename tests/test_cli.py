"""The ``cxsim`` command line: output files, the results document, reproducibility, bad input.

Runs are tiny (a few hundred customers, two replications, one worker). Exit codes and stderr of
bad input are checked through the real console script in a subprocess, because that is what a
user and a CI job see; the rest goes through ``click.testing.CliRunner`` in this process.
"""

from __future__ import annotations

import inspect
import json
import math
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from simulator import __version__
from simulator.cli import cli
from simulator.scenario import load_scenario
from tests.scenario_texts import VOICE_TO_CHAT

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))
_SCRIPT = Path(sys.executable).with_name("cxsim")
CXSIM = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "simulator.cli"]

# ~300 customers per replication over two 30-minute intervals; 4 agents for a load of 15 Erlangs,
# so every outcome (answered, abandoned, waited) occurs.
TINY = """\
scenario: tiny
seed: 3
horizon: {duration: 1h, interval: 30m}
arrivals: {rate: 300/h}
channels:
  voice: {patience: {exponential: {mean: 2m}}}
agents:
  voice: {count: 4}
handle_time:
  default: {exponential: {mean: 3m}}
"""
TINY_LABELS = ["+0s", "+30m"]

OVERALL_KPIS = (
    "offered",
    "answered",
    "abandoned",
    "blocked",
    "abandon_rate",
    "service_level",
    "within_promise",
    "occupancy",
)
#: Absolute waits: per channel, never for all channels together (docs/reference.md, Scopes).
WAIT_KPIS = ("mean_wait_s", "asa_s", "wait_p90_s")
OUTPUTS = ("results.json", "intervals.csv", "scenario.effective.yaml")
FAST = ["-n", "2", "--workers", "1"]


def runner() -> CliRunner:
    """A runner that keeps stdout and stderr apart (click < 8.2 needs ``mix_stderr=False``)."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)
    return CliRunner()


def invoke(*args: str):
    result = runner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result


def cxsim(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real console script: true exit status, stdout and stderr."""
    return subprocess.run(
        [*CXSIM, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY)
    return path


def run_to(scenario: Path, out: Path, *extra: str) -> Path:
    result = invoke("run", scenario, *FAST, "--out", out, "-q", *extra)
    assert result.exit_code == 0, result.stderr
    return out


# --------------------------------------------------------------------------------------------
# cxsim run: files and the results document


def test_run_writes_results_intervals_and_effective_scenario(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("run", tiny, *FAST, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    # The summary table, with the files it wrote.
    assert "tiny: 2 replication(s), seed 3" in result.stdout
    assert "Offered contacts" in result.stdout
    assert "Wrote " + str(out / "results.json") in result.stdout

    document = json.loads((out / "results.json").read_text())
    assert document["scenario"] == "tiny" and document["replications"] == 2
    rows = (out / "intervals.csv").read_text().splitlines()
    assert rows[0] == "interval,scope,name,kpi,mean,ci_low,ci_high"
    assert list(dict.fromkeys(r.split(",")[0] for r in rows[1:])) == TINY_LABELS
    effective = load_scenario(out / "scenario.effective.yaml")
    assert effective.name == "tiny" and effective.seed == 3
    assert not list(out.glob("*.tmp")), "atomic writes leave no temporary files"


def test_run_a_variant_as_a_scenario_of_its_own(tmp_path: Path) -> None:
    """``--variant NAME`` runs what the variant declares, named after it, in its own folder; its
    results are those of a file written with the variant's changes."""
    path = tmp_path / "voice_to_chat.yaml"
    path.write_text(VOICE_TO_CHAT)
    out = tmp_path / "variant"
    result = invoke("run", path, *FAST, "--variant", "chat_first", "--out", out, "--json", "-q")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["scenario"] == "voice-to-chat-chat_first"
    effective = load_scenario(out / "scenario.effective.yaml")
    assert effective.agents["voice_team"].schedule == ((0.0, 5),)
    by_hand = tmp_path / "by_hand.yaml"
    by_hand.write_text(
        VOICE_TO_CHAT.split("variants:")[0]
        .replace(
            "voice_team: {skills: [voice], count: 8}", "voice_team: {skills: [voice], count: 5}"
        )
        .replace("chat_team: {skills: [chat], count: 4}", "chat_team: {skills: [chat], count: 7}")
    )
    same = invoke("run", by_hand, *FAST, "--out", tmp_path / "by_hand", "--json", "-q")
    assert json.loads(same.stdout)["metrics"] == document["metrics"]
    base = invoke("run", path, *FAST, "--out", tmp_path / "base", "--json", "-q")
    assert json.loads(base.stdout)["metrics"] != document["metrics"]


def test_run_an_undeclared_variant_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "voice_to_chat.yaml"
    path.write_text(VOICE_TO_CHAT)
    result = invoke("run", path, *FAST, "--variant", "chat_frist", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "declares no variant 'chat_frist' (variants: chat_first, twin)" in result.stderr
    assert "Traceback" not in result.stderr


def test_json_stdout_has_the_documented_keys(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("run", tiny, *FAST, "--out", out, "--json", "-q")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert result.stdout == (out / "results.json").read_text()

    assert document["scenario"] == "tiny"
    assert document["seed"] == 3
    assert document["replications"] == 2
    metrics = document["metrics"]
    levels = [("overall", kpi) for kpi in OVERALL_KPIS]
    levels += [("by_channel.voice", kpi) for kpi in (*OVERALL_KPIS[:-1], *WAIT_KPIS)]
    for level, kpi in levels:
        estimate = metrics
        for key in level.split("."):
            estimate = estimate[key]
        estimate = estimate[kpi]
        assert set(estimate) == {"mean", "ci_low", "ci_high"}, kpi
        assert all(isinstance(v, float | int) for v in estimate.values()), (kpi, estimate)
        assert estimate["ci_low"] <= estimate["mean"] <= estimate["ci_high"], kpi
    assert not set(WAIT_KPIS) & set(metrics["overall"])
    assert set(metrics["by_channel"]) == {"voice"}
    assert [row["interval"] for row in metrics["by_interval"]] == TINY_LABELS
    for row in metrics["by_interval"]:
        assert set(row) >= {"overall", "by_kind", "by_channel", "by_queue", "by_group", "journey"}
        assert "asa_s" in row["by_channel"]["voice"] and "occupancy" in row["by_group"]["voice"]
    effective = yaml.safe_load((out / "scenario.effective.yaml").read_text())
    assert document["effective_scenario"] == effective

    overall = metrics["overall"]
    assert overall["answered"]["mean"] > 0 and overall["abandoned"]["mean"] > 0
    assert overall["offered"]["mean"] == pytest.approx(
        overall["answered"]["mean"]
        + overall["abandoned"]["mean"]
        + overall["blocked"]["mean"]
        + overall["closed"]["mean"]
        + overall["in_system"]["mean"]
    )


def test_json_with_the_table_sends_the_table_to_stderr(tiny: Path, tmp_path: Path) -> None:
    result = invoke("run", tiny, *FAST, "--out", tmp_path / "out", "--json")
    assert result.exit_code == 0, result.stderr
    json.loads(result.stdout)  # stdout stays pure JSON
    assert "Offered contacts" in result.stderr


def test_quiet_prints_nothing(tiny: Path, tmp_path: Path) -> None:
    result = invoke("run", tiny, *FAST, "--out", tmp_path / "out", "-q")
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


# --------------------------------------------------------------------------------------------
# Reproducibility


def test_same_seed_twice_gives_byte_identical_files(tiny: Path, tmp_path: Path) -> None:
    a = run_to(tiny, tmp_path / "a")
    b = run_to(tiny, tmp_path / "b")
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_one_or_two_workers_give_identical_results(tiny: Path, tmp_path: Path) -> None:
    one = run_to(tiny, tmp_path / "one")
    result = invoke("run", tiny, "-n", "2", "--workers", "2", "--out", tmp_path / "two", "-q")
    assert result.exit_code == 0, result.stderr
    assert (one / "results.json").read_bytes() == (tmp_path / "two" / "results.json").read_bytes()


def test_seed_option_changes_the_results(tiny: Path, tmp_path: Path) -> None:
    base = json.loads((run_to(tiny, tmp_path / "base") / "results.json").read_text())
    other = json.loads((run_to(tiny, tmp_path / "s9", "--seed", "9") / "results.json").read_text())
    assert base["seed"] == 3 and other["seed"] == 9
    assert base["metrics"] != other["metrics"]


def test_more_replications_extend_the_first_ones(tiny: Path, tmp_path: Path) -> None:
    """Replication r depends only on (seed, r): -n 3 starts with the two replications of -n 2."""
    two = invoke("run", tiny, "-n", "2", "--workers", "1", "--out", tmp_path / "2", "--json", "-q")
    three = invoke("run", tiny, "-n", "3", "--workers", "1", "--out", tmp_path / "3", "--json")
    assert two.exit_code == 0 and three.exit_code == 0
    customers = re.search(r"seed 3, ([\d,]+) customers", three.stderr)
    assert customers is not None
    offered_two = json.loads(two.stdout)["metrics"]["overall"]["offered"]["mean"] * 2
    offered_three = json.loads(three.stdout)["metrics"]["overall"]["offered"]["mean"] * 3
    assert int(customers.group(1).replace(",", "")) == round(offered_three)
    assert offered_three > offered_two


def test_effective_scenario_reruns_to_the_same_results(tiny: Path, tmp_path: Path) -> None:
    first = run_to(tiny, tmp_path / "first")
    again = run_to(first / "scenario.effective.yaml", tmp_path / "again")
    assert (first / "results.json").read_bytes() == (again / "results.json").read_bytes()
    effective = (first / "scenario.effective.yaml").read_bytes()
    assert (again / "scenario.effective.yaml").read_bytes() == effective


def test_effective_scenario_records_the_seed_override(tiny: Path, tmp_path: Path) -> None:
    first = run_to(tiny, tmp_path / "first", "--seed", "9")
    assert yaml.safe_load((first / "scenario.effective.yaml").read_text())["seed"] == 9
    again = run_to(first / "scenario.effective.yaml", tmp_path / "again")
    assert (first / "results.json").read_bytes() == (again / "results.json").read_bytes()


# --------------------------------------------------------------------------------------------
# Bad input, through the real console script

BAD_INPUT = {
    "missing-file": (None, r"^nope\.yaml: no such file"),
    "yaml-syntax": (
        "scenario: x\nhorizon: {duration: 1h\narrivals: [\n",
        r"^bad\.yaml:3:\d+: (did not find )?expected ',' or '\}'",
    ),
    "unknown-key": (
        TINY.replace("patience:", "paitence:"),
        r"^bad\.yaml:6:11: channels\.voice\.paitence: unknown key 'paitence' "
        r"\(did you mean 'patience'\?\)$",
    ),
    "unknown-skill": (
        TINY + "routing:\n  - to: voise\n",
        rf"^bad\.yaml:{len(TINY.splitlines()) + 2}:9: routing\[0\]\.to: "
        r"no agent group has skill 'voise' \(did you mean 'voice'\?\)$",
    ),
}


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_exits_2_with_file_line_col_and_no_traceback(
    case: str, command: str, tmp_path: Path
) -> None:
    text, expected = BAD_INPUT[case]
    name = "nope.yaml" if text is None else "bad.yaml"
    if text is not None:
        (tmp_path / name).write_text(text)
    extra = [*FAST, "--out", "out"] if command == "run" else []
    done = cxsim(command, name, *extra, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert re.search(expected, done.stderr, re.MULTILINE), done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "out").exists()


def test_bad_option_is_a_usage_error(tiny: Path) -> None:
    done = cxsim("run", tiny, "-n", "0")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "--replications" in done.stderr


def test_unwritable_output_folder_is_bad_input(tiny: Path, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    done = cxsim("run", tiny, *FAST, "--out", tmp_path / "a-file" / "out", "-q")
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    assert "cannot create the output folder" in done.stderr


# --------------------------------------------------------------------------------------------
# cxsim validate and cxsim schema


def test_validate_accepts_the_bundled_scenarios() -> None:
    assert len(BUNDLED) >= 2
    done = cxsim("validate", *BUNDLED)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == len(BUNDLED)
    assert all(line.startswith("ok  ") for line in lines)


def test_validate_reports_a_broken_file_among_good_ones(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(TINY.replace("patience:", "paitence:"))
    result = invoke("validate", BUNDLED[0], broken)
    assert result.exit_code == 2
    assert result.stdout.startswith(f"ok  {BUNDLED[0]}")
    assert f"{broken}:6:" in result.stderr and "did you mean 'patience'?" in result.stderr


def test_schema_is_a_valid_json_schema_that_accepts_the_bundled_scenarios(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    for path in BUNDLED:
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text()))]
        assert errors == [], path
    # The effective scenario cxsim writes is in the language too.
    out = run_to(BUNDLED[0], tmp_path / "out")
    effective = yaml.safe_load((out / "scenario.effective.yaml").read_text())
    assert [e.message for e in validator.iter_errors(effective)] == []


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and __version__ in result.stdout


# --------------------------------------------------------------------------------------------
# Edge cases


def test_nobody_answers_without_agents(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(
        "scenario: nobody-home\n"
        "horizon: {duration: 1h}\n"
        "arrivals: {rate: 120/h}\n"
        "channels:\n  voice: {patience: 2m}\n"
        "agents:\n  voice: {count: 0}\n"
        "handle_time: {default: 3m}\n"
    )
    result = invoke("run", path, *FAST, "--out", tmp_path / "out", "--json", "-q")
    assert result.exit_code == 0, result.stderr
    overall = json.loads(result.stdout)["metrics"]["overall"]
    assert overall["offered"]["mean"] > 0
    assert overall["answered"]["mean"] == 0
    # Everyone hangs up, but those still waiting at closing time, who are told it is closed.
    closed = overall["closed"]["mean"]
    assert overall["abandoned"]["mean"] + closed == overall["offered"]["mean"]
    assert overall["abandon_rate"]["mean"] + overall["closed_rate"]["mean"] == pytest.approx(1.0)
    assert overall["service_level"]["mean"] == 0.0
    assert overall["occupancy"]["mean"] is None
    voice = json.loads(result.stdout)["metrics"]["by_channel"]["voice"]
    assert voice["asa_s"] == {"mean": None, "ci_low": None, "ci_high": None}
    assert voice["mean_wait_s"]["mean"] == pytest.approx(120.0)


def test_one_replication_has_no_confidence_interval(tiny: Path, tmp_path: Path) -> None:
    result = invoke("run", tiny, "-n", "1", "--out", tmp_path / "out", "--json", "-q")
    assert result.exit_code == 0
    offered = json.loads(result.stdout)["metrics"]["overall"]["offered"]
    assert offered["mean"] > 0 and offered["ci_low"] is None and offered["ci_high"] is None


@pytest.mark.parametrize("first_has_it", [True, False])
def test_counts_seen_in_some_replications_only(first_has_it: bool) -> None:
    """An event that happened in one replication of two: its mean count is 0.5, never lost."""
    from simulator.experiment.replicate import summarize, to_jsonable

    seen = {"context_losses": {"transfer:front->back": 1.0}}
    unseen: dict = {"context_losses": {}}
    reps = [seen, unseen] if first_has_it else [unseen, seen]
    summary = to_jsonable(summarize(reps))
    assert summary["context_losses"]["transfer:front->back"]["mean"] == 0.5


# --------------------------------------------------------------------------------------------
# Progress bar and interruption

# ~20,000 customers per replication: each takes a good fraction of a second, so a terminal would
# see the bar (it draws after 0.5 s).
SLOW = TINY.replace("rate: 300/h", "rate: 20000/h").replace("count: 4", "count: 70")


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CXSIM_PROGRESS_DELAY", "0")  # as the terminal test below: no delay
    path = tmp_path / "slow.yaml"
    path.write_text(SLOW)
    done = cxsim("run", path, "-n", "3", "--workers", "1", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr and "[#" not in done.stderr and "[." not in done.stderr
    assert "Offered contacts" in done.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_is_drawn_on_a_terminal(tmp_path: Path) -> None:
    """The positive control of the test above: the same run on a pseudo-terminal draws it."""
    import pty

    path = tmp_path / "slow.yaml"
    path.write_text(SLOW)
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen(
            [*CXSIM, "run", str(path), "-n", "3", "--workers", "1", "--out", str(tmp_path / "o")],
            stdout=subprocess.DEVNULL,
            stderr=slave,
            # the bar waits half a second by default, longer than this run on a fast machine
            env={**os.environ, "CXSIM_PROGRESS_DELAY": "0"},
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        assert process.wait(timeout=120) == 0
    finally:
        os.close(master)
    drawn = b"".join(chunks).decode()
    assert "\rtiny [" in drawn and "3/3" in drawn


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_interrupt_exits_130_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "slow.yaml"
    path.write_text(SLOW)
    # Import the CLI first and say so, so the signal lands inside the command, not in imports.
    code = "import sys; from simulator.cli import main; print('ready', flush=True); main()"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "run", str(path), "-n", "200", "--workers", "1", "-q"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "ready\n"
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert not (tmp_path / "reports").exists()


def test_kpis_in_results_are_finite_or_null(tiny: Path, tmp_path: Path) -> None:
    """JSON has no NaN: undefined values are null, never NaN or Infinity."""
    text = (run_to(tiny, tmp_path / "out") / "results.json").read_text()
    assert "NaN" not in text and "Infinity" not in text

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, float):
            assert math.isfinite(node)

    walk(json.loads(text))


def test_tables_never_show_a_share_outside_0_to_100_percent() -> None:
    """A t-interval over a few replications can pass 100 % ("85.7% [60.6, 110.8]"); what a planner
    reads is clipped to the possible values, while NPS, which can be negative, keeps its bound."""
    from simulator.experiment.stats import Estimate
    from simulator.report.text import fmt_estimate
    from simulator.staffing.output import _pct

    wide = Estimate(mean=0.857, ci_low=0.606, ci_high=1.108, n=5)
    assert fmt_estimate("service_level", wide) == ("85.7%", "[60.6%, 100.0%]")
    assert _pct(wide, "share") == "85.7% [60.6, 100.0]"
    near_zero = Estimate(mean=0.028, ci_low=-0.024, ci_high=0.080, n=5)
    assert fmt_estimate("abandon_rate", near_zero) == ("2.8%", "[0.0%, 8.0%]")
    assert _pct(near_zero, "share") == "2.8% [0.0, 8.0]"
    assert fmt_estimate("mean_wait_s", Estimate(3.0, -1.0, 7.0, 5))[1] == "[0.0s, 7.0s]"
    nps = Estimate(mean=-5.0, ci_low=-12.0, ci_high=2.0, n=5)
    assert fmt_estimate("nps", nps) == ("-5.0", "[-12.0, 2.0]")
    assert _pct(nps, "number") == "-5 [-12, 2]"
