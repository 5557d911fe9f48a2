"""The ``cxsim`` command line. Thin by design: parse options, call the library, print.

Bad input (a scenario mistake, a missing file) prints ``file:line:col: key.path: message (hint)``
on stderr and exits with status 2, never with a traceback.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from simulator import __version__
from simulator.scenario import ScenarioError, json_schema, load_scenario
from simulator.scenario.schema import Scenario

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


def common_options(*, at_least: int, out_default: str, document: str) -> Callable[..., Any]:
    """The options every simulating command shares (run, compare; later sweep and staff)."""
    options = [
        click.option(
            "-n",
            "--replications",
            default=10,
            show_default=True,
            type=click.IntRange(at_least),
            help=f"Replications per scenario (at least {at_least}; confidence intervals need 2).",
        ),
        click.option(
            "--seed", type=click.IntRange(0), default=None, help="Override the scenario's seed."
        ),
        click.option(
            "--out",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help=f"Output folder [default: {out_default}].",
        ),
        click.option("--json", "as_json", is_flag=True, help=f"Print the {document} on stdout."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar and no table."),
        click.option(
            "--workers",
            type=click.IntRange(1),
            default=None,
            help="Worker processes for replications [default: number of cores].",
        ),
    ]

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def _require_writable(out: Path) -> None:
    """Exit 2 before simulating if the output folder cannot be written; creates nothing."""
    problem = _unwritable_folder(out)
    if problem:
        verb = "write to" if out.exists() else "create"
        click.echo(f"{out}: cannot {verb} the output folder ({problem})", err=True)
        sys.exit(EXIT_BAD_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cxsim")
def cli() -> None:
    """cxsim: walk synthetic customers through a contact center and measure their journeys."""


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@common_options(at_least=1, out_default="reports/<scenario>/", document="results document")
@click.option(
    "--events",
    "events_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write every journey event to PATH (.csv or .jsonl), for process mining.",
)
@click.option(
    "--html",
    "html",
    is_flag=True,
    help="Also write report.html (self-contained) and the plots as PNG files.",
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
    events_path: Path | None,
    html: bool,
) -> None:
    """Simulate a scenario FILE and report KPIs with 95% confidence intervals.

    Writes results.json, intervals.csv and scenario.effective.yaml to the output folder, and
    with --html a self-contained report.html with plots and a journey explorer.
    """
    from simulator.experiment.replicate import default_workers, run_replications
    from simulator.report.document import intervals_csv, results_document
    from simulator.report.files import write_atomic
    from simulator.report.progress import ProgressBar
    from simulator.report.text import summary_text

    scenario = load_scenario(file)
    out = out or Path("reports") / scenario.name
    _require_writable(out)
    bar = ProgressBar(f"{scenario.name}", enabled=not quiet)
    result = run_replications(
        scenario,
        replications,
        seed=seed,
        workers=workers or default_workers(),
        progress=bar,
    )
    bar.close()
    document = results_document(result)
    text = json.dumps(document, indent=2, allow_nan=False) + "\n"
    written = [
        write_atomic(out / "results.json", text),
        write_atomic(out / "intervals.csv", intervals_csv(result)),
        write_atomic(out / "scenario.effective.yaml", _yaml(document["effective_scenario"])),
    ]
    if events_path is not None:
        from simulator.observe.eventlog import write_event_log

        rows = write_event_log(events_path, scenario, replications=replications, seed=result.seed)
        written.append(events_path)
        if not quiet:
            click.echo(f"{rows:,} journey events written to {events_path}", err=True)
    if html:
        from simulator.report.bundle import explorer_entries, write_html_report

        written += write_html_report(out, document, explorer_entries(scenario, result.seed))
    if as_json:
        click.echo(text, nl=False)
    if not quiet:
        click.echo(
            summary_text(result, [str(p) for p in written]),
            err=as_json,
            nl=False,
        )


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--customer", type=click.IntRange(0), default=None, help="Trace this customer id.")
@click.option(
    "--pick",
    "how",
    type=click.Choice(["worst", "typical", "best", "random"]),
    default="worst",
    show_default=True,
    help="Which customer to trace.",
)
@click.option("--segment", default=None, help="Only customers of this segment.")
@click.option("--intent", default=None, help="Only customers with this intent.")
@click.option("--variant", default=None, help="Trace in a variant of the scenario.")
@click.option(
    "--compare",
    "compare",
    default=None,
    help="Walk the same customer through a variant of FILE, or another scenario file.",
)
@click.option("--seed", type=click.IntRange(0), default=None, help="Override the scenario's seed.")
@click.option("--replication", type=click.IntRange(0), default=0, show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json", "html"]),
    default="text",
    show_default=True,
)
@reports_bad_input
def trace(
    file: Path,
    customer: int | None,
    how: str,
    segment: str | None,
    intent: str | None,
    variant: str | None,
    compare: str | None,
    seed: int | None,
    replication: int,
    fmt: str,
) -> None:
    """Become the customer: tell one customer's journey through FILE in plain language."""
    from simulator.observe.trace import TraceError, trace_pair
    from simulator.observe.trace import trace as trace_one
    from simulator.report import narrative

    scenario = _scenario_or_variant(file, variant)
    options = {
        "how": how,
        "segment": segment,
        "intent": intent,
        "customer": customer,
        "replication": replication,
        "seed": seed,
    }
    try:
        if compare is not None:
            variants = _declared_variants(file)
            if compare in variants:
                other, label = variants[compare], f"{scenario.name} ({compare})"
            else:
                other = load_scenario(Path(compare))
                label = other.name
            base, alt = trace_pair(scenario, other, **options)
            if fmt == "json":
                click.echo(
                    json.dumps(
                        {"base": narrative.to_json(base), "variant": narrative.to_json(alt)},
                        indent=2,
                    )
                )
            else:
                click.echo(narrative.render_pair_text(base, alt, (scenario.name, label)))
            return
        traced = trace_one(scenario, **options)
    except TraceError as error:
        click.echo(f"{file}: {error}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if fmt == "json":
        click.echo(json.dumps(narrative.to_json(traced), indent=2))
    elif fmt == "markdown":
        click.echo(narrative.render_markdown(traced))
    elif fmt == "html":
        click.echo(narrative.render_html_fragment(traced))
    else:
        click.echo(narrative.render_text(traced, color=sys.stdout.isatty()))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--variants",
    "names",
    default=None,
    help="Comma-separated variants of FILE to compare [default: all].",
)
@common_options(at_least=2, out_default="reports/<base>-compare/", document="comparison document")
@reports_bad_input
def compare(
    files: tuple[Path, ...],
    names: str | None,
    replications: int,
    seed: int | None,
    out: Path | None,
    as_json: bool,
    quiet: bool,
    workers: int | None,
) -> None:
    """Compare a scenario with its variants, or several FILES with the same demand.

    `cxsim compare bank.yaml` compares bank.yaml with the variants it declares;
    `cxsim compare A.yaml B.yaml ...` compares A (the base) with the others. Every scenario sees
    the same customers, and differences come with paired 95% confidence intervals.
    """
    from simulator.experiment.compare import compare as run_comparison
    from simulator.experiment.compare import same_demand
    from simulator.experiment.replicate import default_workers
    from simulator.report.comparison import (
        comparison_document,
        comparison_markdown,
        comparison_text,
    )
    from simulator.report.files import write_atomic
    from simulator.report.progress import ProgressBar

    base = load_scenario(files[0])
    if len(files) > 1:
        variants = {}
        for file in files[1:]:
            other = load_scenario(file)
            variants[other.name] = other
            if not same_demand(base, other) and not quiet:
                click.echo(
                    f"warning: {file} does not describe the same demand as {files[0]}: "
                    "its customers differ, so differences are not paired per customer",
                    err=True,
                )
    else:
        variants = _declared_variants(files[0])
    if names:
        wanted = [n.strip() for n in names.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in variants]
        if unknown:
            known = ", ".join(variants) or "none"
            click.echo(f"{files[0]}: no variant {', '.join(unknown)} (variants: {known})", err=True)
            sys.exit(EXIT_BAD_INPUT)
        variants = {n: variants[n] for n in wanted}
    if not variants:
        click.echo(
            f"{files[0]}: declares no variants; to compare files, give several: "
            "cxsim compare A.yaml B.yaml",
            err=True,
        )
        sys.exit(EXIT_BAD_INPUT)
    out = out or Path("reports") / f"{base.name}-compare"
    _require_writable(out)
    bar = ProgressBar(f"{base.name} vs {', '.join(variants)}", enabled=not quiet)
    result = run_comparison(base, variants, replications, seed, workers or default_workers(), bar)
    bar.close()
    document = comparison_document(result)
    text = json.dumps(document, indent=2, allow_nan=False) + "\n"
    written = [
        write_atomic(out / "comparison.json", text),
        write_atomic(out / "comparison.md", comparison_markdown(result)),
    ]
    if as_json:
        click.echo(text, nl=False)
    if not quiet:
        click.echo(comparison_text(result, [str(p) for p in written]), err=as_json, nl=False)


