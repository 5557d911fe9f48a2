"""Odd command lines: every command with options drawn from odd values, run in this process.

A command line is a command, its file argument (a good scenario, a broken one, one that never
ends, ``/dev/zero``, a folder, nothing) and one to three options with values drawn from
:data:`VALUES` (empty, zero, negative, huge, not a number, paths under /proc, a wrong suffix).
It must end with exit status 0, or 2 and a message on stderr; anything else, or an exception
other than the command's own exit, is a failure. The limits that keep the fuzz short are set
for the campaign (:data:`ENVIRONMENT`): the commands' own limits, working as users would set them.
"""

from __future__ import annotations

import os
import random
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from simulator.cli import cli
from tests.fuzz.check import ALARM_S, Hang, Outcome, alarm
from tests.model.test_world import ENDLESS
from tests.test_cli import TINY

#: Limits that keep each command short: a few replications, two workers, small events.
ENVIRONMENT = {
    "CXSIM_MAX_REPLICATIONS": "20",
    "CXSIM_MAX_TASKS": "60",
    "CXSIM_MAX_WORKERS": "2",
    "CXSIM_MAX_EVENTS": "200000",
}
VALUES: tuple[str, ...] = (
    "",
    "0",
    "1",
    "2",
    "-1",
    "abc",
    "1e9",
    "99999999999999999999",
    "/proc/cxsim",
    "/dev/zero",
    "out.txt",
    "events.csv",
    "tcp://host:1",
    "garbage",
    "auto",
    "none",
    "1ms",
    "30s",
    "00:00-24:00",
    "sun,mon",
    "voice",
    "service_level>=0.8@20s",
    "agents.voice.count=1..3",
    "agents.voice.count=1..100000",
    "%d/%m/%Y",
    "é",
)
OPTIONS: dict[str, tuple[str, ...]] = {
    "validate": ("--variant",),
    "run": ("-n", "--seed", "--out", "--workers", "--scheduler", "--events", "--html", "--json"),
    "trace": (
        "--customer",
        "--pick",
        "--segment",
        "--intent",
        "--variant",
        "--compare",
        "--seed",
        "--replication",
        "--format",
    ),
    "compare": ("-n", "--variants", "--out", "--seed", "--html"),
    "sweep": ("--set", "-n", "--out", "--resume"),
    "staff": ("-t", "-g", "-n", "--out"),
    "report": (),
    "calibrate": (
        "--columns",
        "--where",
        "--date-format",
        "--interval",
        "--days",
        "--hours",
        "--threshold",
        "--patience",
        "--out",
    ),
    "schema": (),
}
FLAGS = frozenset({"--html", "--json", "--resume"})


@contextmanager
def workspace() -> Iterator[dict[str, Path]]:
    """A folder with the files the command lines refer to, as the current directory."""
    with tempfile.TemporaryDirectory(prefix="cxsim-fuzz-") as folder:
        root = Path(folder)
        files = {
            "good": root / "good.yaml",
            "endless": root / "endless.yaml",
            "broken": root / "broken.yaml",
            "log": root / "calls.csv",
            "folder": root / "folder",
        }
        files["good"].write_text(TINY)
        files["endless"].write_text(ENDLESS)
        files["broken"].write_text(TINY.replace("patience:", "paitence:"))
        files["log"].write_text(
            "arrival,wait,abandoned,handle\n"
            + "".join(
                f"2024-01-01 09:{m:02d}:00,{m % 9},{int(m % 6 == 0)},{90 + m}\n" for m in range(60)
            )
        )
        files["folder"].mkdir()
        before = os.getcwd()
        saved = {name: os.environ.get(name) for name in ENVIRONMENT}
        os.chdir(root)
        os.environ.update(ENVIRONMENT)
        try:
            yield files
        finally:
            os.chdir(before)
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def command_line(rng: random.Random, files: dict[str, Path]) -> list[str]:
    command = rng.choice(list(OPTIONS))
    argument = {
        "calibrate": rng.choice([files["log"], files["log"], "/dev/zero", files["folder"]]),
        "report": rng.choice([files["folder"], "/proc", "nowhere"]),
    }.get(command) or rng.choice(
        [files["good"], files["good"], files["endless"], files["broken"], "/dev/zero", "nowhere"]
    )
    args = [command, str(argument)] if command != "schema" else [command]
    if command == "compare":
        args.append(str(files["good"]))
    for option in rng.sample(OPTIONS[command], k=min(len(OPTIONS[command]), rng.randint(0, 3))):
        args += [option] if option in FLAGS else [option, rng.choice(VALUES)]
    required = {
        "sweep": ["--set", "agents.voice.count=3,4"],
        "staff": ["-t", "abandon_rate<=0.2", "--max-passes", "1"],
        "calibrate": ["--no-check"],
    }
    args += required.get(command, [])
    if command in ("run", "compare", "sweep", "staff", "calibrate") and "--out" not in args:
        args += ["--out", "out"]
    return args + (["-q"] if command not in ("validate", "trace", "report", "schema") else [])


def check_command(args: list[str]) -> Outcome:
    """Run one command line; a clean exit (0, or 2 with a message) or a failure."""
    try:
        with alarm(ALARM_S):
            result = CliRunner().invoke(cli, args, catch_exceptions=True)
    except Hang as hang:
        return Outcome("hang", f"cxsim {' '.join(args)}: {hang}")
    error = result.exception
    if error is not None and not isinstance(error, SystemExit):
        trace = "".join(traceback.format_exception(error))
        return Outcome("traceback", f"cxsim {' '.join(args)}:\n{trace}")
    if result.exit_code == 0:
        return Outcome("ran")
    output = result.output.strip()
    if result.exit_code == 2 and output and "Traceback" not in output:
        return Outcome("refused")
    return Outcome("traceback", f"cxsim {' '.join(args)}: exit {result.exit_code}: {output[-500:]}")
