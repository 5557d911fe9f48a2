"""Where things are, for tests at any depth under ``tests/``."""

from __future__ import annotations

from pathlib import Path

#: The checkout's root (holds pyproject.toml, scenarios/, docs/).
ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
DOCS = ROOT / "docs"
GOLDEN = ROOT / "tests" / "golden"
