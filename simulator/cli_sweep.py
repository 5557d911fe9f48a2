"""``cxsim sweep``: run a scenario over a grid of settings, resumably.

The library does the work (:mod:`simulator.experiment.sweep` builds, runs and stores the grid,
:mod:`simulator.report.sweep` writes the outputs); this module parses options, decides what
goes to which stream, and turns Ctrl-C into exit status 130 with a hint to ``--resume``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from simulator.cli_common import RunOptions, common_options, reports_bad_input


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--set",
    "sets",
    multiple=True,
    required=True,
    metavar="KEY=VALUES",
    help="A dotted key and its values: 8..14, 0.5..0.9:0.1 or a comma list (30s,1m). "
    "Repeat for a grid of every combination.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Reuse the finished work stored in the output folder and run only the rest.",
)
@common_options(at_least=2, out_default="reports/<scenario>-sweep/", document="sweep document")
@reports_bad_input
def sweep(
    file: Path,
    sets: tuple[str, ...],
    resume: bool,
    options: RunOptions,
) -> None:
    """Run FILE at every combination of the --set values and plot KPIs against them.

    `cxsim sweep bank.yaml --set agents.chat_support.count=8..14 --set
    bots.web_assistant.resolves.card_lost=0.5,0.7,0.9` runs 21 points. Every point runs the
    same replications with the same seed (the same customers), and each finished replication
    is saved at once: after a crash or Ctrl-C, the same command with --resume runs only the
    rest. Writes sweep.csv and sweep.json (the whole run, each channel and each team, with 95%
    CIs) and two PNGs per swept parameter: the journeys and teams, and one panel per channel.
    """
    from simulator.experiment.sweep import (
        STORE_NAME,
        ProgressStore,
        build_sweep,
        prepare_store,
        run_sweep,
    )
    from simulator.report.sweep import sweep_text, write_sweep

    grid = build_sweep(file, sets, options.replications, options.seed)
    out = options.output_folder(Path("reports") / f"{grid.base.name}-sweep")
    store = ProgressStore(out / STORE_NAME)
    finished = prepare_store(grid, store, resume)
    done = len(finished.results)
    if resume and not options.quiet:
        click.echo(
            f"resuming: {done} of {grid.tasks} tasks done, running the other {grid.tasks - done}",
            err=True,
        )
    bar = options.progress(f"{grid.base.name} sweep")
    try:
        try:
            with options.executor(tasks=grid.tasks - done) as executor:
                result = run_sweep(grid, store, finished, executor, bar)
        finally:
            bar.close()
        written, text = write_sweep(out, result)
    except KeyboardInterrupt:
        saved = len(store.read(grid).results)  # the file, not a counter a signal may have cut
        click.echo(
            f"interrupted: {saved} of {grid.tasks} tasks are saved in {store.path}; "
            "run the same command with --resume to finish the rest",
            err=True,
        )
        sys.exit(130)
    if options.as_json:
        click.echo(text, nl=False)
    if not options.quiet:
        click.echo(sweep_text(result, [str(p) for p in written]), err=options.as_json, nl=False)