def _scenario_or_variant(file: Path, variant: str | None) -> Scenario:
    """The scenario in FILE, or one of the variants it declares (exit 2 if there is no such)."""
    if variant is None:
        return load_scenario(file)
    variants = _declared_variants(file)
    if variant not in variants:
        known = ", ".join(variants) or "none"
        click.echo(f"{file}: declares no variant {variant!r} (variants: {known})", err=True)
        sys.exit(EXIT_BAD_INPUT)
    return variants[variant]


def _declared_variants(file: Path) -> dict:
    """The variants a scenario file declares (empty while the loader has no variants)."""
    try:
        from simulator.scenario import load_variants
    except ImportError:
        return {}
    return load_variants(file)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def report(folder: Path) -> None:
    """Rebuild report.html and the PNG plots of a results FOLDER written by `cxsim run`."""
    from simulator.report.bundle import report_from_folder

    try:
        written = report_from_folder(folder)
    except FileNotFoundError as error:
        click.echo(str(error), err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo("Wrote " + ", ".join(str(p) for p in written))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check scenario FILES; print every problem as file:line:col: key.path: message."""
    failed = False
    for file in files:
        try:
            scenario = load_scenario(file)
            variants = _declared_variants(file)
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
            + (f"; variants: {', '.join(variants)}" if variants else "")
        )
    if failed:
        sys.exit(EXIT_BAD_INPUT)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the scenario language (for editor autocompletion)."""
    click.echo(json.dumps(json_schema(), indent=2))


def _unwritable_folder(folder: Path) -> str | None:
    """Why ``folder`` could not be created or written, or None; creates nothing."""
    if folder.exists():
        if not folder.is_dir():
            return "it is a file"
        return None if os.access(folder, os.W_OK) else "permission denied"
    parent = folder.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent} is a file"
    return None if os.access(parent, os.W_OK) else f"no permission to create folders in {parent}"


def _yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def main() -> None:
    cli(prog_name="cxsim")


if __name__ == "__main__":
    main()
