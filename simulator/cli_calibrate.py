"""``cxsim calibrate LOG.csv``: a scenario fitted on a call-by-call log, its report and a check.

The command only parses options and prints; the work is in :mod:`simulator.calibrate`. Its
modules are imported inside the functions that use them: they load numpy, scipy and matplotlib,
which ``cxsim --help`` and the other commands should not wait for.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from simulator.calibrate import CalibrationError
from simulator.cli_common import (
    OutputFolder,
    Replications,
    Workers,
    reports_bad_input,
    require_writable,
)
from simulator.units import UnitError, format_clock, parse_duration

if TYPE_CHECKING:
    from simulator.calibrate.check import Check
    from simulator.calibrate.columns import CallLog
    from simulator.calibrate.fragment import Calibration

COLUMNS_HELP = (
    "Map our names to the log's columns: NAME=COLUMN, comma-separated. Names: date, arrival, "
    "wait, abandoned, handle, type (default: columns of the same name; date and type are "
    "optional). A value may be a difference of two time columns (wait=q_exit-q_start) or, for "
    "abandoned, a test (abandoned=outcome==HANG, abandoned=status!=ANSWERED|TRANSFERRED)."
)


def _duration(text: str, option: str, *, allow_none: bool = False) -> float:
    """Seconds from a duration option; ``none`` is infinity where allowed."""
    if allow_none and text.strip().lower() == "none":
        return math.inf
    try:
        seconds = parse_duration(text)
    except UnitError as error:
        raise CalibrationError(f"{option}: {error}") from None
    if seconds <= 0 and option != "--threshold":
        raise CalibrationError(f"{option}: must be more than 0, found {text!r}")
    return seconds


def _said_by_calibrate(command: Callable[..., None]) -> Callable[..., None]:
    """Calibration errors say they come from ``cxsim calibrate`` (reports_bad_input prints
    them and exits 2)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except CalibrationError as error:
            raise error.within("cxsim calibrate") from None

    return wrapper


