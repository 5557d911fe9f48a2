"""The ``cxsim`` command line. Thin by design: parse options, call the library, print.

Bad input (a scenario mistake, a missing file) prints ``file:line:col: key.path: message (hint)``
on stderr and exits with status 2, never with a traceback.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from simulator import __version__
from simulator.cli_common import (
    EXIT_BAD_INPUT,
    RunOptions,
    common_options,
    declared_variants,
    reports_bad_input,
    require_writable_file,
    scenario_or_variant,
    yaml_text,
)
from simulator.limits import LimitSettingError
from simulator.scenario import ScenarioError, json_schema, load_scenario

if TYPE_CHECKING:
    from simulator.experiment.compare import Comparison
    from simulator.experiment.replicate import RunResult
    from simulator.observe.collector import JourneyCollector
    from simulator.observe.eventlog_parts import EventLogParts
    from simulator.observe.journey_map import JourneyMap
    from simulator.observe.same_customers import SameCustomers
    from simulator.observe.trace import TracedJourney, TraceOptions
    from simulator.scenario.schema import Scenario


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
@click.option(
    "--variant",
    default=None,
    help="Run the variant NAME that FILE declares, as a scenario of its own.",
)
@reports_bad_input
def run(
    file: Path,
    options: RunOptions,
    events_path: Path | None,
    html: bool,
    variant: str | None,
) -> None:
    """Simulate a scenario FILE and report KPIs with 95% confidence intervals.

    Writes results.json, intervals.csv and scenario.effective.yaml to the output folder, and
    with --html a self-contained report.html with plots and a journey explorer. With --variant
    NAME, runs that variant of FILE instead, named <scenario>-NAME (so its default output
    folder is its own) unless the variant gives itself a name.
    """
    # Imported here, not at the top: `cxsim --help` and `cxsim validate` start faster.
    from simulator.experiment.replicate import run_replications
    from simulator.report.text import summary_text

    scenario = scenario_or_variant(file, variant)
    if variant is not None and scenario.name == load_scenario(file).name:
        scenario = dataclasses.replace(scenario, name=f"{scenario.name}-{variant}")
    replications = options.replications
    out = options.output_folder(Path("reports") / scenario.name)
    # Every output of the run watches the same replications: each is simulated once.
    watchers = _RunObservers.for_run(scenario, events_path, html, replications)
    bar = options.progress(scenario.name)
    # The event log's block encloses the executor's: a failed run removes its part files only
    # once no worker can still be writing one.
    with watchers.event_log if watchers.event_log is not None else contextlib.nullcontext():
        with options.executor(tasks=replications) as executor:
            result = run_replications(
                scenario,
                replications,
                seed=options.seed,
                executor=executor,
                progress=bar,
                observers=watchers.observers,
            )
        bar.close()
    text, written = _write_run(out, result, watchers, events_path, options.quiet)
    if options.as_json:
        click.echo(text, nl=False)
    if not options.quiet:
        click.echo(summary_text(result, [str(p) for p in written]), err=options.as_json, nl=False)


@dataclasses.dataclass
class _RunObservers:
    """What watches the replications of ``cxsim run`` besides the results: the event log of
    --events, and the journey explorer and journey map of --html."""

    event_log: EventLogParts | None = None
    explorer: JourneyCollector | None = None
    journey_map: JourneyMap | None = None

    @classmethod
    def for_run(
        cls, scenario: Scenario, events_path: Path | None, html: bool, replications: Any
    ) -> _RunObservers:
        """The observers the options ask for; a bad --events path is refused before any run."""
        from simulator.observe.collector import journey_explorer
        from simulator.observe.eventlog import EventLogError, log_format
        from simulator.observe.eventlog_parts import EventLogParts
        from simulator.observe.journey_map import JourneyMap

        watchers = cls()
        if events_path is not None:
            try:
                log_format(events_path)
            except EventLogError as error:
                raise error.within("--events") from None
            require_writable_file(events_path, "--events")
            watchers.event_log = EventLogParts(events_path, scenario)
        if html:
            watchers.explorer = journey_explorer(replications)
            watchers.journey_map = JourneyMap()
        return watchers

    @property
    def observers(self) -> list[Any]:
        """The observers asked for, in the order they watch each replication."""
        return [o for o in (self.event_log, self.explorer, self.journey_map) if o is not None]


def _write_run(
    out: Path, result: RunResult, watchers: _RunObservers, events_path: Path | None, quiet: bool
) -> tuple[str, list[Path]]:
    """Write the run's files (results.json, intervals.csv, the effective scenario, and what the
    observers made: the event log, report.html); the results text and the files written."""
    from simulator.report.document import intervals_csv, results_document
    from simulator.report.files import write_atomic

    document = results_document(result)
    text = json.dumps(document, indent=2, allow_nan=False) + "\n"
    written = [
        write_atomic(out / "results.json", text),
        write_atomic(out / "intervals.csv", intervals_csv(result)),
        write_atomic(out / "scenario.effective.yaml", yaml_text(document["effective_scenario"])),
    ]
    if watchers.event_log is not None and events_path is not None:
        written.append(events_path)
        if not quiet:
            rows = watchers.event_log.rows
            click.echo(f"{rows:,} journey events written to {events_path}", err=True)
    if watchers.explorer is not None and watchers.journey_map is not None:
        from simulator.report.bundle import (
            explorer_entries,
            journeys_document,
            write_html_report,
        )

        entries = explorer_entries(watchers.explorer.journeys)
        journeys = journeys_document(entries, watchers.journey_map.as_dict())
        written += write_html_report(out, document, journeys)
    return text, written


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
    from simulator.experiment.tracing import trace as trace_one
    from simulator.experiment.tracing import trace_pair
    from simulator.observe.trace import TraceError

    scenario = scenario_or_variant(file, variant)
    options: TraceOptions = {
        "how": how,
        "segment": segment,
        "intent": intent,
        "customer": customer,
        "replication": replication,
        "seed": seed,
    }
    try:
        if compare is not None:
            variants = declared_variants(file)
            if compare in variants:
                other, label = variants[compare], f"{scenario.name} ({compare})"
            else:
                other = load_scenario(Path(compare))
                label = other.name
            base, alt = trace_pair(scenario, other, **options)
            click.echo(_told_pair(base, alt, (scenario.name, label), fmt), nl=False)
            return
        traced = trace_one(scenario, **options)
    except TraceError as error:
        raise error.within(str(file)) from None
    click.echo(_told(traced, fmt), nl=False)


def _told(traced: TracedJourney, fmt: str) -> str:
    """One journey in ``fmt``: text (coloured on a terminal), markdown, json or an HTML page."""
    from simulator.report import narrative
    from simulator.report.story.page import journey_page

    if fmt == "json":
        return json.dumps(narrative.to_json(traced), indent=2) + "\n"
    if fmt == "markdown":
        return narrative.render_markdown(traced) + "\n"
    if fmt == "html":
        return journey_page(traced)
    return narrative.render_text(traced, color=sys.stdout.isatty()) + "\n"


def _told_pair(
    base: TracedJourney, variant: TracedJourney, labels: tuple[str, str], fmt: str
) -> str:
    """One customer in two designs in ``fmt`` (as :func:`_told`)."""
    from simulator.report.story.page import pair_page
    from simulator.report.story.pair import (
        pair_to_json,
        render_pair_markdown,
        render_pair_text,
    )

    if fmt == "json":
        return json.dumps(pair_to_json(base, variant, labels), indent=2) + "\n"
    if fmt == "markdown":
        return render_pair_markdown(base, variant, labels) + "\n"
    if fmt == "html":
        return pair_page(base, variant, labels)
    return render_pair_text(base, variant, labels, color=sys.stdout.isatty()) + "\n"


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--variants",
    "names",
    default=None,
    help="Comma-separated variants of FILE to compare [default: all].",
)
@common_options(
    at_least=2,
    out_default="reports/<base>-compare/",
    document="comparison document",
    allow_auto=True,
)
@click.option(
    "--html",
    "html",
    is_flag=True,
    help="Also write comparison.html (self-contained) and its charts as PNG files.",
)
@reports_bad_input
def compare(
    files: tuple[Path, ...],
    names: str | None,
    options: RunOptions,
    html: bool,
) -> None:
    """Compare a scenario with its variants, or several FILES with the same demand.

    `cxsim compare bank.yaml` compares bank.yaml with the variants it declares;
    `cxsim compare A.yaml B.yaml ...` compares A (the base) with the others, labelled by file
    name. Every scenario sees the same customers, and differences come with paired 95%
    confidence intervals, per channel, per team and for the customer journeys. Each variant gets
    a verdict: better, worse, trade-off (better on one channel or team, worse on another) or no
    significant difference. With --html, comparison.html shows them with charts per channel,
    per team, of the journeys, frustration and costs (also saved as PNG files, which
    comparison.md then shows too).
    """
    from simulator.experiment.compare import compare as run_comparison
    from simulator.observe.same_customers import SameCustomers
    from simulator.report.comparison import comparison_text

    base, base_label, variants = _compared_designs(files, names, options.quiet)
    out = options.output_folder(Path("reports") / f"{base.name}-compare")
    bar = options.progress(f"{base.name} vs {', '.join(variants)}")
    replications = options.replications
    tasks = None if replications == "auto" else replications * (1 + len(variants))
    # With --html, replication 0 of every design is kept whole to show the same customers in
    # two designs (recorded in these runs, not simulated again).
    same = SameCustomers(1 + len(variants)) if html else None
    with options.executor(tasks) as executor:
        result = run_comparison(
            base,
            variants,
            replications,
            options.seed,
            executor,
            bar,
            base_label=base_label,
            observers=same.observers if same is not None else (),
        )
    bar.close()
    text, written = _write_comparison(out, result, html, same, base, variants)
    if options.as_json:
        click.echo(text, nl=False)
    if not options.quiet:
        click.echo(
            comparison_text(result, [str(p) for p in written]), err=options.as_json, nl=False
        )


def _compared_designs(
    files: tuple[Path, ...], names: str | None, quiet: bool
) -> tuple[Scenario, str, dict[str, Scenario]]:
    """The base scenario, its label (empty: its scenario name) and the variants to compare with
    it: the other FILES, labelled by file name, or the variants the one FILE declares (those
    --variants names). Exits 2 on a variant it does not declare, or on nothing to compare."""
    from simulator.experiment.compare import file_labels, same_demand

    base = load_scenario(files[0])
    base_label = ""  # the base's scenario name, unless files are compared
    if len(files) > 1:
        # Labelled by file, not by `scenario:` name, which two files often share.
        base_label, *labels = file_labels(files)
        variants = {}
        for file, label in zip(files[1:], labels, strict=True):
            other = load_scenario(file)
            variants[label] = other
            if not same_demand(base, other) and not quiet:
                click.echo(
                    f"warning: {file} does not describe the same demand as {files[0]}: "
                    "its customers differ, so differences are not paired per customer",
                    err=True,
                )
    else:
        variants = declared_variants(files[0])
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
    return base, base_label, variants


def _write_comparison(
    out: Path,
    result: Comparison,
    html: bool,
    same: SameCustomers | None,
    base: Scenario,
    variants: dict[str, Scenario],
) -> tuple[str, list[Path]]:
    """Write comparison.json and comparison.md, and with --html the charts and
    comparison.html (with the same customers in two designs); the JSON text and the files."""
    from simulator.report.comparison import comparison_document, comparison_markdown
    from simulator.report.files import write_atomic

    document = comparison_document(result)
    text = json.dumps(document, indent=2, allow_nan=False) + "\n"
    plots: dict[str, bytes] = {}
    if html:
        from simulator.report.comparison_plots import comparison_plots

        plots = comparison_plots(result)
    written = [
        write_atomic(out / "comparison.json", text),
        write_atomic(out / "comparison.md", comparison_markdown(result, list(plots))),
    ]
    if html:
        from simulator.report.comparison_html import write_comparison_html

        pairs = same.pairs(base, variants, seed=result.base.seed) if same is not None else None
        written += write_comparison_html(out, result, plots, pairs)
    return text, written


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@reports_bad_input
def report(folder: Path) -> None:
    """Rebuild report.html and the PNG plots of a results FOLDER written by `cxsim run`."""
    from simulator.report.bundle import report_from_folder

    written = report_from_folder(folder)
    click.echo("Wrote " + ", ".join(str(p) for p in written))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--variant", default=None, help="Check this variant of each FILE, as run would.")
def validate(files: tuple[Path, ...], variant: str | None) -> None:
    """Check scenario FILES; print every problem as file:line:col: key.path: message.

    Problems exit with status 2. Warnings (a team nothing is routed to, a channel nothing
    arrives on) are printed on stderr and do not fail the check.
    """
    from simulator.scenario import load_variant
    from simulator.scenario.lint import scenario_warnings

    failed = False
    for file in files:
        try:
            base = load_scenario(file)
            variants = declared_variants(file)
            scenario = base if variant is None else load_variant(file, variant)
        except (ScenarioError, LimitSettingError) as error:
            click.echo(str(error), err=True)
            failed = True
            continue
        label = str(file) if variant is None else f"{file} --variant {variant}"
        daily = scenario.arrivals.expected_total(
            scenario.horizon.interval, scenario.horizon.duration
        )
        click.echo(
            f"ok  {label}: {scenario.name} - {len(scenario.channels)} channel(s), "
            f"{len(scenario.agents)} agent group(s), ~{daily:,.0f} customers per run"
            + (f"; variants: {', '.join(variants)}" if variants and variant is None else "")
        )
        checked = {"": scenario} if variant is not None else {"": base, **variants}
        for name, each in checked.items():
            where = f"{file}" + (f" (variant {name})" if name else "")
            for warning in scenario_warnings(each):
                click.echo(f"warning: {where}: {warning}", err=True)
    if failed:
        sys.exit(EXIT_BAD_INPUT)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the scenario language (for editor autocompletion)."""
    click.echo(json.dumps(json_schema(), indent=2))


# Commands that live in their own modules register here, one import and one add_command each.
from simulator.cli_arrivals import calibrate_arrivals  # noqa: E402
from simulator.cli_calibrate import calibrate  # noqa: E402
from simulator.cli_outcomes import calibrate_outcomes  # noqa: E402
from simulator.cli_schedule import schedule  # noqa: E402
from simulator.cli_staff import staff  # noqa: E402
from simulator.cli_sweep import sweep  # noqa: E402

cli.add_command(calibrate)
cli.add_command(calibrate_outcomes)
cli.add_command(calibrate_arrivals)
cli.add_command(schedule)
cli.add_command(staff)
cli.add_command(sweep)


def main() -> None:
    cli(prog_name="cxsim")


if __name__ == "__main__":
    main()
