"""``make demo``: run every bundled scenario and write its reports under ``reports/``.

Runs through the real command line (``cxsim run``), so the demo shows exactly what a user sees.
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.cli import cli

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def main() -> int:
    files = sorted(SCENARIOS.glob("*.yaml"))
    if not files:
        print(f"no scenarios found in {SCENARIOS}", file=sys.stderr)
        return 2
    for file in files:
        print(f"\n=== cxsim run {file.relative_to(SCENARIOS.parent)}\n", flush=True)
        try:
            cli.main(["run", str(file)], prog_name="cxsim", standalone_mode=False)
        except SystemExit as stop:
            if stop.code:
                return int(stop.code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
