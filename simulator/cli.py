"""The ``cxsim`` command line. Thin by design: parse options, call the library, print.

Bad input (a scenario mistake, a missing file) prints ``file:line:col: key.path: message (hint)``
on stderr and exits with status 2, never with a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from simulator import __version__
from simulator.scenario import ScenarioError, json_schema, load_scenario

EXIT_BAD_INPUT = 2


def reports_bad_input(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn scenario errors into a clear message and exit status 2, and Ctrl-C into 130."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScenarioError as error:
            click.echo(str(error), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("interrupted: no output file was left half-written", err=True)
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cxsim")
def cli() -> None:
    """cxsim: walk synthetic customers through a contact center and measure their journeys."""


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-n",
    "--replications",
    default=10,
    show_default=True,
    type=click.IntRange(1),
    help="Independent replications (confidence intervals need at least 2).",
)
@click.option("--seed", type=click.IntRange(0), default=None, help="Override the scenario's seed.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder [default: reports/<scenario>/].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the results document on stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary table.")
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=None,
    help="Worker processes for replications [default: number of cores].",
)
@reports_bad_input
def run(
    file: Path,
    replications: int,
    seed: int | None,
    out: Path | None,
    as_json: bool,
    quiet: bool,
    workers: int | None,
) -> None:
    """Simulate a scenario FILE and report KPIs with 95% confidence intervals.

    Writes results.json, intervals.csv and scenario.effective.yaml to the output folder.
    """
    from simulator.experiment.replicate import default_workers, run_replications
    from simulator.report.document import intervals_csv, results_document
    from simulator.report.files import write_atomic
    from simulator.report.progress import ProgressBar
    from simulator.report.text import summary_text

    scenario = load_scenario(file)
    bar = ProgressBar(f"{scenario.name}", enabled=not quiet)
    result = run_replications(
        scenario,
        replications,
        seed=seed,
        workers=workers or default_workers(),
        progress=bar,
    )
    bar.close()
    out = out or Path("reports") / scenario.name
    document = results_document(result)
    text = json.dumps(document, indent=2, allow_nan=False) + "\n"
    written = [
        write_atomic(out / "results.json", text),
        write_atomic(out / "intervals.csv", intervals_csv(result)),
        write_atomic(out / "scenario.effective.yaml", _yaml(document["effective_scenario"])),
    ]
    if as_json:
        click.echo(text, nl=False)
    if not quiet:
        click.echo(
            summary_text(result, [str(p) for p in written]),
            err=as_json,
            nl=False,
        )


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check scenario FILES; print every problem as file:line:col: key.path: message."""
    failed = False
    for file in files:
        try:
            scenario = load_scenario(file)
        except ScenarioError as error:
            click.echo(str(error), err=True)
            failed = True
            continue
        daily = scenario.arrivals.expected_total(
            scenario.horizon.interval, scenario.horizon.duration
        )
        click.echo(
            f"ok  {file}: {scenario.name} - {len(scenario.channels)} channel(s), "
            f"{len(scenario.agents)} agent group(s), ~{daily:,.0f} customers per run"
        )
    if failed:
        sys.exit(EXIT_BAD_INPUT)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the scenario language (for editor autocompletion)."""
    click.echo(json.dumps(json_schema(), indent=2))


def _yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def main() -> None:
    cli(prog_name="cxsim")


if __name__ == "__main__":
    main()
