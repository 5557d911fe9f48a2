"""The seeds the fuzzer mutates: the bundled scenarios and the YAML examples of the docs.

Every seed is a text a user could have started from. The bundled scenarios are complete and
exercise every block; the docs' examples add the shapes the how-to recipes teach (variants,
redirects, bots, callbacks, per-interval lists) and fragments that are not scenarios at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```[ \t]*([\w+-]*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Seed:
    name: str  # scenarios/retail_bank_siloed.yaml or docs/howto.md:23
    text: str


def bundled() -> list[Seed]:
    return [
        Seed(f"scenarios/{path.name}", path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / "scenarios").glob("*.yaml"))
    ]


def doc_examples() -> list[Seed]:
    seeds = []
    for path in [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match.group(1).lower() in ("yaml", "yml"):
                line = text.count("\n", 0, match.start()) + 1
                name = f"{path.relative_to(ROOT)}:{line}"
                seeds.append(Seed(name, match.group(2)))
    return seeds


def seeds() -> list[Seed]:
    """Every seed, in a fixed order (a mutant's number picks its seed). The bundled scenarios
    come three times: complete scenarios give mutants that still run, which the engine needs."""
    scenarios = bundled()
    return [*scenarios, *scenarios, *scenarios, *doc_examples()]
