"""The calibration report (simulator/calibrate/report.py): the fragment, calibration.md and its
plots written side by side, the same bytes for the same log, and a check section that says
when the check was not run. The command with a check is tested in tests/test_cli_calibrate.py."""

from __future__ import annotations

from pathlib import Path

from simulator.calibrate.fragment import fragment_text
from simulator.calibrate.report import PLOTS, write_report


def test_the_report_without_a_check_has_every_other_plot_and_says_so(cal, tmp_path: Path) -> None:
    written = write_report(tmp_path, cal, fragment_text(cal), None)
    names = [p.name for p in written]
    assert names == ["fragment.yaml", "calibration.md", *PLOTS[:-1]]  # no check.png
    assert "check.png" not in names
    for name in PLOTS[:-1]:
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG"), name
    report = (tmp_path / "calibration.md").read_text()
    assert "## Check: simulated vs observed\n\nNot run (--no-check)." in report
    assert all(f"- `{name}`" in report for name in PLOTS[:-1])
    assert (tmp_path / "fragment.yaml").read_text() == fragment_text(cal)


def test_the_same_calibration_writes_the_same_bytes(cal, tmp_path: Path) -> None:
    first = [p.read_bytes() for p in write_report(tmp_path / "a", cal, fragment_text(cal), None)]
    second = [p.read_bytes() for p in write_report(tmp_path / "b", cal, fragment_text(cal), None)]
    assert first == second
