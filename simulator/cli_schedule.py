"""``cxsim schedule``: shifts with breaks that meet the targets, found and checked by simulation.

Thin like the other commands: parse options, call :func:`simulator.staffing.schedule.
schedule_roster`, write the outputs, print the summary. A shift rule that cannot be worked
exits with status 2 at the rule's line; targets that still miss after the repairs because no
shift within the rules can help exit with status 2 too, after the outputs are written, naming
the intervals.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from simulator.cli_common import (
    EXIT_BAD_INPUT,
    RunOptions,
    common_options,
    reports_bad_input,
    risk_options,
)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    metavar="TARGET",
    help="A target such as 'service_level>=0.80', 'abandon_rate<=0.05' or "
    "'billing:asa_s<=30s' (as in cxsim staff). Repeat for several.",
)
@click.option(
    "-g",
    "--group",
    "groups",
    multiple=True,
    metavar="GROUP",
    help="Roster only this agent group (repeatable) [default: every group with shift rules "
    "that a target applies to].",
)
@click.option(
    "--max-passes",
    type=click.IntRange(1),
    default=12,
    show_default=True,
    help="Most passes of the staffing search per day planned.",
)
@click.option(
    "--max-rounds",
    type=click.IntRange(1),
    default=8,
    show_default=True,
    help="Most simulations of the roster (each followed by a repair where a target misses).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1.0),
    default=None,
    metavar="SECONDS",
    help="Stop the integer programme after this long with the best roster found.",
)
@risk_options("Simulated days the share of days is measured on (with --on-share-of-days).")
@common_options(
    at_least=2, out_default="reports/<scenario>-schedule/", document="schedule document"
)
@reports_bad_input
def schedule(
    file: Path,
    targets: tuple[str, ...],
    groups: tuple[str, ...],
    max_passes: int,
    max_rounds: int,
    time_limit: float | None,
    on_share_of_days: float | None,
    risk_days: int,
    options: RunOptions,
) -> None:
    """A roster of shifts with breaks for FILE that meets every --target when simulated.

    The scenario's shifts block gives each group's shift rules. Each day of the horizon is
    planned interval by interval (as cxsim staff), the cheapest roster covering the plan is
    found by integer programming, then simulated; where a target misses, the cheapest shift
    covering the missed intervals is added and the roster simulated again. Writes roster.csv,
    coverage.png, schedule.json, roster.variant.yaml and scenario.rostered.yaml.
    """
    # Imported here, not at the top: `cxsim --help` starts faster without numpy and scipy.
    from simulator.scenario import load_scenario
    from simulator.staffing import TargetError, parse_targets
    from simulator.staffing.schedule import schedule_roster
    from simulator.staffing.schedule_output import schedule_document, write_outputs
    from simulator.staffing.schedule_text import summary_text

    scenario = load_scenario(file)
    try:
        parsed = parse_targets(list(targets), list(scenario.agents))
    except TargetError as error:
        raise error.within(str(file)) from None
    out = options.output_folder(Path("reports") / f"{scenario.name}-schedule")
    bar = options.progress(f"{scenario.name} schedule")

    def on_step(text: str) -> None:
        bar.label = f"{scenario.name}: {text}"
        bar.started = time.monotonic()

    try:
        with options.executor() as executor:
            result = schedule_roster(
                scenario,
                parsed,
                list(groups) or None,
                replications=options.replications,
                seed=options.seed,
                executor=executor,
                progress=bar,
                on_step=on_step,
                max_passes=max_passes,
                max_rounds=max_rounds,
                time_limit_s=time_limit,
                on_share_of_days=on_share_of_days,
                risk_days=risk_days,
            )
    except TargetError as error:
        bar.close()
        raise error.within(str(file)) from None
    bar.close()
    written = write_outputs(result, out)
    if options.as_json:
        click.echo(json.dumps(schedule_document(result), indent=2, allow_nan=False))
    if not options.quiet:
        click.echo(summary_text(result, [str(p) for p in written]), err=options.as_json, nl=False)
    if result.repaired.unrepairable:
        missing = ", ".join(
            f"{g} {d} interval {k}" for g, d, k in sorted(result.repaired.remaining)
        )
        click.echo(
            f"{file}: the targets cannot be met within the shift rules in: {missing} (no shift "
            "the rules allow covers them; raise the rules' max_heads or part-time limits)",
            err=True,
        )
        sys.exit(EXIT_BAD_INPUT)
