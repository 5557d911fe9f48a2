"""``cxsim staff``: the fewest agents per interval and group that meet service targets.

Thin like the other commands: parse options, call :func:`simulator.staffing.search_staffing`,
write the outputs, print the table. Target mistakes exit with status 2 and say what was expected.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from simulator.cli_common import RunOptions, common_options, reports_bad_input, risk_options


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    metavar="TARGET",
    help="A target such as 'service_level>=0.80@20s', 'abandon_rate<=0.05', "
    "'journey.share_angry_or_worse<=0.1' or 'billing:asa_s<=30s'. Repeat for several.",
)
@click.option(
    "-g",
    "--group",
    "groups",
    multiple=True,
    metavar="GROUP",
    help="Staff only this agent group (repeatable) [default: every group a target applies to].",
)
@click.option(
    "--max-passes",
    type=click.IntRange(1),
    default=12,
    show_default=True,
    help="Most passes of whole-day simulations before the search stops.",
)
@risk_options("Simulated days each plan's share of days is measured on (with --on-share-of-days).")
@common_options(at_least=2, out_default="reports/<scenario>-staff/", document="staffing document")
@reports_bad_input
def staff(
    file: Path,
    targets: tuple[str, ...],
    groups: tuple[str, ...],
    max_passes: int,
    on_share_of_days: float | None,
    risk_days: int,
    options: RunOptions,
) -> None:
    """How many agents do I need? For each interval and agent group of FILE, find the fewest
    agents that meet every --target.

    Erlang C and Erlang A give the starting point; whole-day simulations (every candidate with
    the same customers) correct it interval by interval, in time order. Writes staffing.csv,
    staffing.json, staffing.png, staffing.variant.yaml and scenario.staffed.yaml (compare it
    with `cxsim compare FILE OUT/scenario.staffed.yaml`).
    """
    from simulator.scenario import load_scenario
    from simulator.staffing import TargetError, parse_targets, search_staffing
    from simulator.staffing.output import staffing_document, summary_text, write_outputs

    scenario = load_scenario(file)
    if scenario.horizon.days > 1:
        # The search plans the intervals of one day; several days need week rosters (#15).
        raise TargetError(
            f"cxsim staff plans one day, and this horizon has {scenario.horizon.days} days "
            "(plan each day on its own: set horizon.days to 1 and first_day to the day)"
        ).within(str(file))
    try:
        parsed = parse_targets(list(targets), list(scenario.agents))
    except TargetError as error:
        raise error.within(str(file)) from None
    out = options.output_folder(Path("reports") / f"{scenario.name}-staff")
    bar = options.progress(f"{scenario.name} staffing")

    def on_pass(number: int, candidates: int) -> None:
        # One bar per pass: its count and time left are those of the batch being simulated.
        bar.label = f"{scenario.name} staffing, pass {number} ({candidates} candidate days)"
        bar.started = time.monotonic()

    started = time.perf_counter()
    try:
        with options.executor() as executor:
            result = search_staffing(
                scenario,
                parsed,
                groups=list(groups) or None,
                replications=options.replications,
                seed=options.seed,
                executor=executor,
                progress=bar,
                on_pass=on_pass,
                max_passes=max_passes,
                on_share_of_days=on_share_of_days,
                risk_days=risk_days,
            )
    except TargetError as error:
        bar.close()
        raise error.within(str(file)) from None
    bar.close()
    elapsed = time.perf_counter() - started
    written = write_outputs(result, out)
    if options.as_json:
        click.echo(json.dumps(staffing_document(result), indent=2, allow_nan=False))
    if not options.quiet:
        text = summary_text(result, [str(p) for p in written], elapsed)
        click.echo(text, err=options.as_json, nl=False)