@click.command()
@click.argument("log_file", metavar="CALLS.csv", type=click.Path(path_type=Path))
@click.option("--columns", "columns", multiple=True, metavar="NAME=COLUMN,...", help=COLUMNS_HELP)
@click.option(
    "--where",
    "where",
    multiple=True,
    metavar="TEST",
    help="Keep only rows passing TEST, e.g. 'outcome!=PHANTOM' or 'outcome==AGENT or q_time>0'. "
    "Repeat to require several.",
)
@click.option(
    "--date-format",
    default=None,
    metavar="PATTERN",
    help="How the log writes dates, as a strptime pattern, e.g. %d/%m/%Y or %m/%d/%Y "
    "[default: ISO, or day first / month first as the dates show].",
)
@click.option(
    "--decimal-comma/--decimal-point",
    default=None,
    help="Numbers in the log use a decimal comma (185,5) or point [default: as the numbers show].",
)
@click.option("--interval", default="30m", show_default=True, help="Interval length.")
@click.option(
    "--days",
    default="weekdays",
    show_default=True,
    help="weekdays (Mon-Fri), weekends, all, or a list such as sun,mon,tue or 1999-01-04,...",
)
@click.option(
    "--hours",
    default=None,
    metavar="START-END",
    help="Open hours, e.g. 07:00-24:00 [default: from the arrival profile].",
)
@click.option(
    "--threshold",
    default="20s",
    show_default=True,
    help="Service level threshold: answered within it / offered.",
)
@click.option(
    "--staffing",
    type=click.Choice(["fit-sl", "fit-abandonment", "workload", "waiting", "busy"]),
    default="fit-sl",
    show_default=True,
    help="Heads per interval. fit-sl / fit-abandonment: calibrated, the agents for which "
    "Erlang A gives the observed service level / abandonment (the check on that KPI is then "
    "not independent). From the log alone: workload (agents in service while calls waited, "
    "scaled to the scenario's handle time), waiting (the same, rounded), busy (calls in "
    "service, rounded up).",
)
@click.option(
    "--patience",
    default=None,
    metavar="DURATION|none",
    help="Give the mean patience instead of fitting it (needed when nobody abandoned).",
)
@click.option(
    "--handle-fit",
    type=click.Choice(["moments", "mle", "mle-shape"]),
    default="moments",
    show_default=True,
    help="Handle-time lognormals: the observed mean and sd (the workload matches the log), "
    "maximum likelihood (its mean can be off the observed one), or the MLE sigma at the "
    "observed mean.",
)
@click.option(
    "--out",
    type=OutputFolder(),
    default=None,
    help="Output folder; the fragment then goes to DIR/fragment.yaml instead of stdout "
    "[default: reports/<log name>-calibration/].",
)
@click.option(
    "-n",
    "--replications",
    type=Replications(1, allow_auto=False),
    default=5,
    show_default=True,
    help="Replications of the check.",
)
@click.option("--no-check", is_flag=True, help="Do not simulate the calibrated scenario.")
@click.option(
    "--workers",
    type=Workers(),
    default=None,
    help="Worker processes for the check [default: number of cores].",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stderr.")
@reports_bad_input
@_said_by_calibrate
def calibrate(
    log_file: Path,
    columns: tuple[str, ...],
    where: tuple[str, ...],
    date_format: str | None,
    decimal_comma: bool | None,
    interval: str,
    days: str,
    hours: str | None,
    threshold: str,
    staffing: str,
    patience: str | None,
    handle_fit: str,
    out: Path | None,
    replications: int,
    no_check: bool,
    workers: int | None,
    quiet: bool,
) -> None:
    """Fit a scenario on a call-by-call log CALLS.csv (as an ACD exports it).

    Fits the arrival profile, lognormal handle times by call type and exponential patience
    (censored by service), calibrates (or infers) the agents per interval, and writes a
    complete scenario:
    on stdout, or to --out DIR/fragment.yaml. The report (calibration.md and PNG plots) goes
    to the output folder. Unless --no-check, the scenario is simulated and compared with the
    log's abandonment, service level and mean wait, per interval and for the whole day.
    """
    from simulator.calibrate.check import run_check
    from simulator.calibrate.fragment import calibrate as fit
    from simulator.calibrate.fragment import fragment_text
    from simulator.calibrate.report import write_report
    from simulator.scenario import load_scenario_text

    interval_s = _duration(interval, "--interval")
    threshold_s = _duration(threshold, "--threshold")
    patience_s = None if patience is None else _duration(patience, "--patience", allow_none=True)
    folder = out or Path("reports") / f"{log_file.stem}-calibration"
    require_writable(folder)
    formats = {"date_format": date_format, "decimal_comma": decimal_comma}
    selected, label = _read_selected_days(log_file, columns, where, days, formats)
    cal = fit(
        selected,
        label,
        interval_s,
        threshold_s,
        hours,
        staffing,
        patience_s,
        handle_fit,
    )
    text = fragment_text(cal)
    scenario = load_scenario_text(text, str(folder / "fragment.yaml"))
    check = None
    if not no_check:
        check = run_check(cal, scenario, replications, workers or _cores())
    written = write_report(folder, cal, text, check)
    if out is None:
        click.echo(text, nl=False)
    if not quiet:
        click.echo("\n".join(_summary_lines(log_file, cal, patience, check, written)), err=True)


def _read_selected_days(
    log_file: Path,
    columns: tuple[str, ...],
    where: tuple[str, ...],
    days: str,
    formats: dict[str, Any],
) -> tuple[CallLog, str]:
    """The calls of the selected days (and how the days are named), or an error for a log
    with no call left after ``--where``. ``formats``: the stated date format and decimal
    separator (None: detected)."""
    from simulator.calibrate.columns import parse_columns, read_log
    from simulator.calibrate.profile import select_days

    log = read_log(log_file, parse_columns(columns), where, **formats)
    if len(log) == 0:
        raise CalibrationError(
            f"{log_file}: no calls to calibrate on ({log.rows_read:,} row(s) read, "
            f"{log.rows_filtered:,} removed by --where)"
        )
    return select_days(log, days)


def _summary_lines(
    log_file: Path,
    cal: Calibration,
    patience: str | None,
    check: Check | None,
    written: list[Path],
) -> list[str]:
    """What was fitted, in a few lines for the terminal, then the check and the files."""
    from simulator.calibrate.check import summary_lines
    from simulator.calibrate.profile import STAFFING

    mean, sd = cal.handle.params(cal.handle_fit)
    read_as = cal.log.formats.described
    lines = [
        f"{log_file}: {len(cal.log):,} calls on {cal.observed.n_days} day(s) ({cal.days}), "
        f"horizon {cal.grid.labels[0]}-"
        f"{format_clock(cal.grid.end)}: {cal.observed.day['offered']:,.1f} calls a day",
        *([f"  read with {', '.join(read_as)}"] if read_as else []),
        f"  handle time: lognormal mean {mean:.1f}s sd {sd:.1f}s ({cal.handle_fit}; MLE mean "
        f"{cal.handle.mean:.1f}s sd {cal.handle.sd:.1f}s); "
        f"{len(cal.handle_by_intent)} type(s) with a fit of their own",
        "  patience: "
        + (
            f"exponential mean {cal.patience.mean:.1f}s "
            f"({cal.patience.abandoned:,} abandonments, censored MLE)"
            if cal.patience_given is None
            else f"given, {patience}"
        ),
        f"  staffing: {STAFFING[cal.staffing]} (--staffing {cal.staffing}), "
        f"{_agent_hours(cal):,.1f} agent-hours a day",
    ]
    if check is not None:
        lines += summary_lines(check)
    lines.append("Wrote " + ", ".join(str(p) for p in written))
    return lines


def _agent_hours(cal: Calibration) -> float:
    return float(sum(cal.heads * cal.grid.lengths)) / 3600


def _cores() -> int:
    from simulator.experiment.executor import default_workers

    return default_workers()
