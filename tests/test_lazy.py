"""One helper gives every package its lazily loaded entry points."""

from __future__ import annotations

import subprocess
import sys

import pytest

import simulator.report


def test_an_unknown_name_is_an_attribute_error_naming_the_package() -> None:
    with pytest.raises(AttributeError, match=r"module 'simulator\.report' has no attribute 'nope'"):
        _ = simulator.report.nope  # type: ignore[attr-defined]


def test_an_entry_point_loads_only_its_own_module() -> None:
    """Reading one name of simulator.report must not load matplotlib (the plots module)."""
    code = "import sys, simulator.report as r; r.write_atomic; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
