"""The data flows one way: YAML -> Scenario -> World -> events -> metrics -> results -> report.

Drawn from the imports of every module under ``simulator/`` (imports inside functions included,
since they hide an arrow from a reader but not from the code), no package may import against
the flow. The rules are the house's (README "How the code is laid out" and STYLE): the scenario
language knows nothing of the engine; observers and reports consume events, records and result
documents, never the engine; the engine knows nothing of experiments, reports or the CLI.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import ROOT

PACKAGE = ROOT / "simulator"

#: package -> packages it must not import (as ``simulator.<name>``; ``cli`` covers cli*.py).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "scenario": ("model", "observe", "experiment", "report", "staffing", "calibrate", "cli"),
    "model": ("experiment", "report", "staffing", "calibrate", "cli"),
    "observe": ("model", "experiment", "report", "staffing", "calibrate", "cli"),
    "report": ("model", "cli"),
    "experiment": ("report", "cli"),
}

#: Known violations being removed by work in progress (module -> imported package). Empty is
#: the goal; an entry that no longer violates fails the test, so the list cannot go stale.
KNOWN: set[tuple[str, str]] = set()


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every ``simulator...`` module a file imports, anywhere in it, with the line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            raise AssertionError(f"{path}:{node.lineno}: use absolute imports (simulator....)")
    return [(line, name) for line, name in found if name.startswith("simulator.")]


def target_package(module: str) -> str:
    part = module.split(".")[1]
    return "cli" if part.startswith("cli") else part


def violations() -> set[tuple[str, str, str]]:
    """(file:line, package of the file, package it imports against the flow)."""
    out = set()
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((PACKAGE / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            for line, module in imported_modules(path):
                target = target_package(module)
                if target in forbidden:
                    out.add((f"{rel}:{line}", rel, target))
    return out


def test_no_package_imports_against_the_flow() -> None:
    found = violations()
    unexpected = sorted(
        f"{where} imports simulator.{target}"
        for where, rel, target in found
        if (rel, target) not in KNOWN
    )
    assert not unexpected, "imports against the flow:\n" + "\n".join(unexpected)
    stale = KNOWN - {(rel, target) for _, rel, target in found}
    assert not stale, f"these known violations are gone, remove them from KNOWN: {sorted(stale)}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "from simulator.model.world import World\n",
            ["simulator.model.world", "simulator.model.world.World"],
        ),
        ("def f():\n    import simulator.model.rng\n", ["simulator.model.rng"]),
        ("from simulator import model\n", ["simulator.model"]),
    ],
)
def test_imports_are_found_anywhere(tmp_path: Path, source: str, expected: list[str]) -> None:
    path = tmp_path / "m.py"
    path.write_text(source)
    assert [name for _, name in imported_modules(path)] == expected
