"""The tiny scenario the ``cxsim sweep`` tests run, and readers of the files a sweep writes
(shared by the sweep tests of tests/experiment, tests/report and tests/test_cli_sweep.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

# ~150 customers per replication; 2-7 agents for a load of 5 Erlangs, so service level climbs
# from poor to good across the sweep.
TINY = """\
scenario: tiny
seed: 3
horizon: {duration: 1h, interval: 30m}
arrivals: {rate: 150/h}
channels:
  voice: {patience: {exponential: {mean: 2m}}, service_level: 20s}
agents:
  voice: {count: 4}
handle_time:
  default: {exponential: {mean: 2m}}
"""


def rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file the sweep wrote, by column name."""
    return list(csv.DictReader(io.StringIO(path.read_text())))


def complete_lines(path: Path) -> list[bytes]:
    """The lines of a progress store up to its last newline (a torn last line left out)."""
    data = path.read_bytes() if path.exists() else b""
    return data[: data.rfind(b"\n") + 1].splitlines(keepends=True)
