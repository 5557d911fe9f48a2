"""Output files are replaced atomically: no half-written file survives a failure."""

from __future__ import annotations

import os

import pytest

from simulator.report import files


def test_write_atomic_creates_folders_and_replaces(tmp_path):
    target = tmp_path / "out" / "results.json"
    files.write_atomic(target, "first")
    files.write_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["results.json"]


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "results.json"
    files.write_atomic(target, "old and complete")

    def crash(*_args):
        raise KeyboardInterrupt  # as if Ctrl-C arrived between writing and renaming

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(target, "new")
    assert target.read_text() == "old and complete"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]


def test_written_files_get_the_usual_permissions(tmp_path):
    """Results are shared with colleagues: not owner-only like a raw mkstemp file."""
    umask = os.umask(0o022)
    try:
        target = files.write_atomic(tmp_path / "results.json", "{}")
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o644
