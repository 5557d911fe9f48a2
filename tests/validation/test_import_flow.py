"""Data flows one way: observers and the report never reach the engine.

Walks the modules of ``simulator/observe`` and ``simulator/report`` with ``ast`` (imports
inside functions and under ``TYPE_CHECKING`` included) and fails on an import against the flow:
``observe`` importing ``model``, ``experiment`` or ``report``; ``report`` importing ``model``.
Only ``experiment`` builds and runs worlds; the staffing search gets its counts through it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import ROOT

PACKAGE = ROOT / "simulator"
FORBIDDEN = {
    "observe": ("simulator.model", "simulator.experiment", "simulator.report"),
    "report": ("simulator.model",),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module an import statement in ``path`` names, with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_against_the_flow(package: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {module}"
        for path in sorted((PACKAGE / package).glob("*.py"))
        for line, module in imported_modules(path)
        if module.startswith(FORBIDDEN[package])
    ]
    assert not wrong, "\n".join(wrong)


def test_only_the_experiment_builds_worlds() -> None:
    """``World`` is imported by the experiment alone (and by the model itself)."""
    users = sorted(
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if any(module == "simulator.model.world.World" for _, module in imported_modules(path))
    )
    assert users == ["simulator/experiment/replication.py"]
