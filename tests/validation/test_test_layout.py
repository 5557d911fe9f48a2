"""Tests mirror modules: from a module's name you find its tests, and every test file says which
module it tests (issue #17, item 7).

``simulator/<package>/<module>.py`` is tested in ``tests/<package>/test_<module>.py``, or in
several files ``tests/<package>/test_<module>_<aspect>.py`` when one module's behaviour fills
more than one (``simulator/<module>.py``: ``tests/test_<module>*.py``). Suites that check the
project across modules live apart, in ``tests/validation/`` (and the fuzzer in ``tests/fuzz/``,
golden results in ``tests/golden/``). Shared builders and helpers are modules without the
``test_`` prefix, which pytest does not collect.

So this fails for a module without a test file of its name, and for a test file under a package
folder whose name starts with no module of that package (a topic name), so topic names cannot
creep back. Each exemption says why; an exemption no longer needed fails too.
"""

from __future__ import annotations

from pathlib import Path

from tests.paths import ROOT

SOURCE = ROOT / "simulator"
TESTS = ROOT / "tests"

#: Test folders that mirror no package: suites across modules, the fuzzer, golden results.
APART = frozenset({"validation", "fuzz", "golden"})

#: Modules with no test file of their name, each with the reason (keep it empty).
MODULES_WITHOUT_TESTS: dict[str, str] = {}

#: Test files that name no module of their folder's package, each with the reason.
TESTS_WITHOUT_MODULE: dict[str, str] = {
    "tests/test_packages.py": (
        "checks the public entry points of every package at once (issue #17, item 6): it "
        "belongs to no one module and, being another task's file, is not moved here"
    ),
}


def modules() -> dict[Path, set[str]]:
    """Module names by their folder relative to simulator/ (``Path('.')`` for the top)."""
    found: dict[Path, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        if path.name != "__init__.py":
            found.setdefault(path.parent.relative_to(SOURCE), set()).add(path.stem)
    return found


def collected_test_files() -> list[Path]:
    """Every collected test file outside the folders kept apart, relative to the repository."""
    return sorted(
        path.relative_to(ROOT)
        for path in TESTS.rglob("test_*.py")
        if path.relative_to(TESTS).parts[0] not in APART
    )


def test_every_module_has_a_test_file_of_its_name():
    missing = []
    for folder, names in sorted(modules().items()):
        for name in sorted(names):
            module = (Path("simulator") / folder / f"{name}.py").as_posix()
            tests = list((TESTS / folder).glob(f"test_{name}*.py"))
            if not tests and module not in MODULES_WITHOUT_TESTS:
                expected = (Path("tests") / folder / f"test_{name}.py").as_posix()
                missing.append(f"{module}: no {expected}")
    assert missing == [], "modules without tests:\n" + "\n".join(missing)


def test_every_test_file_starts_with_the_name_of_a_module_of_its_package():
    by_folder = modules()
    topics = []
    for path in collected_test_files():
        folder = path.parent.relative_to("tests")
        names = by_folder.get(folder, set())
        named = any(path.stem.startswith(f"test_{name}") for name in names)
        if not named and path.as_posix() not in TESTS_WITHOUT_MODULE:
            known = ", ".join(sorted(names)) or f"none: simulator/{folder} is no package"
            topics.append(f"{path.as_posix()}: modules of its package: {known}")
    assert topics == [], (
        "test files named by topic (name them test_<module>[_<aspect>].py, or move suites "
        "across modules to tests/validation/):\n" + "\n".join(topics)
    )


def test_every_exemption_is_still_needed():
    """An exemption outliving its reason would let the next topic name in unnoticed."""
    for module in MODULES_WITHOUT_TESTS:
        path = ROOT / module
        name = path.stem
        assert path.is_file(), f"{module} is gone: drop its exemption"
        folder = TESTS / path.parent.relative_to(SOURCE)
        assert not list(folder.glob(f"test_{name}*.py")), f"{module} has tests now"
    for test in TESTS_WITHOUT_MODULE:
        assert (ROOT / test).is_file(), f"{test} is gone: drop its exemption"
