"""``make demo``: run every bundled scenario, write reports under ``reports/``, compare the
flagship's what-ifs, become its worst-served customer, and staff the capacity-review day.

Runs through the real command line (``cxsim run``, ``cxsim trace``), so the demo shows exactly
what a user sees.
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.cli import cli

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
#: The scenario whose HTML report and worst journey end the demo: siloed channels tell the story.
FLAGSHIP = "retail_bank_siloed.yaml"
#: The same bank with one shared customer record: the worst customer walks through both.
FLAGSHIP_VARIANT = "retail_bank_omnichannel.yaml"
#: The capacity review: how many agents each team needs, quarter hour by quarter hour.
CAPACITY_REVIEW = "capacity_review_day.yaml"
TARGETS = ("--target", "service_level>=0.80", "--target", "abandon_rate<=0.05")


def _cxsim(*args: str) -> None:
    try:
        cli.main(list(args), prog_name="cxsim", standalone_mode=False)
    except SystemExit as stop:
        if stop.code:
            raise


def main() -> int:
    files = sorted(SCENARIOS.glob("*.yaml"))
    if not files:
        print(f"no scenarios found in {SCENARIOS}", file=sys.stderr)
        return 2
    try:
        for file in files:
            print(f"\n=== cxsim run {file.relative_to(SCENARIOS.parent)}\n", flush=True)
            extra = ["--html"] if file.name == FLAGSHIP else []
            _cxsim("run", str(file), *extra)
        flagship = SCENARIOS / FLAGSHIP
        print(f"\n=== cxsim compare {flagship.relative_to(SCENARIOS.parent)}\n", flush=True)
        _cxsim("compare", str(flagship), "--html")
        print(
            f"\n=== cxsim compare scenarios/{FLAGSHIP} scenarios/{FLAGSHIP_VARIANT}\n", flush=True
        )
        _cxsim("compare", str(flagship), str(SCENARIOS / FLAGSHIP_VARIANT))
        print(f"\n=== cxsim trace {flagship.relative_to(SCENARIOS.parent)} --pick worst\n")
        _cxsim("trace", str(flagship), "--pick", "worst")
        print(
            f"\n=== the same customer with one shared record: cxsim trace "
            f"scenarios/{FLAGSHIP} --compare scenarios/{FLAGSHIP_VARIANT}\n"
        )
        _cxsim("trace", str(flagship), "--compare", str(SCENARIOS / FLAGSHIP_VARIANT))
        review = SCENARIOS / CAPACITY_REVIEW
        print(f"\n=== cxsim staff {review.relative_to(SCENARIOS.parent)} {' '.join(TARGETS)}\n")
        _cxsim("staff", str(review), *TARGETS, "-n", "5")
    except SystemExit as stop:
        return int(stop.code or 1)
    from simulator.scenario import load_scenario

    name = load_scenario(SCENARIOS / FLAGSHIP).name
    review_name = load_scenario(SCENARIOS / CAPACITY_REVIEW).name
    print(f"\nHTML report of the flagship scenario: reports/{name}/report.html")
    print(f"The what-if comparison, with charts: reports/{name}-compare/comparison.html")
    print(f"The staffing plan and its plot: reports/{review_name}-staff/staffing.csv, staffing.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
