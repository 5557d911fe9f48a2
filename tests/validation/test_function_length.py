"""Functions have one job: none in ``simulator/`` runs past 60 lines (issue #17, item 5).

A function's length is counted from its ``def`` line to its last line, docstring included and
decorators left out (so a click command's options do not count, but its parameters do). Nested
functions and methods are measured too, under their qualified names (``World.__init__``,
``outer.inner``). A long function is cut into named steps that the function then lists, as
``search_staffing`` or ``waits_plot`` do.

The few that stay long are in :data:`ALLOWED`, each with the reason. An entry that is no longer
needed (its function got short, was renamed or removed) fails the test too, so the list cannot
go stale.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.paths import ROOT

PACKAGE = ROOT / "simulator"
LIMIT = 60

#: "path::qualified name" -> why it may stay longer than LIMIT lines.
ALLOWED: dict[str, str] = {
    # Engine hot paths, inlined on purpose: every contact (every customer) passes through them,
    # and a helper call costs more than most of their steps (their docstrings say so;
    # benchmarks/bench_engine.py measures it).
    "simulator/model/service.py::QueueService._queue": "engine hot path, inlined for speed",
    "simulator/model/endings.py::JourneyEndings._finish": "engine hot path, inlined for speed",
    # Click commands whose length is their parameters and help text (one parameter per option;
    # the body itself stays under the limit).
    "simulator/cli_calibrate.py::calibrate": "19 lines of parameters, 9 of help; body 33 lines",
    "simulator/cli_schedule.py::schedule": "11 lines of parameters, 8 of help; body 54 lines",
    "simulator/cli_staff.py::staff": "9 lines of parameters, 8 of help; body 50 lines",
}


def functions(source: str) -> Iterator[tuple[str, int, int]]:
    """Every function and method of a module's source: qualified name, first line, length."""

    def walk(node: ast.AST, prefix: str) -> Iterator[tuple[str, int, int]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                assert child.end_lineno is not None
                yield name, child.lineno, child.end_lineno - child.lineno + 1
                yield from walk(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, prefix + child.name + ".")
            else:
                yield from walk(child, prefix)

    yield from walk(ast.parse(source), "")


def long_functions(root: Path = PACKAGE) -> dict[str, tuple[int, int]]:
    """Every function over LIMIT lines under ``root``: "path::name" -> (line, length)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        for name, line, length in functions(path.read_text(encoding="utf-8")):
            if length > LIMIT:
                found[f"{relative}::{name}"] = (line, length)
    return found


def test_no_function_runs_past_the_limit() -> None:
    offenders = [
        f"{key.split('::')[0]}:{line}: {key.split('::')[1]} is {length} lines"
        for key, (line, length) in long_functions().items()
        if key not in ALLOWED
    ]
    assert not offenders, (
        f"functions over {LIMIT} lines (cut them into named steps, or add them to ALLOWED with "
        "the reason they stay whole):\n" + "\n".join(offenders)
    )


def test_every_allowed_function_is_still_long() -> None:
    stale = sorted(set(ALLOWED) - set(long_functions()))
    assert not stale, (
        f"no longer over {LIMIT} lines, renamed or removed: drop them from ALLOWED:\n"
        + "\n".join(stale)
    )


def test_a_long_method_or_nested_function_is_measured_under_its_qualified_name() -> None:
    steps = "".join(f"            x{k} = {k}\n" for k in range(LIMIT))
    source = "class Shop:\n    def open(self):\n        def step():\n" + steps
    source += "        return step\n"
    measured = {name: length for name, _, length in functions(source)}
    assert measured == {"Shop.open": LIMIT + 3, "Shop.open.step": LIMIT + 1}
