"""The examples in the documentation work: scenario blocks load, shown commands succeed.

The ``>>>`` snippets in docs/*.md are doctests, collected by pytest itself (``--doctest-glob``).
This file checks the rest: every fenced YAML block that starts with ``scenario:`` is a valid
scenario (and matches the JSON Schema), and the ``cxsim`` command lines that the tutorial shows
for the bundled scenarios exit with status 0.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from simulator.scenario import ScenarioError, json_schema, load_scenario_text
from tests.paths import ROOT

DOCS = sorted((ROOT / "docs").glob("*.md"))
README = ROOT / "README.md"
TUTORIAL = ROOT / "docs" / "tutorial.md"
_SCRIPT = Path(sys.executable).with_name("cxsim")
CXSIM = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "simulator.cli"]

FENCE = re.compile(r"^```[ \t]*([\w+-]*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    file: Path
    line: int  # of the opening fence, 1-based
    lang: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.file.name}:{self.line}"


def blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    return [
        Block(path, text.count("\n", 0, m.start()) + 1, m.group(1).lower(), m.group(2))
        for m in FENCE.finditer(text)
    ]


def starts_with_scenario(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped.startswith("scenario:")
    return False


def scenario_blocks() -> list[Block]:
    return [
        b
        for path in [*DOCS, README]
        for b in blocks(path)
        if b.lang in ("yaml", "yml") and starts_with_scenario(b.text)
    ]


SCENARIO_BLOCKS = scenario_blocks()


def _params() -> list:
    return [pytest.param(block, id=block.id) for block in SCENARIO_BLOCKS]


def test_the_docs_have_scenario_examples() -> None:
    names = {b.file.name for b in SCENARIO_BLOCKS}
    assert {"tutorial.md", "howto.md"} <= names, names


@pytest.mark.parametrize("block", _params())
def test_scenario_block_loads(block: Block) -> None:
    try:
        load_scenario_text(block.text, block.id)
    except ScenarioError as error:
        pytest.fail(f"{block.id}: the example does not load:\n{error}")


@pytest.mark.parametrize("block", _params())
def test_scenario_block_matches_the_json_schema(block: Block) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(yaml.safe_load(block.text))
    ]
    assert errors == [], block.id


# --------------------------------------------------------------------------------------------
# Command lines shown in the tutorial

RUN_OPTIONS_WITH_VALUE = {"-n", "--replications", "--out", "--workers"}


def shown_commands(path: Path) -> list[list[str]]:
    """``$ cxsim ...`` lines of console blocks, up to a pipe or redirection, as argv lists."""
    out = []
    for block in blocks(path):
        if block.lang not in ("console", "sh", "shell", "bash"):
            continue
        for line in block.text.splitlines():
            if line.startswith("$ cxsim "):
                command = re.split(r"\s[|>]", line[2:], maxsplit=1)[0]
                out.append(shlex.split(command))
    return out


def _fast(argv: list[str], out: Path) -> list[str]:
    """A run made small: two replications, one worker, output in a temporary folder."""
    args, skip = [], False
    for arg in argv[2:]:
        if skip:
            skip = False
        elif arg in RUN_OPTIONS_WITH_VALUE:
            skip = True
        else:
            args.append(arg)
    return [*argv[:2], *args, "-n", "2", "--workers", "1", "--out", str(out), "-q"]


def bundled_commands() -> list[list[str]]:
    return [argv for argv in shown_commands(TUTORIAL) if any("scenarios/" in a for a in argv)]


def test_the_tutorial_shows_commands_for_the_bundled_scenarios() -> None:
    commands = bundled_commands()
    assert any(argv[1] == "run" for argv in commands)
    assert any(argv[1] == "validate" for argv in commands)
    for argv in commands:
        for arg in argv:
            if arg.startswith("scenarios/"):
                assert (ROOT / arg).is_file(), f"the tutorial names a missing file: {arg}"


def test_tutorial_commands_for_the_bundled_scenarios_succeed(tmp_path: Path) -> None:
    runs = 0
    for i, argv in enumerate(bundled_commands()):
        if argv[1] == "run":
            runs += 1
            if runs > 2:  # keep the suite fast: a couple of runs is enough
                continue
            argv = _fast(argv, tmp_path / f"out{i}")
        done = subprocess.run(
            [*CXSIM, *argv[1:]], cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, (argv, done.stderr)
        assert "Traceback" not in done.stderr
        if argv[1] == "run":
            assert json.loads((tmp_path / f"out{i}" / "results.json").read_text())["metrics"]
