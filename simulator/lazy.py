"""Entry points of a package that load on first use (PEP 562), written once for every package.

A package lists its entry points (name -> defining module) and gets back its ``__all__``,
``__getattr__`` and ``__dir__``: importing one name does not import the whole package, so the
command line starts faster and matplotlib loads only when a chart is drawn.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_entry_points(
    package: str, entry_points: Mapping[str, str]
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """``(__all__, __getattr__, __dir__)`` for ``package`` whose ``entry_points`` map each name to
    the module that defines it."""
    names = sorted(entry_points)

    def __getattr__(name: str) -> Any:
        module = entry_points.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    def __dir__() -> list[str]:
        return sorted([*vars(sys.modules[package]), *names])

    return names, __getattr__, __dir__
